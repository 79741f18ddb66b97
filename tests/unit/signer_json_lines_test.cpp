// dypls-sign's line protocol: one JSON request in, one JSON answer out, junk refused clearly.
#include "cli/sign_json.h"

#include <gtest/gtest.h>

#include <string>

#include "core/encoding.h"

namespace dypls::cli {
namespace {

using Json = nlohmann::json;

const SigningContext kFresh{"2026-11-28T06:52:17Z", "fresh-nonce"};

Json base_request() {
  return Json{{"method", "GET"},
              {"style", "v1"},
              {"accessKeyId", "testid"},
              {"accessKeySecret", "testsecret"},
              {"securityToken", nullptr},
              {"action", "BuySecretNo"},
              {"version", "2017-05-25"},
              {"endpoint", "dyplsapi.aliyuncs.com"},
              {"nonce", "n-1"},
              {"timestamp", "2026-11-28T06:52:17Z"},
              {"params",
               {{"City", "杭州"}, {"PoolKey", "FC123456"}, {"SpecId", 1}, {"DisplayPool", false}}}};
}

Json answer_for(const Json& request) {
  return Json::parse(sign_json_line(request.dump(), kFresh));
}

std::string error_for_line(std::string_view line) {
  const Json answer = Json::parse(sign_json_line(line, kFresh));
  return answer.value("error", std::string());
}

std::string error_for(const Json& request) {
  return error_for_line(request.dump());
}

TEST(SignJsonLine, V1AnswerHasSignatureStringToSignAndUrl) {
  const Json answer = answer_for(base_request());
  ASSERT_FALSE(answer.contains("error")) << answer.dump();
  const std::string signature = answer.at("signature");
  EXPECT_EQ(signature.size(), 28U);  // base64 of 20 bytes
  EXPECT_EQ(answer.at("stringToSign").get<std::string>().rfind("GET&%2F&", 0), 0U);
  const std::string url = answer.at("url");
  EXPECT_EQ(url.rfind("https://dyplsapi.aliyuncs.com/?AccessKeyId=testid&", 0), 0U);
  const std::string tail = "&Signature=" + percent_encode(signature);
  ASSERT_GT(url.size(), tail.size());
  EXPECT_EQ(url.substr(url.size() - tail.size()), tail);  // signature last
  EXPECT_FALSE(answer.contains("body"));
}

TEST(SignJsonLine, ParamValuesAreRenderedAsTheDesignSays) {
  const std::string canonical = answer_for(base_request()).at("canonicalQuery");
  EXPECT_NE(canonical.find("&SpecId=1&"), std::string::npos);
  EXPECT_NE(canonical.find("&DisplayPool=false&"), std::string::npos);
  Json request = base_request();
  request["params"] = {{"A", true}, {"B", ""}, {"C", -7}, {"D", 18446744073709551615ULL}};
  const std::string more = answer_for(request).at("canonicalQuery");
  EXPECT_EQ(
      more.rfind("A=true&AccessKeyId=testid&Action=BuySecretNo&B=&C=-7&D=18446744073709551615&", 0),
      0U);
}

TEST(SignJsonLine, V1PostCarriesTheFormBody) {
  Json request = base_request();
  request["method"] = "POST";
  const Json answer = answer_for(request);
  EXPECT_EQ(answer.at("url"), "https://dyplsapi.aliyuncs.com/");
  EXPECT_EQ(answer.at("contentType"), "application/x-www-form-urlencoded");
  EXPECT_EQ(answer.at("body"), answer.at("canonicalQuery").get<std::string>() + "&Signature=" +
                                   percent_encode(answer.at("signature").get<std::string>()));
}

TEST(SignJsonLine, V3AnswerHasCanonicalRequestAuthorizationAndHeaders) {
  Json request = base_request();
  request["style"] = "v3";
  request["securityToken"] = std::string(1200, 'T');
  const Json answer = answer_for(request);
  ASSERT_FALSE(answer.contains("error")) << answer.dump();
  EXPECT_EQ(answer.at("signature").get<std::string>().size(), 64U);
  EXPECT_EQ(answer.at("stringToSign").get<std::string>().rfind("ACS3-HMAC-SHA256\n", 0), 0U);
  EXPECT_EQ(answer.at("canonicalRequest").get<std::string>().rfind("GET\n/\nCity=", 0), 0U);
  const Json& headers = answer.at("headers");
  EXPECT_EQ(headers.at("x-acs-security-token").get<std::string>().size(), 1200U);
  EXPECT_EQ(headers.at("x-acs-accesskey-id"), "testid");
  EXPECT_EQ(headers.at("Authorization"), answer.at("authorization"));
  EXPECT_EQ(headers.at("x-acs-date"), "2026-11-28T06:52:17Z");
  EXPECT_EQ(headers.at("x-acs-signature-nonce"), "n-1");
}

TEST(SignJsonLine, DefaultsFillMethodStyleVersionEndpointTimeAndNonce) {
  const Json request = {{"accessKeyId", "a"}, {"accessKeySecret", "b"}, {"action", "X"}};
  const Json answer = answer_for(request);
  ASSERT_FALSE(answer.contains("error")) << answer.dump();
  EXPECT_EQ(answer.at("method"), "POST");
  EXPECT_EQ(answer.at("timestamp"), kFresh.timestamp);
  EXPECT_EQ(answer.at("nonce"), kFresh.nonce);
  EXPECT_NE(answer.at("canonicalQuery").get<std::string>().find("Version=2017-05-25"),
            std::string::npos);
  EXPECT_EQ(answer.at("url"), "https://dyplsapi.aliyuncs.com/");
}

TEST(SignJsonLine, IdIsEchoedOnAnswersAndErrors) {
  Json request = base_request();
  request["id"] = 42;
  EXPECT_EQ(answer_for(request).at("id"), 42);
  request.erase("accessKeyId");
  const Json error = answer_for(request);
  EXPECT_TRUE(error.contains("error"));
  EXPECT_EQ(error.at("id"), 42);
}

TEST(SignJsonLine, JunkLinesGetAClearError) {
  for (const char* junk : {"", "   ", "not json", "{", "}", "[1,2]", "42", "\"text\"", "null",
                           "{\"a\":1} {\"b\":2}", "\xff\xfe", "{\"accessKeyId\":\"\xc3\x28\"}"}) {
    const std::string error = error_for_line(junk);
    EXPECT_FALSE(error.empty()) << junk;
  }
  EXPECT_NE(error_for_line("[1]").find("JSON object"), std::string::npos);
  EXPECT_NE(error_for_line("").find("empty line"), std::string::npos);
}

TEST(SignJsonLine, DeepNestingIsRefusedWithoutACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_FALSE(error_for_line(deep).empty());
}

struct Refusal {
  const char* field;
  Json value;  // null means: remove the field
  const char* message_part;
};

TEST(SignJsonLine, WrongFieldsAreRefusedNamingTheField) {
  const Refusal refusals[] = {
      {"accessKeyId", nullptr, "missing \"accessKeyId\""},
      {"accessKeyId", 12, "\"accessKeyId\" must be a string"},
      {"accessKeyId", "", "\"accessKeyId\" is empty"},
      {"accessKeySecret", nullptr, "missing \"accessKeySecret\""},
      {"accessKeySecret", Json::array(), "\"accessKeySecret\" must be a string"},
      {"action", nullptr, "missing \"action\""},
      {"method", "PUT", "\"method\" must be"},
      {"method", true, "\"method\" must be a string"},
      {"style", "v2", "\"style\" must be"},
      {"timestamp", "2026-11-28 06:52:17", "\"timestamp\""},
      {"timestamp", "2026-11-28T06:52:17.5Z", "no fraction"},
      {"nonce", "", "\"nonce\" is empty"},
      {"endpoint", "https://dyplsapi.aliyuncs.com", "\"endpoint\""},
      {"endpoint", "evil.com/path", "\"endpoint\""},
      {"version", "", "\"version\""},
      {"securityToken", 5, "\"securityToken\" must be a string"},
      {"params", "City=杭州", "\"params\" must be an object"},
      {"params", Json{{"City", nullptr}}, "param \"City\""},
      {"params", Json{{"City", Json::array({"a"})}}, "param \"City\""},
      {"params", Json{{"City", Json::object()}}, "param \"City\""},
      {"params", Json{{"SpecId", 1.5}}, "param \"SpecId\""},
      {"params", Json{{"Signature", "x"}}, "set by the signer"},
      {"params", Json{{"Timestamp", "x"}}, "set by the signer"},
      {"params", Json{{"", "x"}}, "empty name"},
      {"accesskeyid", "x", "unknown field \"accesskeyid\""},
      {"securityToken", "CAIS\r\nx-evil: 1", "\"securityToken\" contains a control character"},
      {"accessKeyId", "id\n", "\"accessKeyId\" contains a control character"},
      {"action", "Buy\tSecretNo", "\"action\" contains a control character"},
      {"nonce", "n\x7f", "\"nonce\" contains a control character"},
  };
  for (const Refusal& refusal : refusals) {
    Json request = base_request();
    if (refusal.value.is_null() && std::string_view(refusal.field) != "params") {
      request.erase(refusal.field);
    } else {
      request[refusal.field] = refusal.value;
    }
    const std::string error = error_for(request);
    EXPECT_NE(error.find(refusal.message_part), std::string::npos)
        << refusal.field << " = " << refusal.value.dump() << " gave: " << error;
  }
}

TEST(SignJsonLine, ErrorsNeverEchoTheSecret) {
  Json request = base_request();
  request["accessKeySecret"] = "TopSecretValue";
  for (const char* field : {"method", "style", "timestamp", "endpoint", "params"}) {
    Json bad = request;
    bad[field] = Json::array({"TopSecretValue"});
    const std::string line = sign_json_line(bad.dump(), kFresh);
    EXPECT_EQ(line.find("TopSecretValue"), std::string::npos) << line;
  }
}

TEST(SignJsonLine, AnswerIsOneLine) {
  Json request = base_request();
  request["style"] = "v3";  // its canonical request has newlines, which must be escaped
  const std::string line = sign_json_line(request.dump(), kFresh);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(RequestUrl, JoinsSchemeEndpointAndPath) {
  EXPECT_EQ(request_url("127.0.0.1:8080", "/?a=b"), "https://127.0.0.1:8080/?a=b");
}

}  // namespace
}  // namespace dypls::cli
