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
                           "--public-host",
                           "--trusted-proxy",
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
                           "DYPLS_RELAY_ORIGINS",
                           "DYPLS_RELAY_PUBLIC_HOST",
                           "DYPLS_RELAY_TRUSTED_PROXY"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

RelayConfig config_of(std::vector<std::string> args) {
  auto result = parse(std::move(args));
  EXPECT_TRUE(result.config) << result.error;
  return result.config.value_or(RelayConfig());
}

TEST(RelayConfig, PublicHostsDefaultToTheListenAddressAndLoopbackNames) {
  EXPECT_EQ(config_of({}).public_hosts,
            (std::vector<std::string>{"127.0.0.1", "localhost", "127.0.0.1"}));
  EXPECT_EQ(config_of({"--listen", "192.168.1.20:0"}).public_hosts,
            (std::vector<std::string>{"192.168.1.20", "localhost", "127.0.0.1"}));
  EXPECT_EQ(config_of({"--listen", "[::1]:8080"}).public_hosts,
            (std::vector<std::string>{"[::1]", "localhost", "127.0.0.1"}));
  // A wildcard is not a name anyone types.
  EXPECT_EQ(config_of({"--listen", "0.0.0.0:8080"}).public_hosts,
            (std::vector<std::string>{"localhost", "127.0.0.1"}));
  // Given: exactly the list (env too).
  EXPECT_EQ(config_of({"--public-host", "relay.example, relay.example:8443"}).public_hosts,
            (std::vector<std::string>{"relay.example", "relay.example:8443"}));
  EXPECT_EQ(parse({}, {{"DYPLS_RELAY_PUBLIC_HOST", "a.example"}}).config->public_hosts,
            std::vector<std::string>{"a.example"});
}

TEST(RelayConfig, RefusesPublicHostsThatAreNotHostNames) {
  for (const char* bad :
       {"https://relay.example", "relay.example/", "relay example", "*", "relay.example:0",
        "relay.example:99999", "relay.example:8a", "[zz]", "user@relay.example", ","}) {
    EXPECT_FALSE(parse({"--public-host", bad}).config) << bad;
  }
  EXPECT_NE(parse({"--public-host", "https://x"}).error.find("--public-host: 'https://x'"),
            std::string::npos);
}

struct HostCase {
  const char* host;
  bool allowed;
};

TEST(RelayConfig, HostAllowedTable) {
  const RelayConfig defaults = config_of({"--listen", "127.0.0.1:8080"});
  const std::vector<HostCase> cases = {
      {"127.0.0.1", true},
      {"127.0.0.1:8080", true},
      {"127.0.0.1:39123", true},  // a name without a port in the list allows any port
      {"localhost", true},
      {"LOCALHOST:8080", true},
      {" localhost:8080\t", true},  // optional whitespace around a header value
      // DNS rebinding: a page on the attacker's name, resolved to the relay's address.
      {"attacker.example", false},
      {"attacker.example:8080", false},
      {"127.0.0.1.nip.io", false},
      {"127.0.0.1.nip.io:8080", false},
      {"localhost.attacker.example", false},
      {"localhost.", false},
      {"127.1", false},
      {"2130706433", false},
      {"0x7f.0.0.1", false},
      {"[::1]", false},
      {"[::ffff:127.0.0.1]:8080", false},
      {"::1", false},
      // Broken.
      {"", false},
      {" ", false},
      {"127.0.0.1:", false},
      {"127.0.0.1:0", false},
      {"127.0.0.1:65536", false},
      {"127.0.0.1:80:80", false},
      {"127.0.0.1:+80", false},
      {"user@127.0.0.1", false},
      {"127.0.0.1/", false},
      {"127.0.0.1 attacker.example", false},
      {"127.0.0.1,attacker.example", false},
      {"localhost\r\nX: y", false},
      {"[::1", false},
  };
  for (const auto& c : cases) EXPECT_EQ(host_allowed(defaults, c.host), c.allowed) << c.host;

  const RelayConfig listed = config_of({"--public-host", "relay.example,[::1]:8443"});
  EXPECT_TRUE(host_allowed(listed, "relay.example"));
  EXPECT_TRUE(host_allowed(listed, "Relay.Example:443"));
  EXPECT_TRUE(host_allowed(listed, "[::1]:8443"));
  EXPECT_FALSE(host_allowed(listed, "[::1]"));  // the listed port only
  EXPECT_FALSE(host_allowed(listed, "[::1]:8080"));
  EXPECT_FALSE(host_allowed(listed, "localhost"));  // the defaults are replaced
  EXPECT_FALSE(host_allowed(listed, "127.0.0.1"));
  EXPECT_FALSE(host_allowed(listed, "relay.example.attacker.example"));
}

TEST(RelayConfig, RequestHostAllowedNeedsExactlyOneHost) {
  const RelayConfig config = config_of({});
  EXPECT_TRUE(request_host_allowed(config, {{"Host", "127.0.0.1:8080"}, {"Accept", "x"}}));
  EXPECT_TRUE(request_host_allowed(config, {{"host", "localhost"}}));
  EXPECT_FALSE(request_host_allowed(config, {}));  // HTTP/1.0 without Host
  EXPECT_FALSE(request_host_allowed(config, {{"Host", "localhost"}, {"Host", "localhost"}}));
  EXPECT_FALSE(request_host_allowed(config, {{"Host", "localhost"}, {"HOST", "attacker.example"}}));
  EXPECT_FALSE(request_host_allowed(config, {{"Host", "attacker.example"}, {"Host", "localhost"}}));
  EXPECT_FALSE(request_host_allowed(config, {{"Host", ""}}));
  EXPECT_FALSE(request_host_allowed(config, {{"X-Forwarded-Host", "localhost"}}));
}

TEST(RelayConfig, ParsesTrustedProxies) {
  const auto config = config_of({"--trusted-proxy", "10.0.0.0/8, 192.168.1.7,::1,fd00::/8"});
  ASSERT_EQ(config.trusted_proxies.size(), 4U);
  EXPECT_EQ(config.trusted_proxies[0].prefix_bits, 96 + 8);
  EXPECT_EQ(config.trusted_proxies[1].prefix_bits, 128);
  EXPECT_EQ(config.trusted_proxies[3].prefix_bits, 8);
  EXPECT_EQ(parse({}, {{"DYPLS_RELAY_TRUSTED_PROXY", "127.0.0.1"}}).config->trusted_proxies.size(),
            1U);
  EXPECT_TRUE(config_of({}).trusted_proxies.empty());
  for (const char* bad : {"10.0.0.0/33", "::1/129", "10.0.0/8", "nginx.local", "10.0.0.1/",
                          "10.0.0.1/-1", "1.2.3.4:80", "*"}) {
    const auto result = parse({"--trusted-proxy", bad});
    EXPECT_FALSE(result.config) << bad;
    EXPECT_NE(result.error.find("--trusted-proxy"), std::string::npos) << bad;
  }
}

struct ClientCase {
  const char* name;
  const char* peer;
  std::vector<std::string> forwarded_for;
  const char* expected;
};

TEST(RelayConfig, ClientAddressTable) {
  const auto trusted =
      config_of({"--trusted-proxy", "127.0.0.1,10.1.0.0/16,fd00::/8"}).trusted_proxies;
  const std::vector<ClientCase> cases = {
      {"no proxy header", "203.0.113.9", {}, "203.0.113.9"},
      {"untrusted peer: its header is ignored", "203.0.113.9", {"198.51.100.1"}, "203.0.113.9"},
      {"untrusted peer spoofing loopback", "203.0.113.9", {"127.0.0.1"}, "203.0.113.9"},
      {"trusted peer, one hop", "127.0.0.1", {"198.51.100.1"}, "198.51.100.1"},
      {"trusted peer, the last hop wins", "127.0.0.1", {"1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
      {"client-supplied hops before it are not believed",
       "10.1.2.3",
       {"127.0.0.1, 10.1.0.9, 198.51.100.1"},
       "198.51.100.1"},
      {"several headers: the last one's last hop",
       "127.0.0.1",
       {"1.1.1.1", "198.51.100.1"},
       "198.51.100.1"},
      {"trusted peer without the header", "127.0.0.1", {}, "127.0.0.1"},
      {"garbage last hop: the peer", "127.0.0.1", {"1.1.1.1, not-an-address"}, "127.0.0.1"},
      {"empty last hop: the peer", "127.0.0.1", {"198.51.100.1,"}, "127.0.0.1"},
      {"empty header: the peer", "127.0.0.1", {""}, "127.0.0.1"},
      {"hop with a port: the peer", "127.0.0.1", {"198.51.100.1:4444"}, "127.0.0.1"},
      {"obfuscated hop: the peer", "127.0.0.1", {"unknown"}, "127.0.0.1"},
      {"IPv6 client", "127.0.0.1", {"2001:db8::1"}, "2001:db8::1"},
      {"IPv6 client written long", "127.0.0.1", {"2001:0db8:0:0:0:0:0:1"}, "2001:db8::1"},
      {"IPv6 trusted peer", "fd00::5", {"198.51.100.1"}, "198.51.100.1"},
      {"v4-mapped trusted peer", "::ffff:127.0.0.1", {"198.51.100.1"}, "198.51.100.1"},
      {"v4-mapped client is shown as IPv4", "127.0.0.1", {"::ffff:198.51.100.1"}, "198.51.100.1"},
      {"outside the CIDR", "10.2.0.1", {"198.51.100.1"}, "10.2.0.1"},
      {"peer that is not an address is kept as is", "unix-socket", {"1.2.3.4"}, "unix-socket"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(client_address(c.peer, c.forwarded_for, trusted), c.expected) << c.name;
  }
  // Nobody trusted: the header never counts.
  EXPECT_EQ(client_address("127.0.0.1", {"198.51.100.1"}, {}), "127.0.0.1");
  // A /0 trusts everyone (the operator's choice), still only the last hop.
  const auto everyone = config_of({"--trusted-proxy", "0.0.0.0/0"}).trusted_proxies;
  EXPECT_EQ(client_address("203.0.113.9", {"9.9.9.9, 198.51.100.1"}, everyone), "198.51.100.1");
}

}  // namespace
}  // namespace dypls::relay
