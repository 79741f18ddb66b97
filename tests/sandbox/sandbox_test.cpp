#include "sandbox/sandbox.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/time_format.h"
#include "signed_request.h"

namespace dypls::sandbox {
namespace {

constexpr std::int64_t kNow = 1795000000;
const std::string kHost = "127.0.0.1:8090";
const std::string kPool = "FC100000000000001";
using nlohmann::json;

std::unique_ptr<SandboxState> seeded_state() {
  auto state = std::make_unique<SandboxState>(7, std::vector<StockOverride>{{1, "拉萨", 1}});
  state->keys.add_account("LTAI5tTestKey", "test-secret", state->rng);
  state->inventory.add_pool(kPool);
  return state;
}

// V1 signed without Format (defined below with its own test).
IncomingRequest v1_without_format(const std::string& secret, const std::string& nonce);

class SandboxTest : public ::testing::Test {
 protected:
  SandboxTest() : sandbox(seeded_state(), AuthPolicy{}, FaultConfig{}) {}

  Reply call(const std::string& action, ParamList params,
             SignatureStyle style = SignatureStyle::kV1, AccessKey key = {}) {
    if (key.id.empty()) key = {"LTAI5tTestKey", "test-secret", ""};
    RequestSpec spec;
    spec.style = style;
    spec.host = kHost;
    spec.action = action;
    spec.params = std::move(params);
    const SigningContext ctx{format_iso8601_utc(kNow), "nonce-" + std::to_string(++counter)};
    return sandbox.handle_api(testing::to_incoming(sign(spec, key, ctx), kHost), kNow);
  }
  static json body(const Reply& reply) { return json::parse(reply.body); }
  std::string buy(const std::string& city = "杭州") {
    const Reply reply = call("BuySecretNo", {{"PoolKey", kPool}, {"SpecId", "1"}, {"City", city}});
    EXPECT_EQ(body(reply)["Code"], "OK") << reply.body;
    return body(reply)["SecretBuyInfoDTO"]["SecretNo"].get<std::string>();
  }

  Sandbox sandbox;
  int counter = 0;
};

TEST_F(SandboxTest, AnswersHaveTheRealShapes) {
  const json stock = body(call("QuerySecretNoRemain", {{"SpecId", "1"}, {"City", "全国列表"}}));
  EXPECT_EQ(stock["Code"], "OK");
  EXPECT_EQ(stock["Message"], "OK");
  EXPECT_EQ(stock["RequestId"].get<std::string>().size(), 36u);
  // The live shape for 全国列表: only the rows, no top-level Amount or City.
  EXPECT_FALSE(stock["SecretRemainDTO"].contains("Amount"));
  EXPECT_FALSE(stock["SecretRemainDTO"].contains("City"));
  const json& list = stock["SecretRemainDTO"]["RemainDTOList"]["remainDTO"];
  ASSERT_TRUE(list.is_array());
  ASSERT_FALSE(list.empty());
  EXPECT_TRUE(list[0].contains("Amount"));
  EXPECT_TRUE(list[0].contains("City"));

  const std::string number = buy();
  const Reply detail_reply =
      call("QuerySecretNoDetail", {{"PoolKey", kPool}, {"SecretNo", number}}, SignatureStyle::kV3);
  EXPECT_EQ(detail_reply.status, 200);
  const json detail = body(detail_reply)["SecretNoInfoDTO"];
  EXPECT_EQ(detail["City"], "杭州");
  EXPECT_EQ(detail["Province"], "浙江");
  EXPECT_EQ(detail["SecretStatus"], 0);
  EXPECT_TRUE(detail["Vendor"] == 1 || detail["Vendor"] == 2 || detail["Vendor"] == 3);
  EXPECT_EQ(detail["PurchaseTime"], "2026-11-18 19:06:40");  // 11:06:40Z in UTC+8

  for (const std::string action : {"LockSecretNo", "UnlockSecretNo", "ReleaseSecretNo"}) {
    const json answer = body(call(action, {{"PoolKey", kPool}, {"SecretNo", number}}));
    EXPECT_EQ(answer["Code"], "OK") << action;
    EXPECT_EQ(answer.size(), 3u) << "RequestId, Code, Message only: " << answer.dump();
  }
}

TEST_F(SandboxTest, BusinessErrorsAreHttp200WithTheirCode) {
  buy("拉萨");  // the only one
  const Reply out = call("BuySecretNo", {{"PoolKey", kPool}, {"SpecId", "1"}, {"City", "拉萨"}});
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(body(out)["Code"], "isv.NO_AVAILABLE_NUMBER");
  EXPECT_FALSE(out.state_changed);
  EXPECT_EQ(
      body(call("BuySecretNo", {{"PoolKey", "FC0"}, {"SpecId", "1"}, {"City", "杭州"}}))["Code"],
      "isv.POOLKEY_NOT_EXISTS");
  EXPECT_EQ(
      body(call("ReleaseSecretNo", {{"PoolKey", kPool}, {"SecretNo", "17000000000"}}))["Code"],
      "isv.NO_NOT_EXIST");
  EXPECT_EQ(body(call("QuerySecretNoDetail", {{"PoolKey", kPool}, {"SecretNo", "12ab"}}))["Code"],
            "isv.MOBILE_NUMBER_ILLEGAL");
  // A prefix over 18 digits: no gateway check is documented, so the action refuses it.
  for (const char* action : {"QuerySecretNoRemain", "BuySecretNo"}) {
    const Reply long_prefix = call(action, {{"PoolKey", kPool},
                                            {"SpecId", "1"},
                                            {"City", "杭州"},
                                            {"SecretNo", "1700000000000000000"}});
    EXPECT_EQ(long_prefix.status, 200) << action;
    EXPECT_EQ(body(long_prefix)["Code"], "isv.INVALID_PARAMETERS") << action;
    EXPECT_FALSE(long_prefix.state_changed) << action;
  }
}

TEST_F(SandboxTest, GatewayErrorsCarryStatusAndTheGatewayShape) {
  const Reply missing = call("BuySecretNo", {{"PoolKey", kPool}, {"City", "杭州"}});
  EXPECT_EQ(missing.status, 400);
  const json m = body(missing);
  EXPECT_EQ(m["Code"], "MissingParameter");
  EXPECT_NE(m["Message"].get<std::string>().find("SpecId"), std::string::npos);
  for (const char* field : {"RequestId", "HostId", "Code", "Message", "Recommend"}) {
    EXPECT_TRUE(m.contains(field)) << field;
  }
  const Reply typed = call("QuerySecretNoRemain", {{"SpecId", "one"}, {"City", "杭州"}});
  EXPECT_EQ(typed.status, 400);
  EXPECT_EQ(body(typed)["Code"], "InvalidParameter");
  const Reply unknown = call("DescribeEverything", {});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(body(unknown)["Code"], "InvalidAction.NotFound");
  const Reply bad_sig = call("QuerySecretNoRemain", {{"SpecId", "1"}, {"City", "杭州"}},
                             SignatureStyle::kV1, {"LTAI5tTestKey", "wrong", ""});
  EXPECT_EQ(bad_sig.status, 400);
  EXPECT_NE(body(bad_sig)["Message"].get<std::string>().find("server string to sign is:POST&%2F&"),
            std::string::npos);
}

TEST_F(SandboxTest, PurchasesChangeStateAndStock) {
  const auto amount = [&] {
    return body(call("QuerySecretNoRemain",
                     {{"SpecId", "1"}, {"City", "杭州"}}))["SecretRemainDTO"]["Amount"]
        .get<int>();
  };
  const int before = amount();
  const std::uint64_t version = sandbox.version();
  const Reply bought = call("BuySecretNo", {{"PoolKey", kPool}, {"SpecId", "1"}, {"City", "杭州"}});
  EXPECT_TRUE(bought.state_changed);
  EXPECT_GT(sandbox.version(), version);
  EXPECT_EQ(amount(), before - 1);
}

TEST_F(SandboxTest, ReleasingABoundNumberFails) {
  const std::string number = buy();
  ASSERT_EQ(body(sandbox.bind({{"PoolKey", kPool}, {"SecretNo", number}}))["Code"], "OK");
  const json detail = body(call("QuerySecretNoDetail", {{"PoolKey", kPool}, {"SecretNo", number}}));
  EXPECT_EQ(detail["SecretNoInfoDTO"]["SecretStatus"], 1);
  EXPECT_EQ(body(call("ReleaseSecretNo", {{"PoolKey", kPool}, {"SecretNo", number}}))["Code"],
            "isv.ILLEGAL_ARGUMENT");
}

TEST_F(SandboxTest, AssumeRoleMintsWorkingCredentials) {
  const Reply reply = sandbox.assume_role("120", kNow);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json c = body(reply)["Credentials"];
  EXPECT_EQ(c["Expiration"], format_iso8601_utc(kNow + 120));
  EXPECT_TRUE(body(reply)["AssumedRoleUser"].contains("Arn"));
  EXPECT_EQ(body(reply)["SandboxPoolKey"], kPool);  // the demo's pool, beside the credentials
  const AccessKey temp{c["AccessKeyId"], c["AccessKeySecret"], c["SecurityToken"]};
  EXPECT_EQ(body(call("QuerySecretNoRemain", {{"SpecId", "1"}, {"City", "杭州"}},
                      SignatureStyle::kV3, temp))["Code"],
            "OK");
  EXPECT_EQ(sandbox.assume_role("abc", kNow).status, 400);
  EXPECT_EQ(sandbox.assume_role("0", kNow).status, 400);
}

TEST_F(SandboxTest, StateDumpHasNoSecrets) {
  const std::string number = buy();
  sandbox.assume_role(std::nullopt, kNow);
  const Reply dump = sandbox.state_dump(kNow);
  EXPECT_EQ(dump.body.find("test-secret"), std::string::npos);
  EXPECT_EQ(dump.body.find("CAIS"), std::string::npos);
  const json state = body(dump);
  EXPECT_EQ(state["accounts"][0]["accessKeyId"], "LTAI5tTestKey");
  EXPECT_EQ(state["numbers"][0]["secretNo"], number);
  EXPECT_EQ(state["numbers"][0]["status"], "unbound");
  EXPECT_FALSE(state["stock"].empty());
}

TEST_F(SandboxTest, InjectedFaults) {
  ASSERT_EQ(sandbox.set_faults(R"({"throttleRate": 1})").status, 200);
  const Reply throttled = call("QuerySecretNoRemain", {{"SpecId", "1"}, {"City", "杭州"}});
  EXPECT_EQ(body(throttled)["Code"], "Throttling.User");
  ASSERT_EQ(throttled.headers.size(), 1u);
  EXPECT_EQ(throttled.headers[0].first, "x-acs-retry-after");
  EXPECT_EQ(throttled.headers[0].second, "1000") << "milliseconds, as the live API sends it";

  ASSERT_EQ(sandbox.set_faults(R"({"throttleRate": 0, "errorRate": 1})").status, 200);
  const Reply failed = call("BuySecretNo", {{"PoolKey", kPool}, {"SpecId", "1"}, {"City", "杭州"}});
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(body(failed)["Code"], "InternalError");
  EXPECT_FALSE(failed.state_changed);  // refused before the action ran

  ASSERT_EQ(sandbox.set_faults(R"({"errorRate": 0, "dropAfterCommit": 1, "latencyMs": 5})").status,
            200);
  EXPECT_EQ(sandbox.latency_ms(), 5);
  const Reply dropped =
      call("BuySecretNo", {{"PoolKey", kPool}, {"SpecId", "1"}, {"City", "杭州"}});
  EXPECT_TRUE(dropped.drop_connection);
  EXPECT_TRUE(dropped.state_changed);  // the purchase happened
  const std::string number = body(dropped)["SecretBuyInfoDTO"]["SecretNo"];
  EXPECT_EQ(body(call("QuerySecretNoDetail", {{"PoolKey", kPool}, {"SecretNo", number}}))["Code"],
            "OK");
  EXPECT_FALSE(call("QuerySecretNoRemain", {{"SpecId", "1"}, {"City", "杭州"}}).drop_connection);

  // Booleans where a share is meant: true is always, false never.
  ASSERT_EQ(sandbox.set_faults(R"({"dropAfterCommit": false, "throttleRate": true})").status, 200);
  EXPECT_EQ(body(call("QuerySecretNoRemain", {{"SpecId", "1"}, {"City", "杭州"}}))["Code"],
            "Throttling.User");
  ASSERT_EQ(sandbox.set_faults(R"({"throttleRate": false})").status, 200);
  EXPECT_FALSE(
      call("BuySecretNo", {{"PoolKey", kPool}, {"SpecId", "1"}, {"City", "杭州"}}).drop_connection);
  EXPECT_EQ(sandbox.set_faults(R"({"errorRate": 2})").status, 400);
  EXPECT_EQ(sandbox.set_faults(R"({"bogus": 1})").status, 400);
  EXPECT_EQ(sandbox.set_faults("not json").status, 400);
}

TEST_F(SandboxTest, FaultRatesAcceptBooleans) {
  const Reply on = sandbox.set_faults(R"({"dropAfterCommit": true, "throttleRate": false})");
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(body(on)["dropAfterCommit"], 1.0);
  EXPECT_EQ(body(on)["throttleRate"], 0.0);
  EXPECT_TRUE(
      call("BuySecretNo", {{"PoolKey", kPool}, {"SpecId", "1"}, {"City", "杭州"}}).drop_connection);
  ASSERT_EQ(sandbox.set_faults(R"({"dropAfterCommit": false})").status, 200);
  EXPECT_FALSE(
      call("BuySecretNo", {{"PoolKey", kPool}, {"SpecId", "1"}, {"City", "杭州"}}).drop_connection);
  EXPECT_EQ(sandbox.set_faults(R"({"latencyMs": true})").status, 400) << "a duration, not a rate";
}

// Scripted answers: the next N calls of an action get the chosen code, status and retry-after.
TEST_F(SandboxTest, ScriptedAnswersAnswerTheNextCallsOfAnAction) {
  const Reply set = sandbox.set_faults(
      R"({"action":"BuySecretNo","code":"Throttling.User","status":400,"count":2,"retryAfterMs":1500})");
  ASSERT_EQ(set.status, 200) << set.body;
  ASSERT_EQ(body(set)["answers"].size(), 1u);
  EXPECT_EQ(body(set)["answers"][0]["count"], 2);

  // Other actions are not touched.
  EXPECT_EQ(body(call("QuerySecretNoRemain", {{"SpecId", "1"}, {"City", "杭州"}}))["Code"], "OK");
  for (int i = 0; i < 2; ++i) {
    const Reply throttled =
        call("BuySecretNo", {{"PoolKey", kPool}, {"SpecId", "1"}, {"City", "杭州"}});
    EXPECT_EQ(throttled.status, 400);
    const json b = body(throttled);
    EXPECT_EQ(b["Code"], "Throttling.User");
    EXPECT_EQ(b["Message"], "Request was denied due to user flow control.");
    EXPECT_TRUE(b.contains("HostId") && b.contains("Recommend")) << "the gateway's shape";
    ASSERT_EQ(throttled.headers.size(), 1u);
    EXPECT_EQ(throttled.headers[0],
              (std::pair<std::string, std::string>{"x-acs-retry-after", "1500"}));
    EXPECT_FALSE(throttled.state_changed) << "nothing ran";
  }
  buy();  // the third call runs
  EXPECT_TRUE(body(sandbox.set_faults("{}"))["answers"].empty()) << "used up";

  // HTTP 200 gets the business shape; a code with no known message gets a neutral one.
  ASSERT_EQ(
      sandbox.set_faults(R"({"code":"isv.FORBIDDEN_ACTION","status":200,"action":"BuySecretNo"})")
          .status,
      200);
  const Reply forbidden =
      call("BuySecretNo", {{"PoolKey", kPool}, {"SpecId", "1"}, {"City", "杭州"}});
  EXPECT_EQ(forbidden.status, 200);
  EXPECT_FALSE(body(forbidden).contains("HostId"));
  EXPECT_EQ(body(forbidden)["Code"], "isv.FORBIDDEN_ACTION");
  EXPECT_TRUE(forbidden.headers.empty());

  // Any action when none is named; "answers" replaces the queue, [] clears it.
  ASSERT_EQ(sandbox
                .set_faults(R"({"answers":[{"code":"isp.RAM_PERMISSION_DENY","count":5},)"
                            R"({"code":"FlowLimited","action":"LockSecretNo"}]})")
                .status,
            200);
  const Reply denied = call("QuerySecretNoRemain", {{"SpecId", "1"}, {"City", "杭州"}});
  EXPECT_EQ(denied.status, 400);
  EXPECT_EQ(body(denied)["Code"], "isp.RAM_PERMISSION_DENY");
  EXPECT_EQ(body(denied)["Message"], "RAM权限不足");
  EXPECT_EQ(body(sandbox.set_faults(R"({"answers":[]})"))["answers"].size(), 0u);
  EXPECT_EQ(body(call("QuerySecretNoRemain", {{"SpecId", "1"}, {"City", "杭州"}}))["Code"], "OK");

  // Bad input is refused with what to do, and changes nothing.
  for (const char* bad :
       {R"({"code":"OK"})", R"({"code":"has space"})", R"({"code":""})",
        R"({"code":"X","status":99})", R"({"code":"X","count":0})",
        R"({"code":"X","retryAfterMs":-1})", R"({"code":"X","action":"Nope"})", R"({"status":400})",
        R"({"answers":{}})", R"({"answers":[1]})", R"({"code":"X","colour":"red"})"}) {
    const Reply refused = sandbox.set_faults(bad);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_FALSE(body(refused)["Message"].get<std::string>().empty()) << bad;
  }
  EXPECT_TRUE(body(sandbox.set_faults("{}"))["answers"].empty());
}

// A scripted answer to a V1 call without Format=JSON comes as XML, like every gateway answer.
TEST_F(SandboxTest, ScriptedAnswersFollowTheAnswerFormat) {
  ASSERT_EQ(sandbox.set_faults(R"({"code":"Throttling.User","retryAfterMs":80})").status, 200);
  const Reply xml = sandbox.handle_api(v1_without_format("test-secret", "s1"), kNow);
  EXPECT_TRUE(xml.xml);
  EXPECT_NE(xml.body.find("<Code>Throttling.User</Code>"), std::string::npos) << xml.body;
}

TEST(SandboxConcurrency, ParallelPurchasesNeverSellANumberTwice) {
  auto state = std::make_unique<SandboxState>(5, std::vector<StockOverride>{{2, "厦门", 50}});
  state->keys.add_account("LTAI5tTestKey", "test-secret", state->rng);
  state->inventory.add_pool(kPool);
  Sandbox sandbox(std::move(state), AuthPolicy{}, FaultConfig{});
  constexpr int kThreads = 8;
  constexpr int kEach = 10;
  std::vector<std::vector<std::string>> bought(kThreads);
  std::atomic<int> sold_out{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        RequestSpec spec;
        spec.host = kHost;
        spec.action = "BuySecretNo";
        spec.params = {{"PoolKey", kPool}, {"SpecId", "2"}, {"City", "厦门"}};
        const SigningContext ctx{format_iso8601_utc(kNow),
                                 "t" + std::to_string(t) + "-" + std::to_string(i)};
        const Reply reply = sandbox.handle_api(
            testing::to_incoming(sign(spec, {"LTAI5tTestKey", "test-secret", ""}, ctx), kHost),
            kNow);
        const json answer = json::parse(reply.body);
        if (answer["Code"] == "OK") {
          bought[t].push_back(answer["SecretBuyInfoDTO"]["SecretNo"]);
        } else if (answer["Code"] == "isv.NO_AVAILABLE_NUMBER") {
          ++sold_out;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> distinct;
  std::size_t total = 0;
  for (const auto& list : bought) {
    total += list.size();
    distinct.insert(list.begin(), list.end());
  }
  EXPECT_EQ(total, 50u);
  EXPECT_EQ(distinct.size(), 50u);
  EXPECT_EQ(sold_out.load(), kThreads * kEach - 50);
}

// V1 signed without Format: the gateway's default answer format is XML.
IncomingRequest v1_without_format(const std::string& secret, const std::string& nonce) {
  ParamList params = {{"Action", "QuerySecretNoRemain"},
                      {"Version", "2017-05-25"},
                      {"AccessKeyId", "LTAI5tTestKey"},
                      {"SignatureMethod", "HMAC-SHA1"},
                      {"SignatureVersion", "1.0"},
                      {"SignatureNonce", nonce},
                      {"Timestamp", format_iso8601_utc(kNow)},
                      {"SpecId", "1"},
                      {"City", "杭州"}};
  const std::string to_sign = v1::string_to_sign(HttpMethod::kGet, v1::canonical_query(params));
  params.push_back({"Signature", v1::signature(secret, to_sign)});
  IncomingRequest request;
  request.method = "GET";
  request.host = kHost;
  request.query = params;
  return request;
}

TEST_F(SandboxTest, V1WithoutFormatAnswersXml) {
  const Reply ok = sandbox.handle_api(v1_without_format("test-secret", "x1"), kNow);
  EXPECT_TRUE(ok.xml);
  EXPECT_EQ(ok.body.rfind("<?xml version='1.0' encoding='UTF-8'?><QuerySecretNoRemainResponse>"
                          "<RequestId>",
                          0),
            0u)
      << ok.body;
  EXPECT_NE(ok.body.find("<Code>OK</Code>"), std::string::npos);
  EXPECT_NE(ok.body.find("<SecretRemainDTO><Amount>"), std::string::npos);
  EXPECT_NE(ok.body.find("<City>杭州</City>"), std::string::npos);

  const Reply refused = sandbox.handle_api(v1_without_format("wrong", "x2"), kNow);
  EXPECT_TRUE(refused.xml);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("<Error><RequestId>"), std::string::npos);
  EXPECT_NE(refused.body.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos);
  EXPECT_NE(refused.body.find("%26"), std::string::npos);  // & inside text stays escaped
  EXPECT_EQ(refused.body.find("&%2F&"), std::string::npos);
}

}  // namespace
}  // namespace dypls::sandbox
