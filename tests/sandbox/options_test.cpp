#include "sandbox/options.h"

#include <gtest/gtest.h>

namespace dypls::sandbox {
namespace {

TEST(Options, ReadsEveryFlag) {
  const ParsedOptions parsed = parse_options({"--listen",
                                              "127.0.0.1:0",
                                              "--account",
                                              "AK:se:cret",
                                              "--pool",
                                              "FC1",
                                              "--pool",
                                              "FC2",
                                              "--seed",
                                              "7",
                                              "--state",
                                              "/tmp/x.json",
                                              "--stock",
                                              "1:拉萨:2",
                                              "--latency-ms",
                                              "20",
                                              "--error-rate",
                                              "0.5",
                                              "--throttle-rate",
                                              "0.25",
                                              "--drop-after-commit",
                                              "1",
                                              "--no-nonce-check",
                                              "--threads",
                                              "4"});
  ASSERT_TRUE(parsed.options) << parsed.error;
  const SandboxOptions& o = *parsed.options;
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_EQ(o.port, 0);
  ASSERT_EQ(o.accounts.size(), 1u);
  EXPECT_EQ(o.accounts[0].key_id, "AK");
  EXPECT_EQ(o.accounts[0].secret, "se:cret");  // only the first colon splits
  EXPECT_EQ(o.pools.size(), 2u);
  EXPECT_EQ(*o.seed, 7u);
  ASSERT_EQ(o.stock.size(), 1u);
  EXPECT_EQ(o.stock[0].city, "拉萨");
  EXPECT_EQ(o.stock[0].amount, 2);
  EXPECT_EQ(o.faults.latency_ms, 20);
  EXPECT_DOUBLE_EQ(o.faults.error_rate, 0.5);
  EXPECT_DOUBLE_EQ(o.faults.throttle_rate, 0.25);
  EXPECT_DOUBLE_EQ(o.faults.drop_after_commit, 1.0);
  EXPECT_FALSE(o.auth.check_nonce);
  EXPECT_EQ(o.threads, 4);
}

TEST(Options, RefusesBadInputWithAReason) {
  const std::vector<std::vector<std::string>> bad = {{"--listen", "8090"},
                                                     {"--account", "nosecret"},
                                                     {"--seed", "-1"},
                                                     {"--error-rate", "1.5"},
                                                     {"--stock", "4:杭州:1"},
                                                     {"--stock", "1::1"},
                                                     {"--latency-ms", "x"},
                                                     {"--bogus"},
                                                     {"--pool"},
                                                     {"stray"}};
  for (const auto& args : bad) {
    const ParsedOptions parsed = parse_options(args);
    EXPECT_FALSE(parsed.options) << args[0];
    EXPECT_NE(parsed.error.find("--help"), std::string::npos);
  }
  EXPECT_TRUE(parse_options({"--help"}).options->help);
}

}  // namespace
}  // namespace dypls::sandbox
