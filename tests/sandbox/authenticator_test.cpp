#include "sandbox/authenticator.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "signed_request.h"

namespace dypls::sandbox {
namespace {

constexpr std::int64_t kNow = 1795000000;  // 2026-11-18
const std::string kHost = "127.0.0.1:8090";

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthenticatorTest() : rng(5) {
    const Account& owner = keys.add_account("LTAI5tTestKey", "test-secret", rng);
    sts = keys.issue_temporary(owner, 900, kNow, rng);
  }

  RequestSpec spec(SignatureStyle style, HttpMethod method) const {
    RequestSpec s;
    s.style = style;
    s.method = method;
    s.host = kHost;
    s.action = "BuySecretNo";
    s.params = {{"PoolKey", "FC1"}, {"SpecId", "1"}, {"City", "杭州"}, {"SecretNo", ""}};
    return s;
  }
  IncomingRequest signed_request(SignatureStyle style, HttpMethod method, const AccessKey& key,
                                 std::int64_t at = kNow, const std::string& nonce = "") {
    const SigningContext ctx{format_iso8601_utc(at),
                             nonce.empty() ? "nonce-" + std::to_string(++counter) : nonce};
    return testing::to_incoming(sign(spec(style, method), key, ctx), kHost);
  }
  AuthResult check(const IncomingRequest& request) {
    return authenticate(request, keys, nonces, policy, kNow);
  }

  KeyStore keys;
  NonceWindow nonces;
  AuthPolicy policy;
  Rng rng;
  TemporaryCredential sts;
  AccessKey good{"LTAI5tTestKey", "test-secret", ""};
  int counter = 0;
};

TEST_F(AuthenticatorTest, AcceptsEveryStyleAndMethod) {
  for (const auto style : {SignatureStyle::kV1, SignatureStyle::kV3}) {
    for (const auto method : {HttpMethod::kGet, HttpMethod::kPost}) {
      const AuthResult result = check(signed_request(style, method, good));
      ASSERT_TRUE(result.caller.has_value()) << result.error.code << " " << result.error.message;
      EXPECT_EQ(result.caller->action, "BuySecretNo");
      EXPECT_EQ(result.caller->version, "2017-05-25");
      EXPECT_EQ(result.caller->account_key_id, "LTAI5tTestKey");
      // Business parameters only, the empty one included.
      ASSERT_EQ(result.caller->params.size(), 4u);
      EXPECT_EQ(*find_param(result.caller->params, "City"), "杭州");
      EXPECT_EQ(*find_param(result.caller->params, "SecretNo"), "");
    }
  }
}

TEST_F(AuthenticatorTest, WrongSecretGivesOurStringToSign) {
  const AccessKey wrong{"LTAI5tTestKey", "not-the-secret", ""};
  for (const auto style : {SignatureStyle::kV1, SignatureStyle::kV3}) {
    const SigningContext ctx{format_iso8601_utc(kNow), "n-wrong-" + std::to_string(++counter)};
    const SignedRequest ours = sign(spec(style, HttpMethod::kPost), wrong, ctx);
    const AuthResult result = check(testing::to_incoming(ours, kHost));
    ASSERT_FALSE(result.caller.has_value());
    EXPECT_EQ(result.error.status, 400);
    EXPECT_EQ(result.error.code, "SignatureDoesNotMatch");
    const std::string marker = "server string to sign is:";
    const std::size_t at = result.error.message.find(marker);
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(result.error.message.substr(at + marker.size()), ours.string_to_sign);
  }
}

TEST_F(AuthenticatorTest, TamperedParameterBreaksTheSignature) {
  IncomingRequest request = signed_request(SignatureStyle::kV1, HttpMethod::kGet, good);
  for (Param& p : request.query) {
    if (p.name == "City") p.value = "上海";
  }
  EXPECT_EQ(check(request).error.code, "SignatureDoesNotMatch");
  IncomingRequest v3 = signed_request(SignatureStyle::kV3, HttpMethod::kPost, good);
  v3.host = "evil.example:80";
  EXPECT_EQ(check(v3).error.code, "SignatureDoesNotMatch");
}

TEST_F(AuthenticatorTest, TimestampWindow) {
  EXPECT_TRUE(check(signed_request(SignatureStyle::kV1, HttpMethod::kGet, good, kNow - 14 * 60))
                  .caller.has_value());
  EXPECT_TRUE(check(signed_request(SignatureStyle::kV3, HttpMethod::kGet, good, kNow + 14 * 60))
                  .caller.has_value());
  for (const auto style : {SignatureStyle::kV1, SignatureStyle::kV3}) {
    const AuthResult stale = check(signed_request(style, HttpMethod::kGet, good, kNow - 16 * 60));
    EXPECT_EQ(stale.error.code, "InvalidTimeStamp.Expired");
    EXPECT_EQ(stale.error.status, 400);
    EXPECT_EQ(check(signed_request(style, HttpMethod::kGet, good, kNow + 16 * 60)).error.code,
              "InvalidTimeStamp.Expired");
  }
}

TEST_F(AuthenticatorTest, NonceReuseIsRefusedUnlessRelaxed) {
  for (const auto style : {SignatureStyle::kV1, SignatureStyle::kV3}) {
    const std::string nonce = style == SignatureStyle::kV1 ? "same-1" : "same-3";
    EXPECT_TRUE(check(signed_request(style, HttpMethod::kPost, good, kNow, nonce)).caller);
    const AuthResult replay = check(signed_request(style, HttpMethod::kPost, good, kNow, nonce));
    EXPECT_EQ(replay.error.code, "SignatureNonceUsed");
  }
  policy.check_nonce = false;
  EXPECT_TRUE(
      check(signed_request(SignatureStyle::kV1, HttpMethod::kPost, good, kNow, "same-1")).caller);
}

TEST_F(AuthenticatorTest, ABadSignatureDoesNotBurnTheNonce) {
  const AccessKey wrong{"LTAI5tTestKey", "nope", ""};
  EXPECT_EQ(
      check(signed_request(SignatureStyle::kV1, HttpMethod::kGet, wrong, kNow, "n")).error.code,
      "SignatureDoesNotMatch");
  EXPECT_TRUE(check(signed_request(SignatureStyle::kV1, HttpMethod::kGet, good, kNow, "n")).caller);
}

TEST_F(AuthenticatorTest, UnknownKey) {
  const AuthResult result =
      check(signed_request(SignatureStyle::kV3, HttpMethod::kGet, {"LTAI5tNobody", "x", ""}));
  EXPECT_EQ(result.error.code, "InvalidAccessKeyId.NotFound");
  EXPECT_EQ(result.error.status, 404);
}

TEST_F(AuthenticatorTest, TemporaryCredentials) {
  const AccessKey temp{sts.key_id, sts.secret, sts.token};
  for (const auto style : {SignatureStyle::kV1, SignatureStyle::kV3}) {
    const AuthResult ok = check(signed_request(style, HttpMethod::kPost, temp));
    ASSERT_TRUE(ok.caller) << ok.error.message;
    EXPECT_TRUE(ok.caller->temporary);
    EXPECT_EQ(ok.caller->account_key_id, "LTAI5tTestKey");

    EXPECT_EQ(
        check(signed_request(style, HttpMethod::kPost, {sts.key_id, sts.secret, ""})).error.code,
        "MissingSecurityToken");
    EXPECT_EQ(check(signed_request(style, HttpMethod::kPost, {sts.key_id, sts.secret, "CAISx"}))
                  .error.code,
              "InvalidSecurityToken.Malformed");
  }
  // A real token, but issued with another key.
  const TemporaryCredential other =
      keys.issue_temporary(*keys.find_account("LTAI5tTestKey"), 900, kNow, rng);
  EXPECT_EQ(check(signed_request(SignatureStyle::kV1, HttpMethod::kGet,
                                 {sts.key_id, sts.secret, other.token}))
                .error.code,
            "InvalidSecurityToken.MismatchWithAccessKey");
  // Expired: the same credentials, checked after their expiry (timestamp still fresh).
  const IncomingRequest late =
      signed_request(SignatureStyle::kV3, HttpMethod::kGet, temp, sts.expires_at + 1);
  EXPECT_EQ(authenticate(late, keys, nonces, policy, sts.expires_at + 1).error.code,
            "InvalidSecurityToken.Expired");
}

TEST_F(AuthenticatorTest, MissingPiecesAreNamed) {
  IncomingRequest request = signed_request(SignatureStyle::kV1, HttpMethod::kGet, good);
  request.query.erase(std::remove_if(request.query.begin(), request.query.end(),
                                     [](const Param& p) { return p.name == "Timestamp"; }),
                      request.query.end());
  const AuthResult result = check(request);
  EXPECT_EQ(result.error.code, "MissingParameter");
  EXPECT_NE(result.error.message.find("Timestamp"), std::string::npos);

  IncomingRequest v3 = signed_request(SignatureStyle::kV3, HttpMethod::kGet, good);
  for (auto& [name, value] : v3.headers) {
    if (name == "authorization") value = "ACS3-HMAC-SHA256 garbage";
  }
  EXPECT_EQ(check(v3).error.code, "IncompleteSignature");

  IncomingRequest put = signed_request(SignatureStyle::kV1, HttpMethod::kGet, good);
  put.method = "PUT";
  EXPECT_EQ(check(put).error.code, "UnsupportedHTTPMethod");
}

TEST_F(AuthenticatorTest, V3BodyMustMatchItsHash) {
  IncomingRequest request = signed_request(SignatureStyle::kV3, HttpMethod::kPost, good);
  request.body = "PoolKey=FC2";
  const AuthResult result = check(request);
  EXPECT_EQ(result.error.code, "InvalidParameter");
  EXPECT_NE(result.error.message.find("x-acs-content-sha256"), std::string::npos);
}

}  // namespace
}  // namespace dypls::sandbox
