// parse_credentials: every shape people paste, and every refusal and warning.
#include "core/credentials.h"

#include <gtest/gtest.h>

#include <string>

#include "core/time_format.h"

namespace dypls {
namespace {

const std::int64_t kNow = *parse_iso8601_utc("2026-11-28T07:52:17Z");
const std::string kStsId = "STS.NUgYrLnoCtest1234x9Q2";
const std::string kSecret = "7NPS2ZsD6LK8V8JxkVRHjV9PWdGZc3QkCkNXaV1ZzR2x";
const std::string kToken = "CAIS" + std::string(600, 'q') + "GAA=";
const std::string kLongTermId = "LTAI5tQxExampleKey0a1b2c";
const std::string kLongTermSecret = "abcdefghijklmnopqrstuvwxyz0123";  // 30 characters

std::string assume_role_answer(const std::string& expiration = "2026-11-28T08:52:17Z") {
  return R"({"RequestId": "6894B13B-6D71-4EF5-88FA-F32781734A7F",
  "AssumedRoleUser": {"Arn": "acs:ram::1234:role/buyer/alice", "AssumedRoleId": "3445:alice"},
  "Credentials": {"AccessKeyId": ")" +
         kStsId + R"(", "AccessKeySecret": ")" + kSecret + R"(",
                  "SecurityToken": ")" +
         kToken + R"(", "Expiration": ")" + expiration + R"("}})";
}

// Every message, in both languages, must leave out the secret and token.
void expect_no_secrets(const CredentialsResult& result) {
  auto check = [](const Message& message) {
    for (const std::string* text : {&message.en, &message.zh}) {
      EXPECT_EQ(text->find(kSecret), std::string::npos) << *text;
      EXPECT_EQ(text->find(kLongTermSecret), std::string::npos) << *text;
      EXPECT_EQ(text->find("CAIS"), std::string::npos) << *text;
    }
  };
  check(result.error);
  if (result.credentials) {
    for (const Message& warning : result.credentials->warnings) check(warning);
  }
}

// A copy, so that callers may pass a temporary result.
ParsedCredentials usable(const CredentialsResult& result) {
  EXPECT_TRUE(result.credentials.has_value()) << result.error.en;
  return result.credentials.value_or(ParsedCredentials{});
}

void expect_refused(const CredentialsResult& result, const std::string& en_part,
                    const std::string& zh_part) {
  EXPECT_FALSE(result.credentials.has_value());
  EXPECT_NE(result.error.en.find(en_part), std::string::npos) << result.error.en;
  EXPECT_NE(result.error.zh.find(zh_part), std::string::npos) << result.error.zh;
  expect_no_secrets(result);
}

TEST(ParseCredentials, WholeAssumeRoleAnswer) {
  auto result = parse_credentials(assume_role_answer(), kNow);
  const auto& parsed = usable(result);
  EXPECT_EQ(parsed.shape, CredentialShape::kAssumeRoleResponse);
  EXPECT_EQ(parsed.key.id, kStsId);
  EXPECT_EQ(parsed.key.secret, kSecret);
  EXPECT_EQ(parsed.key.security_token, kToken);
  EXPECT_EQ(parsed.expires_at, kNow + 3600);
  EXPECT_EQ(parsed.role_arn, "acs:ram::1234:role/buyer/alice");
  EXPECT_TRUE(parsed.warnings.empty());
  EXPECT_EQ(shape_name(parsed.shape), "AssumeRole answer");
}

TEST(ParseCredentials, CredentialsObjectAlone) {
  auto result = parse_credentials(R"({"AccessKeyId": ")" + kStsId + R"(", "AccessKeySecret": ")" +
                                      kSecret + R"(", "SecurityToken": ")" + kToken +
                                      R"(", "Expiration": "2026-11-28T09:00:00Z"})",
                                  kNow);
  const auto& parsed = usable(result);
  EXPECT_EQ(parsed.shape, CredentialShape::kCredentialsObject);
  EXPECT_EQ(parsed.key.security_token, kToken);
  EXPECT_EQ(parsed.expires_at, *parse_iso8601_utc("2026-11-28T09:00:00Z"));
  EXPECT_TRUE(parsed.role_arn.empty());
}

TEST(ParseCredentials, SdkCamelCaseObject) {
  auto result = parse_credentials(R"({"accessKeyId": ")" + kStsId + R"(", "accessKeySecret": ")" +
                                      kSecret + R"(", "securityToken": ")" + kToken + R"("})",
                                  kNow);
  EXPECT_EQ(usable(result).key.id, kStsId);
  EXPECT_FALSE(usable(result).expires_at.has_value());
}

TEST(ParseCredentials, NestedInSdkResponse) {
  auto result = parse_credentials(
      R"({"statusCode": 200, "headers": {}, "body": )" + assume_role_answer() + "}", kNow);
  const auto& parsed = usable(result);
  EXPECT_EQ(parsed.shape, CredentialShape::kAssumeRoleResponse);
  EXPECT_EQ(parsed.key.id, kStsId);
}

TEST(ParseCredentials, CliStsTokenProfile) {
  auto result = parse_credentials(
      R"({"name": "default", "mode": "StsToken", "access_key_id": ")" + kStsId +
          R"(", "access_key_secret": ")" + kSecret + R"(", "sts_token": ")" + kToken +
          R"(", "sts_expiration": 1795852800, "region_id": "cn-hangzhou"})",
      kNow);
  const auto& parsed = usable(result);
  EXPECT_EQ(parsed.shape, CredentialShape::kCliProfile);
  EXPECT_EQ(parsed.key.security_token, kToken);
  EXPECT_EQ(parsed.expires_at, 1795852800);  // epoch seconds, as the CLI writes them
}

TEST(ParseCredentials, CliConfigPicksTheCurrentProfile) {
  std::string config = R"({"current": "buyer", "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": ")" +
                       kLongTermId + R"(", "access_key_secret": ")" + kLongTermSecret + R"("},
    {"name": "buyer", "mode": "StsToken", "access_key_id": ")" +
                       kStsId + R"(", "access_key_secret": ")" + kSecret + R"(", "sts_token": ")" +
                       kToken + R"("}], "meta_path": ""})";
  const auto& parsed = usable(parse_credentials(config, kNow));
  EXPECT_EQ(parsed.shape, CredentialShape::kCliProfile);
  EXPECT_EQ(parsed.key.id, kStsId);
  EXPECT_TRUE(parsed.warnings.empty());
}

TEST(ParseCredentials, CliConfigFallsBackToAProfileWithKeys) {
  std::string config = R"({"current": "sso", "profiles": [
    {"name": "sso", "mode": "CloudSSO"},
    {"name": "ak", "mode": "AK", "access_key_id": ")" +
                       kLongTermId + R"(", "access_key_secret": ")" + kLongTermSecret + R"("}]})";
  auto result = parse_credentials(config, kNow);
  const auto& parsed = usable(result);
  EXPECT_EQ(parsed.key.id, kLongTermId);
  ASSERT_EQ(parsed.warnings.size(), 1U);
  EXPECT_NE(parsed.warnings[0].en.find("\"ak\""), std::string::npos);
  EXPECT_FALSE(parsed.warnings[0].zh.empty());
}

TEST(ParseCredentials, ExportLines) {
  std::string pasted = "export ALIBABA_CLOUD_ACCESS_KEY_ID=" + kStsId +
                       "\nexport ALIBABA_CLOUD_ACCESS_KEY_SECRET='" + kSecret +
                       "'\nexport ALIBABA_CLOUD_SECURITY_TOKEN=\"" + kToken + "\"\n";
  const auto& parsed = usable(parse_credentials(pasted, kNow));
  EXPECT_EQ(parsed.shape, CredentialShape::kEnvExports);
  EXPECT_EQ(parsed.key.id, kStsId);
  EXPECT_EQ(parsed.key.secret, kSecret);
  EXPECT_EQ(parsed.key.security_token, kToken);
}

TEST(ParseCredentials, OlderAndOtherToolsVariableNames) {
  for (const auto& [id_name, secret_name, token_name] :
       {std::tuple<std::string, std::string, std::string>{
            "ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"},
        {"ALIYUN_ACCESS_KEY_ID", "ALIYUN_ACCESS_KEY_SECRET", "ALIYUN_SECURITY_TOKEN"},
        {"ALIBABACLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_SECRET",
         "ALIBABACLOUD_SECURITY_TOKEN"},
        {"ALICLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECURITY_TOKEN"}}) {
    std::string pasted = id_name + "=" + kStsId + "\n" + secret_name + "=" + kSecret + "\n" +
                         token_name + "=" + kToken + "\n";
    auto result = parse_credentials(pasted, kNow);
    ASSERT_TRUE(result.credentials) << id_name << ": " << result.error.en;
    EXPECT_EQ(result.credentials->key.id, kStsId) << id_name;
    EXPECT_EQ(result.credentials->key.security_token, kToken) << token_name;
    EXPECT_EQ(result.credentials->shape, CredentialShape::kEnvExports) << id_name;
  }
}

TEST(ParseCredentials, OtherShellsExportSyntax) {
  for (const std::string& style :
       {std::string("powershell"), std::string("fish"), std::string("cmd")}) {
    auto line = [&style](const std::string& name, const std::string& value) {
      if (style == "powershell") return "$env:" + name + "=\"" + value + "\"\r\n";
      if (style == "fish") return "set -gx " + name + " " + value + "\n";
      return "set " + name + "=" + value + "\r\n";
    };
    std::string pasted = line("ALIBABA_CLOUD_ACCESS_KEY_ID", kStsId) +
                         line("ALIBABA_CLOUD_ACCESS_KEY_SECRET", kSecret) +
                         line("ALIBABA_CLOUD_SECURITY_TOKEN", kToken);
    auto result = parse_credentials(pasted, kNow);
    ASSERT_TRUE(result.credentials) << style << ": " << result.error.en;
    EXPECT_EQ(result.credentials->key.secret, kSecret) << style;
    EXPECT_EQ(result.credentials->key.security_token, kToken) << style;
  }
}

TEST(ParseCredentials, KeyValueAndColonLines) {
  std::string pasted = "AccessKeyId: " + kStsId + "\nAccessKeySecret: " + kSecret +
                       "\nSecurityToken: " + kToken + "\nExpiration: 2026-11-28T08:52:17Z\n";
  const auto& parsed = usable(parse_credentials(pasted, kNow));
  EXPECT_EQ(parsed.shape, CredentialShape::kKeyValueLines);
  EXPECT_EQ(parsed.key.security_token, kToken);
  EXPECT_EQ(parsed.expires_at, kNow + 3600);

  std::string ini = "[default]\r\naccess_key_id = " + kLongTermId +
                    "\r\naccess_key_secret = " + kLongTermSecret + "\r\n";
  const auto& from_ini = usable(parse_credentials(ini, kNow));
  EXPECT_EQ(from_ini.key.id, kLongTermId);
  EXPECT_EQ(from_ini.key.secret, kLongTermSecret);
  EXPECT_TRUE(from_ini.key.security_token.empty());
}

TEST(ParseCredentials, JsonFragmentWithoutBraces) {
  std::string pasted = "  \"AccessKeyId\": \"" + kStsId + "\",\n  \"AccessKeySecret\": \"" +
                       kSecret + "\",\n  \"SecurityToken\": \"" + kToken + "\",\n";
  const auto& parsed = usable(parse_credentials(pasted, kNow));
  EXPECT_EQ(parsed.key.id, kStsId);
  EXPECT_EQ(parsed.key.security_token, kToken);
}

TEST(ParseCredentials, BomCrlfAndJunkAroundTheJson) {
  std::string answer = assume_role_answer();
  std::string crlf;
  for (char c : answer) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  std::string pasted =
      "\xEF\xBB\xBF"
      "alice@host:~$ aliyun sts AssumeRole --RoleArn acs:ram::1234:role/buyer "
      "--RoleSessionName alice\r\n" +
      crlf + "\r\nalice@host:~$ \r\n";
  const auto& parsed = usable(parse_credentials(pasted, kNow));
  EXPECT_EQ(parsed.shape, CredentialShape::kAssumeRoleResponse);
  EXPECT_EQ(parsed.key.secret, kSecret);
  EXPECT_EQ(parsed.key.security_token, kToken);
}

TEST(ParseCredentials, TokenWrappedAcrossLinesInJson) {
  std::string answer = assume_role_answer();
  std::size_t middle = answer.find(kToken) + kToken.size() / 2;
  answer.insert(middle, "\r\n");
  const auto& parsed = usable(parse_credentials(answer, kNow));
  EXPECT_EQ(parsed.shape, CredentialShape::kAssumeRoleResponse);
  EXPECT_EQ(parsed.key.security_token, kToken);
}

TEST(ParseCredentials, TokenCutOffInALine) {
  std::string pasted = "\"AccessKeyId\": \"" + kStsId + "\",\n\"AccessKeySecret\": \"" + kSecret +
                       "\",\n\"SecurityToken\": \"" + kToken.substr(0, 300) + "\n" +
                       kToken.substr(300) + "\",\n";
  expect_refused(parse_credentials(pasted, kNow), "SecurityToken contains a quote mark",
                 "SecurityToken 中含有引号");
}

TEST(ParseCredentials, CurlyQuotesFromAWordProcessor) {
  std::string pasted = "AccessKeyId=\xE2\x80\x9C" + kLongTermId +
                       "\xE2\x80\x9D\nAccessKeySecret=\xE2\x80\x9C" + kLongTermSecret +
                       "\xE2\x80\x9D\n";
  const auto& parsed = usable(parse_credentials(pasted, kNow));
  EXPECT_EQ(parsed.key.id, kLongTermId);
  EXPECT_EQ(parsed.key.secret, kLongTermSecret);
}

TEST(ParseCredentials, LongTermKeyWithoutToken) {
  auto result = parse_credentials(
      "AccessKeyId=" + kLongTermId + "\nAccessKeySecret=" + kLongTermSecret + "\n", kNow);
  EXPECT_TRUE(usable(result).key.security_token.empty());
  EXPECT_TRUE(usable(result).warnings.empty());
}

// ---- Refusals ----

TEST(ParseCredentials, NothingRecognisable) {
  for (std::string pasted : {std::string(), std::string("hello world"), std::string("{}"),
                             std::string("{\"a\": [1,2,3]}"), std::string("\xEF\xBB\xBF"),
                             std::string("PATH=/usr/bin\nHOME=/root\n"), std::string("[1, 2")}) {
    expect_refused(parse_credentials(pasted, kNow), "No credentials found", "未识别到凭证");
  }
}

TEST(ParseCredentials, CliConfigWithoutKeysSaysWhy) {
  expect_refused(
      parse_credentials(R"({"current": "sso", "profiles": [{"name": "sso", "mode": "CloudSSO"}]})",
                        kNow),
      "(mode CloudSSO) holds no access keys", "CloudSSO");
}

TEST(ParseCredentials, KeyIdWithoutSecret) {
  auto result = parse_credentials("ALIBABA_CLOUD_ACCESS_KEY_ID=" + kStsId, kNow);
  expect_refused(result, "no AccessKeySecret", "没有 AccessKeySecret");
  EXPECT_NE(result.error.en.find(mask_key_id(kStsId)), std::string::npos);
  EXPECT_EQ(result.error.en.find(kStsId), std::string::npos) << "the whole key id is not shown";
}

TEST(ParseCredentials, SecretWithoutKeyId) {
  expect_refused(parse_credentials("AccessKeySecret=" + kSecret, kNow), "no AccessKeyId",
                 "没有 AccessKeyId");
}

TEST(ParseCredentials, StsKeyWithoutToken) {
  expect_refused(
      parse_credentials("AccessKeyId=" + kStsId + "\nAccessKeySecret=" + kSecret + "\n", kNow),
      "no SecurityToken", "没有找到 SecurityToken");
}

TEST(ParseCredentials, LongTermKeyWithToken) {
  expect_refused(parse_credentials("AccessKeyId=" + kLongTermId + "\nAccessKeySecret=" +
                                       kLongTermSecret + "\nSecurityToken=" + kToken + "\n",
                                   kNow),
                 "not a temporary key", "不是临时密钥");
}

TEST(ParseCredentials, Expired) {
  auto result = parse_credentials(assume_role_answer("2026-11-28T07:22:17Z"), kNow);
  expect_refused(result, "expired at 2026-11-28T07:22:17Z (30 min ago)", "过期");
}

TEST(ParseCredentials, ExpiringRightNowIsExpired) {
  expect_refused(parse_credentials(assume_role_answer("2026-11-28T07:52:17Z"), kNow), "expired",
                 "过期");
}

TEST(ParseCredentials, MaskedSecret) {
  expect_refused(
      parse_credentials(
          "AccessKeyId=" + kLongTermId + "\nAccessKeySecret=abcd****************wxyz\n", kNow),
      "masked", "遮盖");
}

TEST(ParseCredentials, SpaceInsideTheSecret) {
  expect_refused(
      parse_credentials(R"({"AccessKeyId": ")" + kLongTermId +
                            R"(", "AccessKeySecret": "abcdefghijklmno pqrstuvwxyz0123"})",
                        kNow),
      "AccessKeySecret contains spaces", "AccessKeySecret 中含有空格");
}

TEST(ParseCredentials, FullWidthCharacters) {
  expect_refused(parse_credentials("AccessKeyId=" + kLongTermId +
                                       "\nAccessKeySecret=" + kLongTermSecret + "\xEF\xBC\x91\n",
                                   kNow),
                 "non-ASCII", "非 ASCII");
}

// ---- Warnings ----

TEST(ParseCredentials, UnreadableExpiryIsAWarning) {
  auto result = parse_credentials(assume_role_answer("next tuesday"), kNow);
  const auto& parsed = usable(result);
  EXPECT_FALSE(parsed.expires_at.has_value());
  ASSERT_EQ(parsed.warnings.size(), 1U);
  EXPECT_NE(parsed.warnings[0].en.find("expiry time could not be read"), std::string::npos);
  EXPECT_NE(parsed.warnings[0].zh.find("无法读取过期时间"), std::string::npos);
}

TEST(ParseCredentials, SoonToExpireIsAWarning) {
  const auto& parsed = usable(parse_credentials(assume_role_answer("2026-11-28T07:54:17Z"), kNow));
  ASSERT_EQ(parsed.warnings.size(), 1U);
  EXPECT_NE(parsed.warnings[0].en.find("expire in 2 min"), std::string::npos);
}

TEST(ParseCredentials, TruncatedSecretIsAWarning) {
  auto result = parse_credentials(
      "AccessKeyId=" + kStsId + "\nAccessKeySecret=7NPS2ZsD6LK8\nSecurityToken=" + kToken, kNow);
  const auto& parsed = usable(result);
  ASSERT_EQ(parsed.warnings.size(), 1U);
  EXPECT_NE(parsed.warnings[0].en.find("only 12 characters"), std::string::npos);
  EXPECT_NE(parsed.warnings[0].zh.find("12"), std::string::npos);
  EXPECT_EQ(parsed.warnings[0].en.find("7NPS2ZsD6LK8"), std::string::npos);
}

TEST(ParseCredentials, MillisecondExpiry) {
  auto result = parse_credentials(
      R"({"access_key_id": ")" + kStsId + R"(", "access_key_secret": ")" + kSecret +
          R"(", "sts_token": ")" + kToken + R"(", "sts_expiration": ")" +
          std::to_string((kNow + 600) * 1000) + R"("})",
      kNow);
  EXPECT_EQ(usable(result).expires_at, kNow + 600);
}

TEST(DescribeCredentials, SaysWhatWasReadAndNothingSecret) {
  auto result = parse_credentials(assume_role_answer(), kNow);
  ASSERT_TRUE(result.credentials);
  Message said = describe_credentials(*result.credentials, kNow);
  EXPECT_EQ(said.en,
            "Read AssumeRole answer: AccessKeyId STS.NUgY\xE2\x80\xA6x9Q2, temporary, with its "
            "SecurityToken, expires 2026-11-28T08:52:17Z (in 60 min), role "
            "acs:ram::1234:role/buyer/alice.");
  EXPECT_NE(said.zh.find("已读取AssumeRole 返回"), std::string::npos) << said.zh;
  EXPECT_NE(said.zh.find("60 分钟后"), std::string::npos) << said.zh;

  auto long_term = parse_credentials("ALIBABA_CLOUD_ACCESS_KEY_ID=" + kLongTermId +
                                         "\nALIBABA_CLOUD_ACCESS_KEY_SECRET=" + kLongTermSecret,
                                     kNow);
  ASSERT_TRUE(long_term.credentials);
  Message plain = describe_credentials(*long_term.credentials, kNow);
  EXPECT_NE(plain.en.find("environment variables"), std::string::npos) << plain.en;
  EXPECT_NE(plain.en.find("long-term key"), std::string::npos) << plain.en;
  EXPECT_NE(plain.en.find("expiry unknown"), std::string::npos) << plain.en;
  EXPECT_NE(plain.zh.find("环境变量"), std::string::npos) << plain.zh;
  for (const Message* message : {&said, &plain}) {
    for (const std::string* text : {&message->en, &message->zh}) {
      EXPECT_EQ(text->find(kSecret), std::string::npos);
      EXPECT_EQ(text->find(kLongTermSecret), std::string::npos);
      EXPECT_EQ(text->find("CAIS"), std::string::npos);
    }
  }
}

TEST(MaskKeyId, ShowsBothEndsOnly) {
  EXPECT_EQ(mask_key_id("STS.NUgYrLnoCtest1234x9Q2"), "STS.NUgY\xE2\x80\xA6x9Q2");
  EXPECT_EQ(mask_key_id("LTAI5tQxExampleKey0a1b2c"),
            "LTAI5tQx\xE2\x80\xA6"
            "1b2c");
  EXPECT_EQ(mask_key_id("abcdef"), "ab\xE2\x80\xA6");
  EXPECT_EQ(mask_key_id("abcd"), "ab\xE2\x80\xA6");
  EXPECT_EQ(mask_key_id(""), "\xE2\x80\xA6");
  EXPECT_EQ(mask_key_id("STS.\x01\x02\x03\x04\x05\x06\x07\x08zzzz"), "STS.????\xE2\x80\xA6zzzz");
}

}  // namespace
}  // namespace dypls
