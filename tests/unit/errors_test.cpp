// classify_error, hints, transport errors and the signature-mismatch diagnosis.
#include "core/api_error.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/signer.h"

namespace dypls {
namespace {

std::string gateway_body(const std::string& code, const std::string& message = "m") {
  return R"({"RequestId":"R-1","HostId":"dyplsapi.aliyuncs.com","Code":")" + code +
         R"(","Message":")" + message + R"(","Recommend":"https://example.invalid/troubleshoot"})";
}

TEST(HintForCode, EveryDocumentedCodeHasItsOwnHint) {
  const Message generic_200 = hint_for_code("isv.SOMETHING_NEW", 200);
  const Message generic_400 = hint_for_code("SomethingNew", 400);
  for (const char* code : {"isv.NO_AVAILABLE_NUMBER",
                           "isv.BUY_NUM_OVER_LIMIT",
                           "isv.POOLKEY_NOT_EXISTS",
                           "isv.NO_NOT_EXIST",
                           "isv.ILLEGAL_ARGUMENT",
                           "isv.INVALID_PARAMETERS",
                           "isv.MOBILE_NUMBER_ILLEGAL",
                           "isv.FLOW_LIMIT",
                           "isv.OUT_OF_SERVICE",
                           "isv.PRODUCT_UN_SUBSCRIPT",
                           "isv.ACCOUNT_NOT_EXISTS",
                           "isv.ACCOUNT_ABNORMAL",
                           "isv.FORBIDDEN_ACTION",
                           "isv.PRODUCT_UNSUBSCRIBE",
                           "RamPermissionDenied",
                           "POOLKEY_NOT_EXIST",
                           "InvalidAccessKeyId",
                           "InvalidAction.NotFound",
                           "Forbidden.Action",
                           "isp.RAM_PERMISSION_DENY",
                           "isp.SYSTEM_ERROR",
                           "isp.DAO_EXCEPTION",
                           "isp.UNKNOWN_ERR_CODE",
                           "isp.GATEWAY_ERROR",
                           "InvalidAccessKeyId.NotFound",
                           "InvalidAccessKeyId.Inactive",
                           "SignatureDoesNotMatch",
                           "SignatureNonceUsed",
                           "InvalidTimeStamp.Expired",
                           "MissingSecurityToken",
                           "InvalidSecurityToken.Expired",
                           "InvalidSecurityToken.Malformed",
                           "InvalidSecurityToken.MismatchWithAccessKey",
                           "MissingParameter",
                           "InvalidParameter",
                           "Forbidden.RAM",
                           "NoPermission",
                           "Throttling",
                           "Throttling.User",
                           "Throttling.Api",
                           "FlowLimited",
                           "InternalError",
                           "Relay.OriginNotAllowed",
                           "Relay.ActionNotAllowed",
                           "Relay.VersionNotAllowed",
                           "Relay.BadRequest",
                           "Relay.PayloadTooLarge",
                           "Relay.RateLimited",
                           "Relay.Busy",
                           "Relay.UpstreamUnreachable",
                           "Relay.UpstreamTimeout",
                           "Relay.UpstreamConnectionLost",
                           "Relay.UpstreamBadAnswer"}) {
    for (int status : {200, 400}) {
      Message hint = hint_for_code(code, status);
      EXPECT_FALSE(hint.en.empty()) << code;
      EXPECT_FALSE(hint.zh.empty()) << code;
      EXPECT_NE(hint.en, generic_200.en) << code << " falls back to the generic hint";
      EXPECT_NE(hint.en, generic_400.en) << code << " falls back to the generic hint";
    }
  }
}

TEST(HintForCode, UnknownCodesGetAGenericHintByStatus) {
  EXPECT_NE(hint_for_code("Whatever", 200).en.find("refused"), std::string::npos);
  EXPECT_NE(hint_for_code("Whatever", 403).en.find("HTTP 403"), std::string::npos);
  EXPECT_NE(hint_for_code("Whatever", 502).en.find("check whether a number was bought"),
            std::string::npos);
  EXPECT_FALSE(hint_for_code("", 500).zh.empty());
}

TEST(ClassifyError, BusinessError) {
  ApiError error = classify_error(
      200, R"({"Code":"isv.NO_AVAILABLE_NUMBER","Message":"无可用号码","RequestId":"R-2"})");
  EXPECT_EQ(error.kind, ErrorKind::kBusiness);
  EXPECT_EQ(error.code, "isv.NO_AVAILABLE_NUMBER");
  EXPECT_EQ(error.message, "无可用号码");
  EXPECT_EQ(error.request_id, "R-2");
  EXPECT_EQ(error.http_status, 200);
  EXPECT_FALSE(error.retryable);
  EXPECT_FALSE(error.outcome_unknown);
}

TEST(ClassifyError, GatewayErrorKeepsRecommend) {
  ApiError error = classify_error(404, gateway_body("InvalidAccessKeyId.NotFound"));
  EXPECT_EQ(error.kind, ErrorKind::kGateway);
  EXPECT_EQ(error.recommend, "https://example.invalid/troubleshoot");
  EXPECT_EQ(error.http_status, 404);
}

TEST(ClassifyError, ServerFailuresLeaveTheOutcomeUnknown) {
  // Retryable for a query, but a purchase answered this way may have been committed.
  EXPECT_TRUE(classify_error(500, gateway_body("InternalError")).outcome_unknown);
  EXPECT_TRUE(classify_error(502, gateway_body("BadGateway")).outcome_unknown);
  EXPECT_TRUE(classify_error(504, gateway_body("GatewayTimeout")).outcome_unknown);
  EXPECT_TRUE(classify_error(500, gateway_body("Relay.InternalError")).outcome_unknown);
  EXPECT_FALSE(classify_error(503, gateway_body("ServiceUnavailable")).outcome_unknown);
  EXPECT_FALSE(classify_error(502, gateway_body("Relay.UpstreamUnreachable")).outcome_unknown);
  EXPECT_FALSE(classify_error(400, gateway_body("SignatureDoesNotMatch")).outcome_unknown);
  EXPECT_FALSE(classify_error(200, gateway_body("isv.NO_AVAILABLE_NUMBER")).outcome_unknown);
}

TEST(ClassifyError, RetryableCodes) {
  for (const char* code :
       {"isp.SYSTEM_ERROR", "isp.DAO_EXCEPTION", "isp.UNKNOWN_ERR_CODE", "isp.GATEWAY_ERROR"}) {
    EXPECT_TRUE(classify_error(200, gateway_body(code)).retryable) << code;
  }
  EXPECT_TRUE(classify_error(500, gateway_body("InternalError")).retryable);
  EXPECT_TRUE(classify_error(503, gateway_body("ServiceUnavailable")).retryable);
  EXPECT_TRUE(classify_error(503, gateway_body("SomethingElse")).retryable) << "every 503";
  EXPECT_FALSE(classify_error(400, gateway_body("InvalidParameter")).retryable);
  EXPECT_FALSE(classify_error(400, gateway_body("InvalidTimeStamp.Expired")).retryable);
}

RetryAfterHeaders acs(const std::string& ms) {
  return {ms, std::nullopt};
}
RetryAfterHeaders standard(const std::string& seconds) {
  return {std::nullopt, seconds};
}

TEST(ClassifyError, ThrottlingWithRetryAfter) {
  for (const auto& [status, code] : {std::pair<int, std::string>{400, "Throttling"},
                                     {400, "Throttling.User"},
                                     {400, "Throttling.Api"},
                                     {400, "FlowLimited"},
                                     {200, "isv.FLOW_LIMIT"},
                                     {400, "isv.FLOW_LIMIT"},
                                     {429, "Relay.RateLimited"},
                                     {503, "Relay.Busy"}}) {
    ApiError error = classify_error(status, gateway_body(code), acs("1500"));
    EXPECT_TRUE(error.throttled) << code;
    EXPECT_EQ(error.family, ErrorFamily::kThrottled) << code;
    EXPECT_EQ(error.retry_after_ms, 1500) << code << ": x-acs-retry-after is milliseconds";
    EXPECT_FALSE(error.outcome_unknown) << code;
    EXPECT_EQ(classify_error(status, gateway_body(code), standard("12")).retry_after_ms, 12000)
        << code << ": Retry-After is seconds";
  }
  EXPECT_FALSE(classify_error(400, gateway_body("Throttling")).retry_after_ms.has_value());
  EXPECT_FALSE(
      classify_error(400, gateway_body("Throttling"), standard("Wed, 21 Oct 2026 07:28:00 GMT"))
          .retry_after_ms.has_value());
  EXPECT_EQ(classify_error(400, gateway_body("Throttling"), standard(" 5 ")).retry_after_ms, 5000);
  EXPECT_EQ(classify_error(400, gateway_body("Throttling"), acs("abc")).retry_after_ms,
            std::nullopt);
  EXPECT_FALSE(classify_error(400, gateway_body("InvalidParameter"), acs("5")).throttled);
}

TEST(ParseRetryAfter, MillisecondsFirstThenSeconds) {
  EXPECT_EQ(parse_retry_after({"2000", std::nullopt}), 2000) << "a live 2000 is two seconds";
  EXPECT_EQ(parse_retry_after({"80", std::nullopt}), 80);
  EXPECT_EQ(parse_retry_after({std::nullopt, "2"}), 2000);
  EXPECT_EQ(parse_retry_after({"1500", "30"}), 1500) << "x-acs-retry-after wins";
  EXPECT_EQ(parse_retry_after({"soon", "3"}), 3000) << "an unreadable one falls back";
  EXPECT_EQ(parse_retry_after({std::nullopt, std::nullopt}), std::nullopt);
  EXPECT_EQ(parse_retry_after({"-5", std::nullopt}), std::nullopt);
  EXPECT_EQ(parse_retry_after({"1.5", std::nullopt}), std::nullopt);
  EXPECT_EQ(parse_retry_after({"", ""}), std::nullopt);
  EXPECT_EQ(parse_retry_after({"999999999999999", std::nullopt}), 86400000) << "capped at a day";
  EXPECT_EQ(parse_retry_after({std::nullopt, "999999999"}), 86400000);
  EXPECT_EQ(parse_retry_after({"99999999999999999999", std::nullopt}), std::nullopt);
}

TEST(ThrottleWait, BoundedToWhatAPersonWaitsFor) {
  ApiError error = classify_error(400, gateway_body("Throttling.User"), acs("1500"));
  EXPECT_EQ(throttle_wait_ms(error, 0), 1500);
  EXPECT_EQ(throttle_wait_ms(error, 7), 1500) << "an asked-for wait beats the backoff";
  error.retry_after_ms = 2000 * 1000;  // a misread "2000 s": 33 minutes
  EXPECT_EQ(throttle_wait_ms(error, 0), kMaxThrottleWaitMs);
  error.retry_after_ms = 0;
  EXPECT_EQ(throttle_wait_ms(error, 0), kMinThrottleWaitMs);
  error.retry_after_ms.reset();
  EXPECT_EQ(throttle_wait_ms(error, 0), 1000);
  EXPECT_EQ(throttle_wait_ms(error, 1), 2000);
  EXPECT_EQ(throttle_wait_ms(error, 4), 16000);
  EXPECT_EQ(throttle_wait_ms(error, 40), 16000);
  EXPECT_EQ(throttle_wait_ms(error, -3), 1000);
  EXPECT_LE(kMaxThrottleWaitMs, 60000);
}

TEST(ClassifyError, CodeFirstStatusSecond) {
  // Business-style codes the metadata lists with HTTP 400.
  for (const char* code : {"isp.RAM_PERMISSION_DENY", "RamPermissionDenied", "POOLKEY_NOT_EXIST"}) {
    ApiError error = classify_error(400, gateway_body(code));
    EXPECT_EQ(error.kind, ErrorKind::kBusiness) << code;
    EXPECT_FALSE(error.throttled) << code;
    EXPECT_FALSE(error.retryable) << code;
    EXPECT_FALSE(error.outcome_unknown) << code;
    EXPECT_NE(error.hint.en, hint_for_code("SomethingNew", 400).en) << code << " has its own hint";
  }
  EXPECT_EQ(classify_error(400, gateway_body("isp.RAM_PERMISSION_DENY")).family,
            ErrorFamily::kPermission);
  EXPECT_EQ(classify_error(400, gateway_body("RamPermissionDenied")).family,
            ErrorFamily::kPermission);
  EXPECT_EQ(classify_error(403, gateway_body("Forbidden.RAM")).family, ErrorFamily::kPermission);
  // A refusal by code is not carried out even when a 5xx carried it.
  EXPECT_FALSE(classify_error(500, gateway_body("isp.RAM_PERMISSION_DENY")).outcome_unknown);
  EXPECT_FALSE(classify_error(502, gateway_body("isv.NO_AVAILABLE_NUMBER")).outcome_unknown);
  EXPECT_FALSE(classify_error(500, gateway_body("FlowLimited")).outcome_unknown);
  // A server-side code, or one we do not know, on a 5xx may have been carried out.
  EXPECT_TRUE(classify_error(500, gateway_body("isp.SYSTEM_ERROR")).outcome_unknown);
  EXPECT_TRUE(classify_error(500, gateway_body("SomethingNew")).outcome_unknown);
  EXPECT_FALSE(classify_error(200, gateway_body("isp.SYSTEM_ERROR")).outcome_unknown);
  for (const char* code : {"InvalidAction.NotFound", "Forbidden.Action", "isv.FORBIDDEN_ACTION"}) {
    EXPECT_EQ(classify_error(404, gateway_body(code)).family, ErrorFamily::kActionRefused) << code;
  }
}

TEST(HintFor, CredentialErrorsAsPeopleMeetThem) {
  const Message expired = hint_for_code("InvalidSecurityToken.Expired", 400);
  const Message malformed = hint_for_code("InvalidSecurityToken.Malformed", 400);
  ApiError as_parameter = classify_error(
      400, gateway_body("InvalidParameter",
                        "The specified parameter SecurityToken.Expired is not valid."));
  EXPECT_EQ(as_parameter.hint.en, expired.en);
  EXPECT_EQ(as_parameter.hint.zh, expired.zh);
  EXPECT_EQ(as_parameter.family, ErrorFamily::kCredentials);
  EXPECT_EQ(
      classify_error(400, gateway_body("InvalidParameter", "SecurityToken.Malformed")).hint.en,
      malformed.en);

  ApiError dropped = classify_error(
      400, gateway_body("MissingParameter",
                        "The input parameter SecurityToken that is mandatory for processing this "
                        "request is not supplied."));
  EXPECT_NE(dropped.hint.en.find("without its SecurityToken"), std::string::npos);
  EXPECT_FALSE(dropped.hint.zh.empty());
  EXPECT_EQ(dropped.family, ErrorFamily::kCredentials);

  ApiError bare = classify_error(
      400, gateway_body("InvalidAccessKeyId", "Specified access key is not found or invalid."));
  EXPECT_NE(bare.hint.en.find("mistyped"), std::string::npos);
  EXPECT_NE(bare.hint.en.find("swapped"), std::string::npos);
  EXPECT_EQ(bare.family, ErrorFamily::kCredentials);
  EXPECT_NE(classify_error(404, gateway_body("InvalidAccessKeyId.NotFound")).hint.en, bare.hint.en)
      << "the canonical code keeps its own hint";

  // Other parameters keep the plain hints.
  ApiError city = classify_error(400, gateway_body("InvalidParameter", "City is not valid."));
  EXPECT_EQ(city.hint.en, hint_for_code("InvalidParameter", 400).en);
  EXPECT_EQ(city.family, ErrorFamily::kRefused);
  EXPECT_EQ(classify_error(400, gateway_body("MissingParameter", "PoolKey is mandatory.")).hint.en,
            hint_for_code("MissingParameter", 400).en);
}

TEST(ClassifyError, RelayErrorsAndTheOutcome) {
  ApiError timeout = classify_error(504, gateway_body("Relay.UpstreamTimeout"));
  EXPECT_EQ(timeout.kind, ErrorKind::kRelay);
  EXPECT_TRUE(timeout.outcome_unknown);
  EXPECT_FALSE(timeout.retryable);
  ApiError lost = classify_error(502, gateway_body("Relay.UpstreamConnectionLost"));
  EXPECT_TRUE(lost.outcome_unknown);
  EXPECT_FALSE(lost.retryable);
  ApiError unreachable = classify_error(502, gateway_body("Relay.UpstreamUnreachable"));
  EXPECT_FALSE(unreachable.outcome_unknown) << "never delivered";
  EXPECT_TRUE(unreachable.retryable);
  for (const auto& [status, code] : {std::pair<int, std::string>{403, "Relay.OriginNotAllowed"},
                                     {403, "Relay.ActionNotAllowed"},
                                     {403, "Relay.VersionNotAllowed"},
                                     {400, "Relay.BadRequest"},
                                     {413, "Relay.PayloadTooLarge"}}) {
    ApiError error = classify_error(status, gateway_body(code));
    EXPECT_EQ(error.kind, ErrorKind::kRelay) << code;
    EXPECT_FALSE(error.retryable) << code;
    EXPECT_FALSE(error.outcome_unknown) << code;
  }
}

TEST(ClassifyError, MalformedBodies) {
  ApiError html = classify_error(502, "<html><body>502 Bad Gateway</body></html>");
  EXPECT_EQ(html.kind, ErrorKind::kMalformed);
  EXPECT_TRUE(html.outcome_unknown);
  EXPECT_NE(html.message.find("502 Bad Gateway"), std::string::npos) << "a snippet helps debugging";
  EXPECT_FALSE(html.hint.zh.empty());

  ApiError empty_ok = classify_error(200, "");
  EXPECT_EQ(empty_ok.kind, ErrorKind::kMalformed);
  EXPECT_TRUE(empty_ok.outcome_unknown);
  EXPECT_NE(empty_ok.message.find("empty"), std::string::npos);

  ApiError refused = classify_error(403, "Forbidden");
  EXPECT_FALSE(refused.outcome_unknown);
  EXPECT_FALSE(refused.retryable);

  ApiError long_body = classify_error(500, std::string(5000, 'x') + "\n\x01");
  EXPECT_LT(long_body.message.size(), 300U) << "the snippet is bounded";
  EXPECT_EQ(long_body.message.find('\x01'), std::string::npos);

  // Cut in the middle of a Chinese character: the snippet still ends on a whole one.
  std::string chinese;
  for (int i = 0; i < 100; ++i) chinese += "错";
  ApiError cut = classify_error(500, "x" + chinese);
  std::string shown = cut.message.substr(cut.message.find(": ") + 2);
  EXPECT_EQ(shown.substr(shown.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ((shown.size() - 1 - 3) % 3, 0U) << shown;
}

TEST(ClassifyError, StatusZeroIsATransportError) {
  ApiError error = classify_error(0, "");
  EXPECT_EQ(error.kind, ErrorKind::kTransport);
  EXPECT_TRUE(error.outcome_unknown);
}

TEST(TransportError, OutcomeUnknownAndNotRetryable) {
  ApiError error = transport_error("connection refused");
  EXPECT_EQ(error.kind, ErrorKind::kTransport);
  EXPECT_EQ(error.http_status, 0);
  EXPECT_EQ(error.message, "connection refused");
  EXPECT_TRUE(error.outcome_unknown);
  EXPECT_FALSE(error.retryable);
  EXPECT_NE(error.hint.en.find("check your numbers before buying again"), std::string::npos);
  EXPECT_NE(error.hint.zh.find("请先核对号码"), std::string::npos);
}

TEST(HintForARead, DropsOnlyThePurchaseCaveat) {
  const std::vector<ApiError> unknown_outcomes = {
      classify_error(0, ""),
      classify_error(504, gateway_body("Relay.UpstreamTimeout")),
      classify_error(502, gateway_body("Relay.UpstreamConnectionLost")),
      classify_error(502, gateway_body("Relay.UpstreamBadAnswer")),
      classify_error(502, "<html>502</html>"),
  };
  for (const ApiError& error : unknown_outcomes) {
    ASSERT_NE(error.hint.en.find("for a purchase"), std::string::npos) << error.code;
    const Message read = hint_for_a_read(error);
    EXPECT_EQ(read.en.find("purchase"), std::string::npos) << read.en;
    EXPECT_EQ(read.zh.find("购买"), std::string::npos) << read.zh;
    EXPECT_EQ(error.hint.en.rfind(read.en, 0), 0U) << "its first sentences, unchanged";
    EXPECT_EQ(read.en.back(), '.') << read.en;
    EXPECT_EQ(error.hint.zh.rfind(read.zh, 0), 0U);
  }
  EXPECT_EQ(hint_for_a_read(classify_error(0, "")).en,
            "No answer arrived (network down, relay stopped, or timeout).");
  const ApiError throttled = classify_error(400, R"({"Code":"Throttling.User","Message":"x"})");
  EXPECT_EQ(hint_for_a_read(throttled).en, throttled.hint.en) << "nothing to drop";
  EXPECT_EQ(hint_for_a_read(throttled).zh, throttled.hint.zh);
}

// ---- SignatureDoesNotMatch ----

constexpr const char* kOurs =
    "POST&%2F&AccessKeyId%3Dtestid%26Action%3DQuerySecretNoRemain%26City%3D%25E6%259D%25AD"
    "%25E5%25B7%259E%26Format%3DJSON%26SecurityToken%3DCAIStoken%26SignatureMethod%3DHMAC-SHA1";

TEST(ClassifyError, SignatureMismatchKeepsTheServerStringAsideFromTheMessage) {
  std::string body = gateway_body("SignatureDoesNotMatch",
                                  std::string("Specified signature is not matched with our "
                                              "calculation. server string to sign is:") +
                                      kOurs);
  ApiError error = classify_error(400, body);
  ASSERT_TRUE(error.server_string_to_sign.has_value());
  EXPECT_EQ(*error.server_string_to_sign, kOurs);
  EXPECT_EQ(error.message.find("CAIStoken"), std::string::npos) << "the token stays out";
  EXPECT_NE(error.message.find("not matched"), std::string::npos);
  EXPECT_FALSE(error.retryable);

  ApiError without_marker =
      classify_error(400, gateway_body("SignatureDoesNotMatch", "Specified signature is wrong."));
  EXPECT_FALSE(without_marker.server_string_to_sign.has_value());
  EXPECT_FALSE(classify_error(400, gateway_body("InvalidParameter", "server string to sign is:x"))
                   .server_string_to_sign.has_value());
}

TEST(DiagnoseSignatureMismatch, SameStringMeansWrongSecret) {
  SignatureDiagnosis diagnosis = diagnose_signature_mismatch(kOurs, kOurs);
  EXPECT_TRUE(diagnosis.same_string_to_sign);
  EXPECT_NE(diagnosis.explanation.en.find("AccessKeySecret is wrong"), std::string::npos);
  EXPECT_NE(diagnosis.explanation.zh.find("AccessKeySecret 不正确"), std::string::npos);
}

TEST(DiagnoseSignatureMismatch, DifferentStringPointsAtTheParameter) {
  std::string theirs = kOurs;
  std::size_t city = theirs.find("%25E6");
  theirs.replace(city, 5, "%3F");  // the city was mangled on the way
  SignatureDiagnosis diagnosis = diagnose_signature_mismatch(theirs, kOurs);
  EXPECT_FALSE(diagnosis.same_string_to_sign);
  EXPECT_EQ(diagnosis.first_difference, city + 1);
  EXPECT_NE(diagnosis.explanation.en.find("byte " + std::to_string(city + 1)), std::string::npos);
  EXPECT_NE(diagnosis.explanation.en.find("in parameter City"), std::string::npos)
      << diagnosis.explanation.en;
  EXPECT_NE(diagnosis.explanation.zh.find("City"), std::string::npos);
}

TEST(DiagnoseSignatureMismatch, NeverShowsTheToken) {
  std::string theirs = kOurs;
  theirs.replace(theirs.find("CAIStoken"), 9, "CAIStokeX");
  SignatureDiagnosis diagnosis = diagnose_signature_mismatch(theirs, kOurs);
  EXPECT_NE(diagnosis.explanation.en.find("SecurityToken"), std::string::npos);
  EXPECT_EQ(diagnosis.explanation.en.find("CAIStoke"), std::string::npos);
  EXPECT_EQ(diagnosis.explanation.zh.find("CAIStoke"), std::string::npos);
}

TEST(DiagnoseSignatureMismatch, MethodDiffers) {
  std::string theirs = std::string("GET") + (kOurs + 4);
  SignatureDiagnosis diagnosis = diagnose_signature_mismatch(theirs, kOurs);
  EXPECT_EQ(diagnosis.first_difference, 0U);
  EXPECT_NE(diagnosis.explanation.en.find("method"), std::string::npos);
}

TEST(DiagnoseSignatureMismatch, PrefixAndV3) {
  std::string ours = kOurs;
  SignatureDiagnosis shorter = diagnose_signature_mismatch(ours.substr(0, 40), ours);
  EXPECT_EQ(shorter.first_difference, 40U);
  SignatureDiagnosis v3 =
      diagnose_signature_mismatch("ACS3-HMAC-SHA256\nabc", "ACS3-HMAC-SHA256\nabd");
  EXPECT_FALSE(v3.same_string_to_sign);
  EXPECT_EQ(v3.first_difference, 19U);
  EXPECT_NE(v3.explanation.en.find("canonical request"), std::string::npos);
}

// The diagnosis on strings made by the real signer: a secret that differs gives the same string.
TEST(DiagnoseSignatureMismatch, WithTheSigner) {
  RequestSpec spec;
  spec.action = "QuerySecretNoRemain";
  spec.params = {{"City", "杭州"}, {"SpecId", "1"}};
  SigningContext context{"2026-11-28T06:52:17Z", "nonce-1"};
  SignedRequest ours = sign(spec, AccessKey{"testid", "right", ""}, context);
  SignedRequest theirs = sign(spec, AccessKey{"testid", "wrong", ""}, context);
  EXPECT_TRUE(
      diagnose_signature_mismatch(theirs.string_to_sign, ours.string_to_sign).same_string_to_sign);
  spec.params[0].value = "杭州 ";
  SignedRequest changed = sign(spec, AccessKey{"testid", "right", ""}, context);
  SignatureDiagnosis diagnosis =
      diagnose_signature_mismatch(changed.string_to_sign, ours.string_to_sign);
  EXPECT_FALSE(diagnosis.same_string_to_sign);
  EXPECT_NE(diagnosis.explanation.en.find("in parameter City"), std::string::npos)
      << diagnosis.explanation.en;
}

}  // namespace
}  // namespace dypls
