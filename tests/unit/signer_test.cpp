// Each signing stage on its own bytes, then the assembled requests. The official vectors come from
// docs/dyplsapi.md; the data-driven vectors are in signer_vectors_test.cpp.
#include "core/signer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/crypto.h"
#include "core/encoding.h"

namespace dypls {
namespace {

constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const Param* find_param(const ParamList& params, std::string_view name) {
  const auto it =
      std::find_if(params.begin(), params.end(), [&](const Param& p) { return p.name == name; });
  return it == params.end() ? nullptr : &*it;
}

const std::string* find_header(const HeaderList& headers, std::string_view name) {
  const auto it =
      std::find_if(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; });
  return it == headers.end() ? nullptr : &it->second;
}

RequestSpec buy_spec(HttpMethod method, SignatureStyle style) {
  RequestSpec spec;
  spec.method = method;
  spec.style = style;
  spec.action = "BuySecretNo";
  spec.params = {
      {"PoolKey", "FC123456"}, {"SpecId", "1"}, {"City", "杭州"}, {"DisplayPool", "false"}};
  return spec;
}

const AccessKey kLongTermKey{"testid", "testsecret", ""};
const AccessKey kStsKey{"STS.NUgYrLnoC", "stssecret", "CAIS+token/with=symbols&more"};
const SigningContext kContext{"2026-11-28T06:52:17Z", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"};

// --- digests -------------------------------------------------------------------------------

TEST(Crypto, Sha256KnownAnswers) {
  EXPECT_EQ(hex_lower(sha256("")), kEmptySha256);
  EXPECT_EQ(hex_lower(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// RFC 2202 / RFC 4231 test case 2.
TEST(Crypto, HmacKnownAnswers) {
  EXPECT_EQ(hex_lower(hmac_sha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(hex_lower(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, HmacWithEmptyKeyAndMessage) {
  EXPECT_EQ(hex_lower(hmac_sha1("", "")), "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
  EXPECT_EQ(hex_lower(hmac_sha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(Crypto, HmacKeyLongerThanABlockIsHashedFirst) {
  // RFC 4231 test case 6: a 131-byte key of 0xaa.
  EXPECT_EQ(hex_lower(hmac_sha256(std::string(131, '\xaa'),
                                  "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// RFC 2202 test case 6, and keys on each side of the 64-byte block (expected values from Python's
// hmac module): the pad is built by hand, so its edges are checked.
TEST(Crypto, HmacKeyAtTheBlockEdge) {
  EXPECT_EQ(hex_lower(hmac_sha1(std::string(80, '\xaa'),
                                "Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
  const struct {
    std::size_t size;
    const char* sha1;
    const char* sha256;
  } kEdges[] = {
      {63, "33765bb4ffb3c7663a4d629af1654728b3dc0440",
       "27eedfbd6d56d6888f49ee9ec0dd24118a98b81648fb90be86cc81c189e24af4"},
      {64, "01f60939407ffefb62bced06614e5610741c8012",
       "63eee3398c73047cb3145cd80f3b0712f3bce00dd534f4626ffdbbb979b7d8d6"},
      {65, "2ebb0755fdb82b1c70ee85d6872201872d2c5676",
       "05e6808262cf1a4fc78f72a58cf5208e018c94a5d112ca6adeabfdb34a2fdb72"},
  };
  for (const auto& edge : kEdges) {
    const std::string key(edge.size, '\x0b');
    EXPECT_EQ(hex_lower(hmac_sha1(key, "block edge")), edge.sha1) << edge.size;
    EXPECT_EQ(hex_lower(hmac_sha256(key, "block edge")), edge.sha256) << edge.size;
  }
}

// --- V1 stages -----------------------------------------------------------------------------

TEST(V1CanonicalQuery, SortsByEncodedNameInByteOrder) {
  const ParamList params = {{"b", "2"}, {"a", "1"}, {"B", "3"}, {"A_", "4"}, {"A", "5"}};
  // Upper-case before lower-case; "A" before "A_" (prefix first).
  EXPECT_EQ(v1::canonical_query(params), "A=5&A_=4&B=3&a=1&b=2");
}

TEST(V1CanonicalQuery, EncodesNamesAndValuesAndKeepsEmptyValues) {
  const ParamList params = {{"City", "上 海"}, {"Empty", ""}, {"Sym", "*~+/=&%"}};
  EXPECT_EQ(v1::canonical_query(params),
            "City=%E4%B8%8A%20%E6%B5%B7&Empty=&Sym=%2A~%2B%2F%3D%26%25");
}

TEST(V1CanonicalQuery, RepeatedNamesKeepTheirOrder) {
  EXPECT_EQ(v1::canonical_query({{"k", "2"}, {"k", "1"}}), "k=2&k=1");
}

TEST(V1CanonicalQuery, EmptyList) {
  EXPECT_EQ(v1::canonical_query({}), "");
}

TEST(V1StringToSign, MethodSlashAndTheCanonicalStringEncodedAgain) {
  const std::string canonical = "Timestamp=2016-02-23T12%3A46%3A24Z&k=a%20b";
  EXPECT_EQ(v1::string_to_sign(HttpMethod::kGet, canonical),
            "GET&%2F&Timestamp%3D2016-02-23T12%253A46%253A24Z%26k%3Da%2520b");
  EXPECT_EQ(v1::string_to_sign(HttpMethod::kPost, canonical),
            "POST&%2F&Timestamp%3D2016-02-23T12%253A46%253A24Z%26k%3Da%2520b");
}

// The official vector's full parameter set (Format=XML, so it is fed to the stages directly).
ParamList describe_regions_params() {
  return {{"AccessKeyId", "testid"},
          {"Action", "DescribeRegions"},
          {"Format", "XML"},
          {"SignatureMethod", "HMAC-SHA1"},
          {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
          {"SignatureVersion", "1.0"},
          {"Timestamp", "2016-02-23T12:46:24Z"},
          {"Version", "2014-05-26"}};
}

TEST(V1Signature, OfficialDescribeRegionsGetAndPost) {
  const std::string canonical = v1::canonical_query(describe_regions_params());
  EXPECT_EQ(canonical,
            "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1"
            "&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0"
            "&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26");
  const std::string get = v1::string_to_sign(HttpMethod::kGet, canonical);
  EXPECT_EQ(get,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
            "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
            "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z"
            "%26Version%3D2014-05-26");
  EXPECT_EQ(v1::signature("testsecret", get), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
  EXPECT_EQ(v1::signature("testsecret", v1::string_to_sign(HttpMethod::kPost, canonical)),
            "MxbnVAM4w6sft9xjVpe/GCKueuk=");
}

TEST(V1Signature, OfficialDescribeDedicatedHostsThroughSign) {
  RequestSpec spec;
  spec.method = HttpMethod::kGet;
  spec.style = SignatureStyle::kV1;
  spec.host = "ecs.aliyuncs.com";
  spec.action = "DescribeDedicatedHosts";
  spec.version = "2014-05-26";
  spec.params = {{"RegionId", "cn-beijing"}};
  const SignedRequest signed_request =
      sign(spec, kLongTermKey, {"2023-03-13T08:34:30Z", "edb2b34af0af9a6d14deaf7c1a5315eb"});
  EXPECT_EQ(signed_request.signature, "9NaGiOspFP5UPcwX8Iwt2YJXXuk=");
}

TEST(V1Signature, KeyIsSecretPlusAmpersand) {
  EXPECT_EQ(v1::signature("s", "text"), base64_encode(hmac_sha1("s&", "text")));
  EXPECT_NE(v1::signature("s", "text"), base64_encode(hmac_sha1("s", "text")));
}

TEST(V1SignedParams, CommonParametersAndNoTokenForALongTermKey) {
  const ParamList params =
      v1::signed_params(buy_spec(HttpMethod::kPost, SignatureStyle::kV1), kLongTermKey, kContext);
  const std::pair<const char*, const char*> expected[] = {
      {"Action", "BuySecretNo"},
      {"Version", "2017-05-25"},
      {"Format", "JSON"},
      {"AccessKeyId", "testid"},
      {"SignatureMethod", "HMAC-SHA1"},
      {"SignatureVersion", "1.0"},
      {"SignatureNonce", kContext.nonce.c_str()},
      {"Timestamp", kContext.timestamp.c_str()},
      {"City", "杭州"},
      {"DisplayPool", "false"}};
  for (const auto& [name, value] : expected) {
    const Param* param = find_param(params, name);
    ASSERT_NE(param, nullptr) << name;
    EXPECT_EQ(param->value, value) << name;
  }
  EXPECT_EQ(find_param(params, "SecurityToken"), nullptr);
  EXPECT_EQ(find_param(params, "Signature"), nullptr);
  EXPECT_EQ(params.size(), 12U);
}

TEST(V1SignedParams, StsTokenIsASignedParameter) {
  const ParamList params =
      v1::signed_params(buy_spec(HttpMethod::kPost, SignatureStyle::kV1), kStsKey, kContext);
  const Param* token = find_param(params, "SecurityToken");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->value, kStsKey.security_token);
}

TEST(V1SignedParams, ABusinessParameterCannotOverrideACommonOne) {
  RequestSpec spec = buy_spec(HttpMethod::kGet, SignatureStyle::kV1);
  spec.params.push_back({"Signature", "forged"});
  spec.params.push_back({"SignatureMethod", "HMAC-MD5"});
  const ParamList params = v1::signed_params(spec, kLongTermKey, kContext);
  EXPECT_EQ(find_param(params, "Signature"), nullptr);
  EXPECT_EQ(find_param(params, "SignatureMethod")->value, "HMAC-SHA1");
  EXPECT_EQ(find_param(params, "Format")->value, "JSON");
}

TEST(V1SignedParams, FormatIsJsonUnlessTheCallerAsksForAnother) {
  RequestSpec spec = buy_spec(HttpMethod::kGet, SignatureStyle::kV1);
  spec.params.push_back({"Format", "XML"});
  const ParamList params = v1::signed_params(spec, kLongTermKey, kContext);
  EXPECT_EQ(std::count_if(params.begin(), params.end(),
                          [](const Param& p) { return p.name == "Format"; }),
            1);
  EXPECT_EQ(find_param(params, "Format")->value, "XML");
}

// --- V1 requests ---------------------------------------------------------------------------

TEST(V1Sign, GetPutsEverythingInTheQueryWithSignatureLast) {
  const SignedRequest r = sign(buy_spec(HttpMethod::kGet, SignatureStyle::kV1), kStsKey, kContext);
  EXPECT_EQ(r.method, HttpMethod::kGet);
  EXPECT_EQ(r.path_and_query, "/?" + r.canonical + "&Signature=" + percent_encode(r.signature));
  // Exactly one Signature, and nothing after it.
  const auto signature_at = r.path_and_query.find("&Signature=");
  EXPECT_EQ(signature_at, r.path_and_query.rfind("&Signature="));
  EXPECT_EQ(r.path_and_query.find('&', signature_at + 1), std::string::npos);
  EXPECT_NE(r.path_and_query.find("SecurityToken=CAIS%2Btoken%2Fwith%3Dsymbols%26more"),
            std::string::npos);
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(r.content_type.empty());
  EXPECT_TRUE(r.headers.empty());
  EXPECT_EQ(r.string_to_sign, v1::string_to_sign(HttpMethod::kGet, r.canonical));
  EXPECT_EQ(r.signature, v1::signature(kStsKey.secret, r.string_to_sign));
}

TEST(V1Sign, PostPutsEverythingInAFormBody) {
  const SignedRequest r = sign(buy_spec(HttpMethod::kPost, SignatureStyle::kV1), kStsKey, kContext);
  EXPECT_EQ(r.path_and_query, "/");
  EXPECT_EQ(r.content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(r.body, r.canonical + "&Signature=" + percent_encode(r.signature));
  EXPECT_EQ(r.string_to_sign.rfind("POST&%2F&", 0), 0U);
  // Nothing secret or signed travels in the URL.
  EXPECT_EQ(r.path_and_query.find("Signature"), std::string::npos);
}

TEST(V1Sign, GetAndPostSignDifferently) {
  const SignedRequest get =
      sign(buy_spec(HttpMethod::kGet, SignatureStyle::kV1), kStsKey, kContext);
  const SignedRequest post =
      sign(buy_spec(HttpMethod::kPost, SignatureStyle::kV1), kStsKey, kContext);
  EXPECT_EQ(get.canonical, post.canonical);
  EXPECT_NE(get.signature, post.signature);
}

TEST(V1Sign, EmptyValueIsSignedAsKeyEquals) {
  RequestSpec spec = buy_spec(HttpMethod::kGet, SignatureStyle::kV1);
  spec.params.push_back({"SecretNo", ""});
  const SignedRequest r = sign(spec, kLongTermKey, kContext);
  EXPECT_NE(r.canonical.find("&SecretNo=&"), std::string::npos);
}

TEST(V1Sign, EveryInputChangesTheSignature) {
  const SignedRequest base =
      sign(buy_spec(HttpMethod::kGet, SignatureStyle::kV1), kStsKey, kContext);
  RequestSpec other_city = buy_spec(HttpMethod::kGet, SignatureStyle::kV1);
  other_city.params[2].value = "武汉";
  AccessKey other_token = kStsKey;
  other_token.security_token += "x";
  AccessKey other_secret = kStsKey;
  other_secret.secret = "other";
  SigningContext other_nonce = kContext;
  other_nonce.nonce = "another";
  const auto spec = buy_spec(HttpMethod::kGet, SignatureStyle::kV1);
  EXPECT_NE(sign(other_city, kStsKey, kContext).signature, base.signature);
  EXPECT_NE(sign(spec, other_token, kContext).signature, base.signature);
  EXPECT_NE(sign(spec, other_secret, kContext).signature, base.signature);
  EXPECT_NE(sign(spec, kStsKey, other_nonce).signature, base.signature);
}

// sign() builds the canonical query and the string to sign in one pass; they must be exactly what
// the separate stages give, for every byte in names and values and a name that sorts by its
// escape (0x7B sorts after letters raw but before them encoded).
TEST(V1Sign, OnePassBuildMatchesTheStages) {
  std::string every_byte;
  for (int byte = 0; byte < 256; ++byte) every_byte.push_back(static_cast<char>(byte));
  RequestSpec spec = buy_spec(HttpMethod::kGet, SignatureStyle::kV1);
  spec.params.push_back({"OutId", every_byte});
  spec.params.push_back({"{brace", "a&b=c%d"});
  spec.params.push_back({"Remark", every_byte + every_byte});
  spec.params.push_back({"Remark", ""});
  spec.params.push_back({"", "empty name"});
  for (const HttpMethod method : {HttpMethod::kGet, HttpMethod::kPost}) {
    spec.method = method;
    const SignedRequest r = sign(spec, kStsKey, kContext);
    const std::string canonical = v1::canonical_query(v1::signed_params(spec, kStsKey, kContext));
    EXPECT_EQ(r.canonical, canonical);
    EXPECT_EQ(r.string_to_sign, v1::string_to_sign(method, canonical));
    EXPECT_EQ(r.string_to_sign,
              std::string(method_name(method)) + "&%2F&" + percent_encode(canonical));
    EXPECT_EQ(r.signature, v1::signature(kStsKey.secret, r.string_to_sign));
    EXPECT_LT(r.canonical.find("%7Bbrace="), r.canonical.find("AccessKeyId="));
  }
}

// --- V3 stages -----------------------------------------------------------------------------

RequestSpec run_instances_spec() {
  RequestSpec spec;
  spec.method = HttpMethod::kPost;
  spec.style = SignatureStyle::kV3;
  spec.host = "ecs.cn-shanghai.aliyuncs.com";
  spec.action = "RunInstances";
  spec.version = "2014-05-26";
  spec.params = {{"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"},
                 {"RegionId", "cn-shanghai"}};
  return spec;
}
const AccessKey kV3Key{"YourAccessKeyId", "YourAccessKeySecret", ""};
const SigningContext kV3Context{"2023-10-26T10:22:32Z", "3156853299f313e23d1673dc12e1703d"};

constexpr std::string_view kV3CanonicalRequest =
    "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
    "host:ecs.cn-shanghai.aliyuncs.com\n"
    "x-acs-action:RunInstances\n"
    "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
    "x-acs-date:2023-10-26T10:22:32Z\n"
    "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"
    "x-acs-version:2014-05-26\n"
    "\n"
    "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(V3SignedHeaders, ExactlyTheDesignSetWithoutAToken) {
  const HeaderList headers =
      v3::signed_headers(run_instances_spec(), kV3Key, kV3Context, kEmptySha256);
  const HeaderList expected = {{"host", "ecs.cn-shanghai.aliyuncs.com"},
                               {"x-acs-action", "RunInstances"},
                               {"x-acs-content-sha256", std::string(kEmptySha256)},
                               {"x-acs-date", "2023-10-26T10:22:32Z"},
                               {"x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"},
                               {"x-acs-version", "2014-05-26"}};
  EXPECT_EQ(headers, expected);
}

TEST(V3SignedHeaders, TokenAddsKeyIdAndTokenHeadersInSortedPlace) {
  const HeaderList headers = v3::signed_headers(buy_spec(HttpMethod::kPost, SignatureStyle::kV3),
                                                kStsKey, kContext, kEmptySha256);
  std::vector<std::string> names;
  for (const auto& header : headers) names.push_back(header.first);
  const std::vector<std::string> expected = {
      "host",       "x-acs-accesskey-id",   "x-acs-action",          "x-acs-content-sha256",
      "x-acs-date", "x-acs-security-token", "x-acs-signature-nonce", "x-acs-version"};
  EXPECT_EQ(names, expected);
  EXPECT_EQ(*find_header(headers, "x-acs-accesskey-id"), kStsKey.id);
  EXPECT_EQ(*find_header(headers, "x-acs-security-token"), kStsKey.security_token);
}

TEST(V3CanonicalRequest, OfficialVector) {
  const RequestSpec spec = run_instances_spec();
  const std::string canonical = v3::canonical_request(
      spec.method, v1::canonical_query(spec.params),
      v3::signed_headers(spec, kV3Key, kV3Context, kEmptySha256), kEmptySha256);
  EXPECT_EQ(canonical, kV3CanonicalRequest);
}

TEST(V3CanonicalRequest, TrimsHeaderValues) {
  const std::string canonical =
      v3::canonical_request(HttpMethod::kGet, "", {{"x-acs-a", "  v \t"}}, kEmptySha256);
  EXPECT_EQ(canonical, "GET\n/\n\nx-acs-a:v\n\nx-acs-a\n" + std::string(kEmptySha256));
}

// The sandbox rebuilds a canonical request from a client's SignedHeaders, which may name ""; the
// names line gets a ';' only after something was written, as before the one-buffer build.
TEST(V3CanonicalRequest, EmptyHeaderNameAddsNoSeparatorBeforeIt) {
  const std::string canonical =
      v3::canonical_request(HttpMethod::kPost, "a=1", {{"", "x"}, {"b", "y"}}, "h");
  EXPECT_EQ(canonical, "POST\n/\na=1\n:x\nb:y\n\nb\nh");
}

TEST(V3StringToSign, AlgorithmThenHexDigestOfTheCanonicalRequest) {
  EXPECT_EQ(v3::string_to_sign(kV3CanonicalRequest),
            "ACS3-HMAC-SHA256\n" + hex_lower(sha256(kV3CanonicalRequest)));
}

TEST(V3Signature, OfficialVector) {
  EXPECT_EQ(v3::signature("YourAccessKeySecret", v3::string_to_sign(kV3CanonicalRequest)),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
}

TEST(V3Signature, KeyIsTheSecretWithoutAmpersand) {
  EXPECT_EQ(v3::signature("s", "text"), hex_lower(hmac_sha256("s", "text")));
}

// --- V3 requests ---------------------------------------------------------------------------

TEST(V3Sign, OfficialVectorAssembled) {
  const SignedRequest r = sign(run_instances_spec(), kV3Key, kV3Context);
  EXPECT_EQ(r.canonical, kV3CanonicalRequest);
  EXPECT_EQ(r.signature, "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
  EXPECT_EQ(
      r.signed_headers,
      "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version");
  EXPECT_EQ(r.authorization, "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=" +
                                 r.signed_headers + ",Signature=" + r.signature);
  EXPECT_EQ(r.path_and_query,
            "/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai");
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(r.content_type.empty());
}

TEST(V3Sign, SendsEverySignedHeaderButHostPlusAuthorization) {
  const SignedRequest r = sign(buy_spec(HttpMethod::kPost, SignatureStyle::kV3), kStsKey, kContext);
  EXPECT_EQ(find_header(r.headers, "host"), nullptr);  // the transport sets Host from the URL
  for (const char* name :
       {"x-acs-accesskey-id", "x-acs-action", "x-acs-content-sha256", "x-acs-date",
        "x-acs-security-token", "x-acs-signature-nonce", "x-acs-version"}) {
    EXPECT_NE(find_header(r.headers, name), nullptr) << name;
  }
  ASSERT_NE(find_header(r.headers, "Authorization"), nullptr);
  EXPECT_EQ(*find_header(r.headers, "Authorization"), r.authorization);
  EXPECT_EQ(r.headers.size(), 8U);
}

TEST(V3Sign, ContentHashIsTheDigestOfTheEmptyBody) {
  const SignedRequest r = sign(buy_spec(HttpMethod::kPost, SignatureStyle::kV3), kStsKey, kContext);
  ASSERT_NE(find_header(r.headers, "x-acs-content-sha256"), nullptr);
  EXPECT_EQ(*find_header(r.headers, "x-acs-content-sha256"), hex_lower(sha256("")));
}

TEST(V3Sign, BusinessParamsOnlyInTheQuery) {
  const SignedRequest r = sign(buy_spec(HttpMethod::kPost, SignatureStyle::kV3), kStsKey, kContext);
  EXPECT_EQ(r.path_and_query,
            "/?City=%E6%9D%AD%E5%B7%9E&DisplayPool=false&PoolKey=FC123456&SpecId=1");
  for (const char* common :
       {"Action=", "Timestamp=", "SignatureNonce=", "SecurityToken=", "AccessKeyId=", "Format="}) {
    EXPECT_EQ(r.path_and_query.find(common), std::string::npos) << common;
  }
}

TEST(V3Sign, NoParamsMeansBarePath) {
  RequestSpec spec = buy_spec(HttpMethod::kGet, SignatureStyle::kV3);
  spec.params.clear();
  const SignedRequest r = sign(spec, kLongTermKey, kContext);
  EXPECT_EQ(r.path_and_query, "/");
  EXPECT_EQ(r.canonical.rfind("GET\n/\n\nhost:", 0), 0U);
}

TEST(V3Sign, HostIsSigned) {
  RequestSpec relayed = buy_spec(HttpMethod::kPost, SignatureStyle::kV3);
  relayed.host = "127.0.0.1:8080";
  EXPECT_NE(sign(relayed, kStsKey, kContext).signature,
            sign(buy_spec(HttpMethod::kPost, SignatureStyle::kV3), kStsKey, kContext).signature);
}

TEST(MethodName, BothMethods) {
  EXPECT_EQ(method_name(HttpMethod::kGet), "GET");
  EXPECT_EQ(method_name(HttpMethod::kPost), "POST");
}

}  // namespace
}  // namespace dypls
