#include <gtest/gtest.h>

#include "relay/upstream_outcome.h"
#include "relay/upstream_url.h"

namespace dypls::relay {
namespace {

TEST(UpstreamUrl, ParsesSchemeHostAndPortOnly) {
  auto parsed = parse_upstream_url("https://dyplsapi.aliyuncs.com/");
  ASSERT_TRUE(parsed.upstream) << parsed.error;
  EXPECT_EQ(parsed.upstream->sign_host(), "dyplsapi.aliyuncs.com");
  EXPECT_EQ(parsed.upstream->base_url(), "https://dyplsapi.aliyuncs.com:443");

  parsed = parse_upstream_url("http://127.0.0.1:18081");
  ASSERT_TRUE(parsed.upstream);
  EXPECT_FALSE(parsed.upstream->tls);
  EXPECT_EQ(parsed.upstream->sign_host(), "127.0.0.1:18081");

  parsed = parse_upstream_url("http://[::1]:9000");
  ASSERT_TRUE(parsed.upstream) << parsed.error;
  EXPECT_EQ(parsed.upstream->host, "::1");
  EXPECT_EQ(parsed.upstream->sign_host(), "[::1]:9000");

  parsed = parse_upstream_url("HTTPS://Dyplsapi.Aliyuncs.COM");
  EXPECT_FALSE(parsed.upstream);  // the scheme is matched as written
  parsed = parse_upstream_url("https://Dyplsapi.Aliyuncs.COM");
  ASSERT_TRUE(parsed.upstream);
  EXPECT_EQ(parsed.upstream->host, "dyplsapi.aliyuncs.com");
}

TEST(UpstreamUrl, RefusesAnythingButAnOrigin) {
  for (const char* url :
       {"", "dyplsapi.aliyuncs.com", "ftp://x", "https://", "https://a/b", "https://a?b",
        "https://user@a", "https://a:", "https://a:0", "https://a:70000", "https://a:8o",
        "https://[::1", "https://a b", "https://a#b", "https://a\\b"}) {
    const auto parsed = parse_upstream_url(url);
    EXPECT_FALSE(parsed.upstream) << url;
    EXPECT_FALSE(parsed.error.empty()) << url;
  }
}

TEST(UpstreamOutcome, DistinguishesNotSentFromOutcomeUnknown) {
  const auto code = [](UpstreamFailure failure, double elapsed = 10, int status = 0) {
    const auto refusal = judge_upstream(UpstreamResult{failure, status, elapsed}, 1000);
    return refusal ? refusal->code : RelayCode::kInternalError;
  };
  EXPECT_FALSE(judge_upstream(UpstreamResult{UpstreamFailure::kNone, 200, 5}, 1000));
  EXPECT_FALSE(judge_upstream(UpstreamResult{UpstreamFailure::kNone, 503, 5}, 1000));
  EXPECT_EQ(code(UpstreamFailure::kNone, 5, 302), RelayCode::kUpstreamBadAnswer);
  EXPECT_EQ(code(UpstreamFailure::kConnect), RelayCode::kUpstreamUnreachable);
  EXPECT_EQ(code(UpstreamFailure::kTls), RelayCode::kUpstreamUnreachable);
  EXPECT_EQ(code(UpstreamFailure::kRead, 20), RelayCode::kUpstreamConnectionLost);
  EXPECT_EQ(code(UpstreamFailure::kRead, 1000), RelayCode::kUpstreamTimeout);
  EXPECT_EQ(code(UpstreamFailure::kDeadline), RelayCode::kUpstreamTimeout);
  EXPECT_EQ(code(UpstreamFailure::kWrite), RelayCode::kUpstreamConnectionLost);
  EXPECT_EQ(code(UpstreamFailure::kAnswerTooLarge), RelayCode::kUpstreamBadAnswer);
}

}  // namespace
}  // namespace dypls::relay
