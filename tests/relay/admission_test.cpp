#include "relay/admission.h"

#include <gtest/gtest.h>

#include <cctype>

#include "relay/form.h"
#include "relay/relay_config.h"

namespace dypls::relay {
namespace {

AdmissionPolicy policy() {
  AdmissionPolicy p;
  p.allowed_actions = default_actions();
  p.allowed_origins = {"https://console.example"};
  return p;
}

RequestHead get(std::string target, HeaderList headers = {}) {
  return RequestHead{"GET", std::move(target), std::move(headers)};
}

RequestHead post(std::string target, std::size_t length, HeaderList headers = {}) {
  headers.emplace_back("Content-Length", std::to_string(length));
  headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  return RequestHead{"POST", std::move(target), std::move(headers)};
}

const char* kV1Query = "/api/?Action=BuySecretNo&Version=2017-05-25&AccessKeyId=LTAI5tExample01";

RelayCode code_of(const Admission& admission) {
  EXPECT_TRUE(admission.refusal.has_value());
  return admission.refusal ? admission.refusal->code : RelayCode::kInternalError;
}

TEST(Admission, ForwardsAnAllowedV1GetWithItsQueryUntouched) {
  const auto admission = admit_api_call(policy(), get(kV1Query), "");
  ASSERT_FALSE(admission.refusal) << admission.refusal->message;
  EXPECT_EQ(admission.plan.path_and_query,
            "/?Action=BuySecretNo&Version=2017-05-25&AccessKeyId=LTAI5tExample01");
  EXPECT_EQ(admission.plan.action, "BuySecretNo");
  EXPECT_EQ(admission.plan.key_id, "LTAI5tExample01");
  EXPECT_FALSE(admission.plan.v3);
}

TEST(Admission, ForwardsAnAllowedV1FormPost) {
  const std::string body = "Action=QuerySecretNoRemain&Version=2017-05-25&City=%E6%9D%AD%E5%B7%9E";
  const auto admission = admit_api_call(policy(), post("/api/", body.size()), body);
  ASSERT_FALSE(admission.refusal) << admission.refusal->message;
  EXPECT_EQ(admission.plan.path_and_query, "/");
  EXPECT_EQ(admission.plan.action, "QuerySecretNoRemain");
}

TEST(Admission, ForwardsV3AndOnlyTheHeadersTheApiNeeds) {
  const HeaderList headers = {{"x-acs-action", "ReleaseSecretNo"},
                              {"x-acs-version", "2017-05-25"},
                              {"Authorization",
                               "ACS3-HMAC-SHA256 Credential=STS.NUgYrLnoCabc,"
                               "SignedHeaders=host,Signature=ab"},
                              {"Cookie", "session=1"},
                              {"Host", "evil.example"},
                              {"X-Forwarded-For", "10.0.0.1"},
                              {"Connection", "keep-alive, x-acs-action"},
                              {"Forwarded", "for=1.2.3.4"},
                              {"x-acs-signature-nonce", "n1"}};
  const auto admission =
      admit_api_call(policy(), get("/api/?PoolKey=FC1&SecretNo=17000000000", headers), "");
  ASSERT_FALSE(admission.refusal) << admission.refusal->message;
  EXPECT_TRUE(admission.plan.v3);
  EXPECT_EQ(admission.plan.key_id, "STS.NUgYrLnoCabc");
  std::vector<std::string> names;
  for (const auto& header : admission.plan.headers) names.push_back(header.first);
  EXPECT_EQ(names, (std::vector<std::string>{"x-acs-action", "x-acs-version", "Authorization",
                                             "x-acs-signature-nonce"}));
}

TEST(Admission, RefusesOtherPathsHostsAndUrls) {
  for (const char* target :
       {"/api", "/api/x", "/api//evil.example/", "/api/../etc/passwd", "/api/%2e%2e/",
        "/api/http://169.254.169.254/", "/API/", "/apix/", "http://evil.example/api/",
        "//evil.example/api/", "/api/@evil.example"}) {
    auto head = get(std::string(target) + "?Action=BuySecretNo&Version=2017-05-25");
    EXPECT_EQ(code_of(admit_api_call(policy(), head, "")), RelayCode::kBadRequest) << target;
  }
}

TEST(Admission, RefusesDisallowedAndDuplicatedActions) {
  EXPECT_EQ(code_of(admit_api_call(policy(),
                                   get("/api/?Action=DeleteEverything&Version=2017-05-25"), "")),
            RelayCode::kActionNotAllowed);
  EXPECT_EQ(code_of(admit_api_call(
                policy(),
                get("/api/?Action=BuySecretNo&Action=DeleteEverything&Version=2017-05-25"), "")),
            RelayCode::kActionNotAllowed);
  // Case and encoding tricks still count as an Action.
  EXPECT_EQ(code_of(admit_api_call(
                policy(), get("/api/?Action=BuySecretNo&action=Delete&Version=2017-05-25"), "")),
            RelayCode::kActionNotAllowed);
  EXPECT_EQ(code_of(admit_api_call(
                policy(), get("/api/?%41ction=BuySecretNo&Action=X&Version=2017-05-25"), "")),
            RelayCode::kActionNotAllowed);
  // Query and body both carrying one.
  const std::string body = "Action=DeleteEverything";
  EXPECT_EQ(code_of(admit_api_call(
                policy(), post("/api/?Action=BuySecretNo&Version=2017-05-25", body.size()), body)),
            RelayCode::kActionNotAllowed);
  // V3 header and query both.
  EXPECT_EQ(
      code_of(admit_api_call(policy(),
                             get("/api/?Action=BuySecretNo", {{"x-acs-action", "ReleaseSecretNo"},
                                                              {"x-acs-version", "2017-05-25"}}),
                             "")),
      RelayCode::kActionNotAllowed);
  // Two V3 headers.
  EXPECT_EQ(code_of(admit_api_call(policy(),
                                   get("/api/", {{"x-acs-action", "BuySecretNo"},
                                                 {"X-Acs-Action", "DeleteEverything"},
                                                 {"x-acs-version", "2017-05-25"}}),
                                   "")),
            RelayCode::kActionNotAllowed);
  // Missing entirely.
  EXPECT_EQ(code_of(admit_api_call(policy(), get("/api/?Version=2017-05-25"), "")),
            RelayCode::kBadRequest);
  // Actions are case-sensitive.
  EXPECT_EQ(
      code_of(admit_api_call(policy(), get("/api/?Action=buysecretno&Version=2017-05-25"), "")),
      RelayCode::kActionNotAllowed);
}

TEST(Admission, AcceptsTheSameValueRepeated) {
  // pop-core sends Action and Version in the query and again as x-acs-* headers.
  const auto admission = admit_api_call(
      policy(), get(kV1Query, {{"x-acs-action", "BuySecretNo"}, {"x-acs-version", "2017-05-25"}}),
      "");
  EXPECT_FALSE(admission.refusal) << admission.refusal->message;
}

// One row: a request, its body, and the code it must get (nullopt: forwarded).
struct PollutionCase {
  const char* name;
  RequestHead head;
  std::string body;
  std::optional<RelayCode> expected;
};

const char* kV1Rest = "Version=2017-05-25&AccessKeyId=LTAI5tExample01";

std::vector<PollutionCase> pollution_cases() {
  const std::string q = std::string("/api/?Action=BuySecretNo&") + kV1Rest;
  const HeaderList v3 = {{"x-acs-action", "BuySecretNo"}, {"x-acs-version", "2017-05-25"}};
  auto with = [&v3](HeaderList extra) {
    HeaderList all = v3;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  const std::string body_dup = std::string("Action=BuySecretNo&") + kV1Rest;
  return {
      {"plain V1", get(q), "", std::nullopt},
      {"plain V3", get("/api/?PoolKey=FC1", v3), "", std::nullopt},
      {"'+' in a value is fine", get(q + "&City=a+b"), "", std::nullopt},
      {"names with '.', '_', '-'", get(q + "&Tag.1.Key=a&Out_Id=b&x-y=c"), "", std::nullopt},
      // What the issue found: "Action+" decodes to "Action " which a gateway may trim.
      {"Action+= beside Action", get(q + "&Action+=BindAxb"), "", RelayCode::kBadRequest},
      {"Action+= alone", get(std::string("/api/?Action+=BuySecretNo&") + kV1Rest), "",
       RelayCode::kBadRequest},
      {"Action%20=", get(std::string("/api/?Action%20=BuySecretNo&") + kV1Rest), "",
       RelayCode::kBadRequest},
      {"+Action= (leading space)", get(q + "&+Action=BindAxb"), "", RelayCode::kBadRequest},
      {"Action%09= (tab)", get(q + "&Action%09=BindAxb"), "", RelayCode::kBadRequest},
      {"Act%00ion", get(q + "&Act%00ion=BindAxb"), "", RelayCode::kBadRequest},
      {"Action%2B (literal plus)", get(q + "&Action%2B=BindAxb"), "", RelayCode::kBadRequest},
      {"empty name", get(q + "&=BindAxb"), "", RelayCode::kBadRequest},
      {"non-ASCII name", get(q + "&%C3%81ction=BindAxb"), "", RelayCode::kBadRequest},
      {"Action+ in a form body", post(q, 16), "Action+=BindAxb", RelayCode::kBadRequest},
      // Duplicates: the same value twice is refused too; Action and Version keep their codes.
      {"Action twice, same value", get(q + "&Action=BuySecretNo"), "",
       RelayCode::kActionNotAllowed},
      {"ACTION and Action", get(q + "&ACTION=BuySecretNo"), "", RelayCode::kActionNotAllowed},
      {"%41ction and Action", get(q + "&%41ction=BuySecretNo"), "", RelayCode::kActionNotAllowed},
      {"Version twice", get(q + "&Version=2017-05-25"), "", RelayCode::kVersionNotAllowed},
      {"Signature twice", get(q + "&Signature=a&Signature=b"), "", RelayCode::kBadRequest},
      {"SignatureNonce twice", get(q + "&SignatureNonce=a&signaturenonce=b"), "",
       RelayCode::kBadRequest},
      {"Timestamp twice", get(q + "&Timestamp=1&Timestamp=1"), "", RelayCode::kBadRequest},
      {"AccessKeyId twice", get(q + "&AccessKeyId=LTAI5tOther"), "", RelayCode::kBadRequest},
      {"SecurityToken twice", get(q + "&SecurityToken=a&SecurityToken=b"), "",
       RelayCode::kBadRequest},
      {"a business parameter twice", get(q + "&PoolKey=FC1&PoolKey=FC2"), "",
       RelayCode::kBadRequest},
      {"Action in the query and the body", post(q, body_dup.size()), body_dup,
       RelayCode::kActionNotAllowed},
      {"Signature in the query and the body", post(q + "&Signature=a", 11), "Signature=b",
       RelayCode::kBadRequest},
      // Headers the gateway reads: one each.
      {"two x-acs-signature-nonce",
       get("/api/", with({{"x-acs-signature-nonce", "a"}, {"x-acs-signature-nonce", "b"}})), "",
       RelayCode::kBadRequest},
      {"x-acs-signature-nonce twice, same value",
       get("/api/", with({{"x-acs-signature-nonce", "a"}, {"X-Acs-Signature-Nonce", "a"}})), "",
       RelayCode::kBadRequest},
      {"two x-acs-date",
       get("/api/",
           with({{"x-acs-date", "2026-01-01T00:00:00Z"}, {"x-acs-date", "2027-01-01T00:00:00Z"}})),
       "", RelayCode::kBadRequest},
      {"two x-acs-content-sha256",
       get("/api/", with({{"x-acs-content-sha256", "a"}, {"x-acs-content-sha256", "b"}})), "",
       RelayCode::kBadRequest},
      {"two x-acs-security-token",
       get("/api/", with({{"x-acs-security-token", "a"}, {"x-acs-security-token", "b"}})), "",
       RelayCode::kBadRequest},
      {"two x-acs-action, same value", get("/api/", with({{"X-ACS-ACTION", "BuySecretNo"}})), "",
       RelayCode::kActionNotAllowed},
      {"two x-acs-version", get("/api/", with({{"x-acs-version", "2017-05-25"}})), "",
       RelayCode::kVersionNotAllowed},
      {"two Authorization", get("/api/", with({{"Authorization", "a"}, {"authorization", "b"}})),
       "", RelayCode::kBadRequest},
      {"two Content-Type", get(q, {{"Content-Type", "a"}, {"content-type", "a"}}), "",
       RelayCode::kBadRequest},
      {"two Origin",
       get(q, {{"Origin", "https://console.example"}, {"Origin", "https://console.example"}}), "",
       RelayCode::kBadRequest},
      {"two Host", get(q, {{"Host", "a"}, {"Host", "a"}}), "", RelayCode::kBadRequest},
      {"two unrelated headers are fine", get(q, {{"Accept", "a"}, {"Accept", "b"}}), "",
       std::nullopt},
  };
}

TEST(Admission, ParameterNamesAndRepeatsTable) {
  for (const auto& row : pollution_cases()) {
    const auto admission = admit_api_call(policy(), row.head, row.body);
    if (!row.expected) {
      EXPECT_FALSE(admission.refusal) << row.name << ": " << admission.refusal->message;
      continue;
    }
    ASSERT_TRUE(admission.refusal) << row.name << " was forwarded";
    EXPECT_EQ(admission.refusal->code, *row.expected)
        << row.name << ": " << admission.refusal->message;
  }
}

TEST(Admission, RepeatedHeadersAreCheckedOnAnyHeaderList) {
  EXPECT_FALSE(check_repeated_headers({}));
  EXPECT_FALSE(check_repeated_headers({{"x-acs-date", "a"}, {"x-acs-signature-nonce", "a"}}));
  const auto refusal =
      check_repeated_headers({{"x-acs-signature-nonce", "a"}, {"X-ACS-Signature-Nonce", "b"}});
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, RelayCode::kBadRequest);
  EXPECT_NE(refusal->message.find("x-acs-signature-nonce"), std::string::npos);
  // Before the body is read too.
  EXPECT_TRUE(check_api_head(policy(), get(kV1Query, {{"x-acs-date", "a"}, {"x-acs-date", "b"}})));
}

TEST(Admission, ParameterNamesAreCheckedOnAnyParamList) {
  EXPECT_FALSE(check_param_names({{"Action", "a"}, {"Version", "b"}}, {{"City", "c"}}));
  EXPECT_EQ(check_param_names({{"Action ", "a"}}, {})->code, RelayCode::kBadRequest);
  EXPECT_EQ(check_param_names({{"Signature", "a"}}, {{"SIGNATURE", "a"}})->code,
            RelayCode::kBadRequest);
  EXPECT_TRUE(is_plain_param_name("Tag.1.Key"));
  EXPECT_FALSE(is_plain_param_name("Action "));
  EXPECT_FALSE(is_plain_param_name(""));
  EXPECT_FALSE(
      is_plain_param_name("a\xC3"
                          "b"));
  const auto decoded = parse_api_params("Action+=x&b=c+d&%41=1");
  ASSERT_TRUE(decoded);
  EXPECT_EQ((*decoded)[0].name, "Action ");
  EXPECT_EQ((*decoded)[1].value, "c d");
  EXPECT_EQ((*decoded)[2].name, "A");
}

// FormParams reads every text as parse_api_params does: the same names and values, the same
// verdict on malformed escapes, the same control characters and the same name checks.
TEST(Admission, FormParamsReadTextsAsParseApiParamsDoes) {
  const std::vector<std::string> texts = {
      "",
      "&&",
      "a",
      "a=",
      "=v",
      "a=1&&b=2",
      "Action+=x&b=c+d&%41=1",
      "x=%E6%9D%AD&y=%2B%25&z=a%3Db",
      "Action=Buy&action=Query",
      "SecurityToken=" + std::string(1500, 'T') + "%2F&Version=2017-05-25",
      "a=%0D%0A",
      "a%00=1",
      "a=\x01",
      "a\t=1",
      "a=%7f",
      "a=%2",
      "a=%zz",
      "%4=1",
      "%=1",
      "a=b%",
      "Tag.1.Key=k&Tag.1.key=v",
      "Signature=a&SIGNATURE=b",
      "x&X",
      "@=1&`=2",
      "a%2&b",
      "Acti%6Fn=1&action=2&LongParameterName%41Tail=3&LongParameterNameATail",
      "SignatureNonce=1&Signature+Nonce=2&Sig%00=3",
      "a%4=1",
      "a%41=1&%61=2",
      "=",
      "&=&",
      "a=1&",
      "&a",
      "a==b&c=d=e",
      "%3D=1&%26=2",
  };
  FormParams reused;
  for (const auto& text : texts) {
    const auto expected = parse_api_params(text);
    const FormParams params(text);
    ASSERT_EQ(reused.parse(text), expected.has_value()) << text;
    if (!expected) continue;
    ASSERT_EQ(params.size(), expected->size()) << text;
    ASSERT_EQ(reused.size(), expected->size()) << text;
    bool control = false;
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Param& want = (*expected)[i];
      EXPECT_EQ(params.name(i), want.name) << text;
      EXPECT_EQ(params.value(i), want.value) << text;
      EXPECT_EQ(reused.value(i), want.value) << text;
      EXPECT_EQ(params.plain_name(i), is_plain_param_name(want.name)) << text;
      EXPECT_EQ(params.name_hash(i), param_name_hash(want.name)) << text;
      for (const std::string* part : {&want.name, &want.value}) {
        for (const char ch : *part) {
          const auto c = static_cast<unsigned char>(ch);
          control = control || c < 0x20 || c == 0x7F;
        }
      }
    }
    EXPECT_EQ(params.has_control_char(), control) << text;
    const auto want = check_param_names(*expected, ParamList{{"City", "c"}});
    const auto got = check_param_names(params, FormParams("City=c"));
    ASSERT_EQ(got.has_value(), want.has_value()) << text;
    if (want) {
      EXPECT_EQ(got->code, want->code) << text;
      EXPECT_EQ(got->message, want->message) << text;
    }
  }
  // A list reused after a malformed text holds the next text's parameters only.
  ASSERT_FALSE(reused.parse("a=1&b=%zz"));
  ASSERT_TRUE(reused.parse("c=3"));
  ASSERT_EQ(reused.size(), 1U);
  EXPECT_EQ(reused.name(0), "c");
  EXPECT_EQ(reused.value(0), "3");
  EXPECT_EQ(FormParams("a=%zz").size(), 0U);
}

// parse_query gives parse()'s list and, in the same pass, the verdicts on the raw query: every
// byte a query character (RFC 3986, and '%' for escapes of two hex digits), and whether an
// escape decodes to a control character. Checked against a plain reading of each rule.
TEST(Admission, ParseQueryChecksTheRawBytesAsItParses) {
  const std::string query_chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?%";
  const auto reference = [&](const std::string& text, bool& control) {
    control = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (query_chars.find(text[i]) == std::string::npos) return false;
      if (text[i] != '%') continue;
      if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        return false;
      }
      const int byte = std::stoi(text.substr(i + 1, 2), nullptr, 16);
      control = control || byte < 0x20 || byte == 0x7F;
      i += 2;
    }
    return true;
  };
  std::vector<std::string> texts = {
      "",
      "a",
      "a=1&b=2",
      "a=1&&b=",
      "Action+=x&b=c+d&%41=1",
      "x=%E6%9D%AD",
      "x=%0a",
      "x%0D=1",
      "x=%7F",
      "x=%7e",
      "x=%2",
      "x=%",
      "%",
      "x=%g0",
      "x=a b",
      "x=a\"b",
      "x=<",
      "x=#f",
      "x=a\x80",
      "x=\x01",
      "a=b=c&d",
      "=v&&=",
      "x=" + std::string(40, 'v') + "%20" + std::string(9, 'w'),
      "x=" + std::string(17, 'v') + "%00",
      "x=" + std::string(23, 'v') + "^",
      "x^=1",
      "x{=1",
      "SecurityToken=" + std::string(1500, 'T') + "%2F%2B&Version=2017-05-25"};
  // Every byte at every place of a value longer than the eight-byte steps.
  for (int byte = 0; byte < 256; ++byte) {
    for (const std::size_t at : {0U, 5U, 8U, 13U, 16U}) {
      std::string value(18, 'v');
      value[at] = static_cast<char>(byte);
      texts.push_back("x=" + value + "&y=1");
    }
  }
  FormParams params;
  for (const auto& text : texts) {
    bool control = false;
    const bool clean = reference(text, control);
    const FormParams::QueryScan scan = params.parse_query(text);
    ASSERT_EQ(scan.clean, clean) << text;
    if (!clean) continue;
    EXPECT_EQ(scan.control_escape, control) << text;
    const auto expected = parse_api_params(text);
    ASSERT_TRUE(expected) << text;
    ASSERT_EQ(params.size(), expected->size()) << text;
    for (std::size_t i = 0; i < params.size(); ++i) {
      EXPECT_EQ(params.name(i), (*expected)[i].name) << text;
      EXPECT_EQ(params.value(i), (*expected)[i].value) << text;
    }
  }
}

// The first name with a later duplicate is reported, as a pairwise compare in order would, and
// an unplain name is reported only when no earlier name has a duplicate.
TEST(Admission, DuplicateNamesAreReportedInOrder) {
  const auto dup = check_param_names(FormParams("b=1&a=2&B=3&A=4"), FormParams());
  ASSERT_TRUE(dup);
  EXPECT_NE(dup->message.find("'b'"), std::string::npos) << dup->message;
  const auto across = check_param_names(FormParams("Version=1"), FormParams("version=2"));
  ASSERT_TRUE(across);
  EXPECT_EQ(across->code, RelayCode::kVersionNotAllowed);
  const auto unplain = check_param_names(FormParams("a=1&b+=2&a=3"), FormParams());
  ASSERT_TRUE(unplain);
  EXPECT_NE(unplain->message.find("appears more than once"), std::string::npos);
  // Names whose hashes agree ('@' and '`' hash alike) are compared, not taken as the same: the
  // verdict is on '@' being ambiguous, not repeated.
  EXPECT_EQ(param_name_hash("@"), param_name_hash("`"));
  const auto alike =
      check_param_names(ParamList{{"x", "1"}, {"y", "2"}, {"@", "3"}, {"`", "4"}}, ParamList());
  ASSERT_TRUE(alike);
  EXPECT_NE(alike->message.find("ambiguous"), std::string::npos) << alike->message;
  EXPECT_FALSE(check_param_names(FormParams("a_=1&a=2&A-=3&a.=4"), FormParams()));
}

// The verdict is that of comparing every pair in order (the first name that is not plain or has
// a later duplicate), for lists short and long (past the table kept on the stack), with names
// that often repeat, differ only in case, hash alike or are not plain.
TEST(Admission, DuplicateNamesMatchAPairwiseCompare) {
  std::uint32_t seed = 12345;
  const auto next = [&seed](std::uint32_t below) {
    seed = seed * 1103515245U + 12345U;
    return (seed >> 16U) % below;
  };
  const std::string letters = "aAbB@`.+";
  for (int round = 0; round < 400; ++round) {
    const std::size_t count = next(round < 300 ? 20 : 120);
    ParamList names;
    for (std::size_t i = 0; i < count; ++i) {
      std::string name;
      const std::size_t size = 1 + next(round % 2 == 0 ? 3 : 6);
      for (std::size_t k = 0; k < size; ++k) name += letters[next(round % 3 == 0 ? 8 : 6)];
      names.push_back({name, "v"});
    }
    std::string want;
    for (std::size_t i = 0; i < count && want.empty(); ++i) {
      if (!is_plain_param_name(names[i].name)) {
        want = "ambiguous " + names[i].name;
        break;
      }
      for (std::size_t j = i + 1; j < count; ++j) {
        if (same_param_name(names[i].name, names[j].name)) {
          want = "repeated " + names[i].name;
          break;
        }
      }
    }
    const auto got = check_param_names(names, ParamList());
    ASSERT_EQ(got.has_value(), !want.empty()) << round;
    if (!got) continue;
    const std::string name = want.substr(want.find(' ') + 1);
    EXPECT_NE(got->message.find("'" + name + "'"), std::string::npos) << round << got->message;
    EXPECT_EQ(got->message.find("ambiguous") != std::string::npos, want.rfind("ambiguous", 0) == 0)
        << round << got->message;
  }
}

TEST(Admission, RefusesOtherVersions) {
  EXPECT_EQ(
      code_of(admit_api_call(policy(), get("/api/?Action=BuySecretNo&Version=2020-01-01"), "")),
      RelayCode::kVersionNotAllowed);
  EXPECT_EQ(code_of(admit_api_call(policy(), get("/api/?Action=BuySecretNo"), "")),
            RelayCode::kVersionNotAllowed);
  EXPECT_EQ(
      code_of(admit_api_call(
          policy(), get("/api/?Action=BuySecretNo&Version=2017-05-25&Version=2014-05-26"), "")),
      RelayCode::kVersionNotAllowed);
  EXPECT_EQ(
      code_of(admit_api_call(
          policy(),
          get("/api/", {{"x-acs-action", "BuySecretNo"}, {"x-acs-version", "2014-05-26"}}), "")),
      RelayCode::kVersionNotAllowed);
}

TEST(Admission, RefusesControlCharactersAnywhere) {
  EXPECT_EQ(
      code_of(admit_api_call(
          policy(), get("/api/?Action=BuySecretNo&Version=2017-05-25&City=a%0D%0AHost:x"), "")),
      RelayCode::kBadRequest);
  EXPECT_EQ(code_of(admit_api_call(policy(), get(std::string(kV1Query) + "&x=%00"), "")),
            RelayCode::kBadRequest);
  EXPECT_EQ(
      code_of(admit_api_call(policy(), get(kV1Query, {{"x-acs-date", "a\r\nHost: evil"}}), "")),
      RelayCode::kBadRequest);
  EXPECT_EQ(code_of(admit_api_call(policy(), get(std::string(kV1Query) + "&x=a b"), "")),
            RelayCode::kBadRequest);
  EXPECT_EQ(code_of(admit_api_call(policy(), get(std::string(kV1Query) + "&x=%zz"), "")),
            RelayCode::kBadRequest);
  for (const std::string extra : {"x=%", "x=%4", "x=a%", "x=%4g", "x=%g4", "x=\"", "x=#"}) {
    EXPECT_EQ(code_of(admit_api_call(policy(), get(std::string(kV1Query) + "&" + extra), "")),
              RelayCode::kBadRequest)
        << extra;
  }
  const std::string body = "City=%0A";
  EXPECT_EQ(code_of(admit_api_call(policy(), post(kV1Query, body.size()), body)),
            RelayCode::kBadRequest);
}

// The query's control characters are found in its escapes (its raw bytes are query characters):
// every escape that decodes to one is refused, in a name or a value, and nothing else is.
TEST(Admission, FindsControlCharactersInTheQuerysEscapes) {
  for (const std::string extra :
       {"x=%00", "x=%09", "x=%1F", "x=%1f", "x=%7F", "x=%7f", "x%0A=1", "a=1&x=b%0D"}) {
    const auto refusal = check_api_head(policy(), get(std::string(kV1Query) + "&" + extra));
    ASSERT_TRUE(refusal) << extra;
    EXPECT_EQ(refusal->code, RelayCode::kBadRequest) << extra;
    EXPECT_NE(refusal->message.find("control character"), std::string::npos)
        << extra << ": " << refusal->message;
  }
  // A space, an escaped percent before digits, bytes above ASCII and '+' are not control
  // characters.
  for (const std::string extra : {"x=%20", "x=%2500", "x=%250A", "x=%E6%9D%AD", "x=a+b", "x=%7E"}) {
    FormParams query;
    const auto refusal = check_api_head(policy(), get(std::string(kV1Query) + "&" + extra), &query);
    EXPECT_FALSE(refusal) << extra << ": " << refusal->message;
    ASSERT_EQ(query.size(), 4U) << extra;
    EXPECT_EQ(query.value(2), "LTAI5tExample01");
  }
}

// A list reused from an earlier call holds this call's parameters only.
TEST(Admission, AReusedQueryListHoldsOnlyThisCallsParameters) {
  FormParams query;
  ASSERT_FALSE(check_api_head(policy(), get(std::string(kV1Query) + "&City=%E6%9D%AD&x"), &query));
  ASSERT_EQ(query.size(), 5U);
  EXPECT_EQ(query.value(3), "\xE6\x9D\xAD");
  EXPECT_EQ(query.raw_value(3), "%E6%9D%AD");
  EXPECT_EQ(query.name(4), "x");
  // Where a value was, a bare name now: its value is empty.
  ASSERT_FALSE(
      check_api_head(policy(), get("/api/?Action=BuySecretNo&Version=2017-05-25&y"), &query));
  ASSERT_EQ(query.size(), 3U);
  EXPECT_EQ(query.value(1), "2017-05-25");
  EXPECT_EQ(query.name(2), "y");
  EXPECT_EQ(query.value(2), "");
  const auto admission = admit_checked_api_call(
      policy(), get("/api/?Action=BuySecretNo&Version=2017-05-25&y"), "", &query);
  EXPECT_FALSE(admission.refusal) << admission.refusal->message;
}

TEST(Admission, NamesEveryPlaceOfAnActionWithDifferentValues) {
  const std::string body = "Action=BindAxb";
  auto head = post("/api/?Version=2017-05-25", body.size(), {{"x-acs-action", "BuySecretNo"}});
  const auto admission = admit_api_call(policy(), head, body);
  ASSERT_EQ(code_of(admission), RelayCode::kActionNotAllowed);
  EXPECT_EQ(admission.refusal->message,
            "Action appears with different values (form body, x-acs-action); send exactly one.");
}

TEST(Admission, CapsSizesBeforeTheBodyIsRead) {
  auto p = policy();
  const auto big = check_api_head(p, post(kV1Query, p.max_body_bytes + 1));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->code, RelayCode::kPayloadTooLarge);
  EXPECT_TRUE(big->close_connection);
  EXPECT_EQ(
      check_api_head(p, get(std::string(kV1Query) + "&x=" + std::string(p.max_query_bytes, 'a')))
          ->code,
      RelayCode::kPayloadTooLarge);
  HeaderList many;
  for (int i = 0; i < 60; ++i) many.emplace_back("X-H" + std::to_string(i), "v");
  EXPECT_EQ(check_api_head(p, get(kV1Query, many))->code, RelayCode::kBadRequest);
  EXPECT_EQ(
      check_api_head(p, get(kV1Query, {{"X-Big", std::string(p.max_header_bytes, 'a')}}))->code,
      RelayCode::kBadRequest);
  // The body itself is checked again once read.
  const std::string body(p.max_body_bytes + 1, 'a');
  EXPECT_EQ(code_of(admit_api_call(p, post(kV1Query, 10), body)), RelayCode::kPayloadTooLarge);
}

// What the head already shows is judged before the body: a client that announces a body and
// never sends it gets its refusal at once. Allowed values, or none, wait for the whole request.
TEST(Admission, JudgesActionAndVersionVisibleInTheHead) {
  struct Row {
    const char* what;
    RequestHead head;
    std::optional<RelayCode> code;
  };
  const std::vector<Row> rows = {
      {"allowed, query", post(kV1Query, 10), std::nullopt},
      {"no action in the head", post("/api/", 10), std::nullopt},
      {"disallowed action, query", post("/api/?Action=BindAxb&Version=2017-05-25", 10),
       RelayCode::kActionNotAllowed},
      {"disallowed action, encoded name", post("/api/?%41ction=BindAxb", 10),
       RelayCode::kActionNotAllowed},
      {"disallowed action, lower-case name", post("/api/?action=BindAxb", 10),
       RelayCode::kActionNotAllowed},
      {"disallowed version, query", post("/api/?Action=BuySecretNo&Version=2014-05-26", 10),
       RelayCode::kVersionNotAllowed},
      {"disallowed x-acs-action", post("/api/", 10, {{"x-acs-action", "BindAxb"}}),
       RelayCode::kActionNotAllowed},
      {"disallowed x-acs-version", post("/api/", 10, {{"x-acs-version", "2014-05-26"}}),
       RelayCode::kVersionNotAllowed},
      {"allowed x-acs-*",
       post("/api/", 10, {{"x-acs-action", "BuySecretNo"}, {"x-acs-version", "2017-05-25"}}),
       std::nullopt},
  };
  for (const auto& row : rows) {
    const auto refusal = check_api_head(policy(), row.head);
    if (!row.code) {
      EXPECT_FALSE(refusal) << row.what << ": " << refusal->message;
    } else {
      ASSERT_TRUE(refusal) << row.what;
      EXPECT_EQ(refusal->code, *row.code) << row.what;
    }
  }
}

TEST(Admission, RefusesAmbiguousFraming) {
  auto p = policy();
  EXPECT_TRUE(check_api_head(p, RequestHead{"POST", kV1Query, {{"Transfer-Encoding", "chunked"}}})
                  ->close_connection);
  EXPECT_TRUE(check_api_head(p, RequestHead{"POST", kV1Query, {}}));  // no Content-Length
  EXPECT_TRUE(check_api_head(
      p, RequestHead{"POST", kV1Query, {{"Content-Length", "1"}, {"Content-Length", "2"}}}));
  EXPECT_TRUE(check_api_head(p, RequestHead{"POST", kV1Query, {{"Content-Length", "-1"}}}));
  EXPECT_TRUE(check_api_head(p, get(kV1Query, {{"Content-Length", "5"}})));  // GET with a body
  EXPECT_TRUE(check_api_head(
      p, RequestHead{
             "POST", kV1Query, {{"Content-Length", "5"}, {"Content-Type", "application/json"}}}));
  EXPECT_TRUE(check_api_head(p, RequestHead{"PUT", kV1Query, {}}));
  EXPECT_TRUE(check_api_head(p, get(kV1Query, {{"Host", "a"}, {"Host", "b"}})));
}

TEST(Admission, ChecksTheOrigin) {
  auto p = policy();
  EXPECT_FALSE(check_api_head(p, get(kV1Query, {{"Origin", "https://console.example"}})));
  EXPECT_FALSE(check_api_head(
      p, get(kV1Query, {{"Origin", "http://relay.local:8080"}, {"Host", "relay.local:8080"}})));
  EXPECT_FALSE(check_api_head(p, get(kV1Query)));  // not a browser
  for (const char* origin : {"https://evil.example", "null", "https://console.example.evil.com",
                             "https://console.example:8443", "http://console.example"}) {
    const auto refusal = check_api_head(p, get(kV1Query, {{"Origin", origin}}));
    ASSERT_TRUE(refusal) << origin;
    EXPECT_EQ(refusal->code, RelayCode::kOriginNotAllowed) << origin;
  }
}

TEST(Admission, MessagesNeverEchoHostileBytes) {
  const auto admission =
      admit_api_call(policy(), get("/api/?Action=%22%3Cscript%3E%0A&Version=2017-05-25"), "");
  ASSERT_TRUE(admission.refusal);
  EXPECT_EQ(admission.refusal->message.find('\n'), std::string::npos);
  EXPECT_EQ(admission.refusal->message.find('<'), std::string::npos);
}

// Only reads may be sent twice when a kept-alive upstream connection dies under them.
TEST(Admission, ReadOnlyActionsByName) {
  for (const char* read : {"QuerySecretNoRemain", "QuerySubscriptionDetail", "DescribeRegions",
                           "ListSecretNo", "GetSecretAsrDetail"}) {
    EXPECT_TRUE(is_read_only_action(read)) << read;
  }
  for (const char* write : {"BindAxb", "BuySecretNo", "UnbindSubscription", "Query", "Queryx",
                            "ReleaseSecretNo", "", "GetterSetter"}) {
    EXPECT_FALSE(is_read_only_action(write)) << write;
  }
}

TEST(Admission, AssumeRoleTakesOnlyADuration) {
  EXPECT_FALSE(check_assume_role(get("/sandbox/assume-role?DurationSeconds=900")));
  EXPECT_TRUE(check_assume_role(get("/sandbox/assume-role?u=http://x")));
  EXPECT_TRUE(check_assume_role(RequestHead{"POST", "/sandbox/assume-role", {}}));
}

}  // namespace
}  // namespace dypls::relay
