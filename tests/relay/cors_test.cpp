#include "relay/cors.h"

#include <gtest/gtest.h>

namespace dypls::relay {
namespace {

std::optional<std::string> value_of(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

const std::vector<std::string> kAllowed = {"https://console.example"};

TEST(Cors, JudgesOriginsByExactMatch) {
  EXPECT_EQ(judge_origin(kAllowed, std::nullopt, "relay:8080"), OriginVerdict::kAbsent);
  EXPECT_EQ(judge_origin(kAllowed, "https://console.example", "relay:8080"),
            OriginVerdict::kAllowed);
  EXPECT_EQ(judge_origin(kAllowed, "http://relay:8080", "relay:8080"), OriginVerdict::kSameOrigin);
  EXPECT_EQ(judge_origin(kAllowed, "https://console.example/", "relay"), OriginVerdict::kRefused);
  EXPECT_EQ(judge_origin(kAllowed, "https://CONSOLE.example.evil", "relay"),
            OriginVerdict::kRefused);
  EXPECT_EQ(judge_origin(kAllowed, "null", "relay"), OriginVerdict::kRefused);
  EXPECT_EQ(judge_origin(kAllowed, "", ""), OriginVerdict::kRefused);
  EXPECT_EQ(judge_origin({}, "http://relay:8081", "relay:8080"), OriginVerdict::kRefused);
}

TEST(Cors, AllowedOriginsReadAnswersIncludingErrors) {
  const auto headers = cors_headers(OriginVerdict::kAllowed, "https://console.example");
  EXPECT_EQ(value_of(headers, "Access-Control-Allow-Origin"), "https://console.example");
  EXPECT_EQ(value_of(headers, "Vary"), "Origin");
  const auto exposed = value_of(headers, "Access-Control-Expose-Headers").value_or("");
  for (const char* name : {"Date", "Retry-After", "x-acs-retry-after", "x-acs-request-id"}) {
    EXPECT_NE(exposed.find(name), std::string::npos) << name;
  }
  EXPECT_FALSE(value_of(headers, "Access-Control-Allow-Credentials"));
}

TEST(Cors, RefusedOriginsGetNoAllowOriginButStillVary) {
  const auto headers = cors_headers(OriginVerdict::kRefused, "https://evil.example");
  EXPECT_FALSE(value_of(headers, "Access-Control-Allow-Origin"));
  EXPECT_EQ(value_of(headers, "Vary"), "Origin");
}

// Without an Origin the headers do not depend on the verdict (the relay makes them once).
TEST(Cors, WithoutAnOriginOnlyVary) {
  for (const auto verdict : {OriginVerdict::kAbsent, OriginVerdict::kSameOrigin,
                             OriginVerdict::kAllowed, OriginVerdict::kRefused}) {
    const HeaderList expected = {{"Vary", "Origin"}};
    EXPECT_EQ(cors_headers(verdict, std::nullopt), expected);
  }
}

TEST(Cors, PreflightAllowsOnlyTheV3Headers) {
  const auto ok = answer_preflight(OriginVerdict::kAllowed, "https://console.example", "POST",
                                   "content-type, X-Acs-Action,x-acs-signature-nonce");
  EXPECT_TRUE(ok.allowed) << ok.problem;
  EXPECT_EQ(value_of(ok.headers, "Access-Control-Allow-Origin"), "https://console.example");
  EXPECT_EQ(value_of(ok.headers, "Access-Control-Allow-Methods"), "GET, POST");
  const auto allow = value_of(ok.headers, "Access-Control-Allow-Headers").value_or("");
  EXPECT_NE(allow.find("x-acs-security-token"), std::string::npos);
  EXPECT_EQ(allow.find("cookie"), std::string::npos);

  EXPECT_FALSE(answer_preflight(OriginVerdict::kAllowed, "https://console.example", "POST",
                                "x-forwarded-host")
                   .allowed);
  EXPECT_FALSE(
      answer_preflight(OriginVerdict::kAllowed, "https://console.example", "DELETE", "").allowed);
  const auto refused =
      answer_preflight(OriginVerdict::kRefused, "https://evil.example", "POST", "");
  EXPECT_FALSE(refused.allowed);
  EXPECT_FALSE(value_of(refused.headers, "Access-Control-Allow-Origin"));
}

}  // namespace
}  // namespace dypls::relay
