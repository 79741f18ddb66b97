#include "relay/relay_config.h"

#include <gtest/gtest.h>

#include <map>

namespace dypls::relay {
namespace {

ConfigResult parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return parse_config(args, [env](std::string_view name) -> std::optional<std::string> {
    const auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}

TEST(RelayConfig, DefaultsToTheRealApiOverVerifiedTls) {
  const auto result = parse({});
  ASSERT_TRUE(result.config) << result.error;
  EXPECT_TRUE(result.config->upstream.tls);
  EXPECT_EQ(result.config->upstream.host, "dyplsapi.aliyuncs.com");
  EXPECT_EQ(result.config->upstream.sign_host(), "dyplsapi.aliyuncs.com");
  EXPECT_EQ(result.config->admission.allowed_actions, default_actions());
  EXPECT_EQ(result.config->listen_port, 8080);
}

TEST(RelayConfig, FlagsWinOverEnvironment) {
  const auto result = parse({"--listen", "127.0.0.1:0", "--origins=https://a.example"},
                            {{"DYPLS_RELAY_LISTEN", "0.0.0.0:9000"},
                             {"DYPLS_RELAY_UPSTREAM", "http://127.0.0.1:9001"},
                             {"DYPLS_RELAY_ORIGINS", "https://b.example"},
                             {"DYPLS_RELAY_SANDBOX", "1"}});
  ASSERT_TRUE(result.config) << result.error;
  EXPECT_EQ(result.config->listen_host, "127.0.0.1");
  EXPECT_EQ(result.config->listen_port, 0);
  EXPECT_EQ(result.config->upstream.sign_host(), "127.0.0.1:9001");
  EXPECT_EQ(result.config->admission.allowed_origins,
            std::vector<std::string>{"https://a.example"});
  EXPECT_TRUE(result.config->sandbox);
}

TEST(RelayConfig, ExplainsWhatIsWrong) {
  EXPECT_NE(parse({"--bogus"}).error.find("unknown option '--bogus'"), std::string::npos);
  EXPECT_NE(parse({"--listen"}).error.find("needs a value"), std::string::npos);
  EXPECT_NE(parse({"--listen", "nope"}).error.find("HOST:PORT"), std::string::npos);
  EXPECT_NE(parse({"--listen", "1.2.3.4:99999"}).error.find("65535"), std::string::npos);
  EXPECT_NE(parse({"--origins", "*"}).error.find("not an origin"), std::string::npos);
  EXPECT_NE(parse({"--origins", "https://a.example/path"}).error.find("not an origin"),
            std::string::npos);
  EXPECT_NE(parse({"--workers", "abc"}).error.find("whole number"), std::string::npos);
  EXPECT_NE(parse({"--upstream", "ftp://x"}).error.find("scheme"), std::string::npos);
  EXPECT_TRUE(parse({"--help"}).show_help);
}

TEST(RelayConfig, HelpDocumentsEveryFlagAndVariable) {
  const std::string help = help_text();
  for (const char* flag : {"--listen",
                           "--upstream",
                           "--origins",
                           "--actions",
                           "--static",
                           "--connect-src",
                           "--sandbox",
                           "--ca-file",
                           "--max-body",
                           "--rate",
                           "--burst",
                           "--workers",
                           "--queue",
                           "--client-timeout-ms",
                           "--keep-alive-ms",
                           "--connect-timeout-ms",
                           "--read-timeout-ms",
                           "--total-timeout-ms",
                           "DYPLS_RELAY_LISTEN",
                           "DYPLS_RELAY_UPSTREAM",
                           "DYPLS_RELAY_ORIGINS"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace dypls::relay
