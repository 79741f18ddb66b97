// The console's own request builders and answer parsers (src/core) against the sandbox: what the
// sandbox answers is what the console can read, including the errors it must explain.
#include <gtest/gtest.h>

#include "core/actions.h"
#include "core/api_error.h"
#include "core/time_format.h"
#include "sandbox/sandbox.h"
#include "signed_request.h"

namespace dypls::sandbox {
namespace {

constexpr std::int64_t kNow = 1795000000;
const std::string kHost = "127.0.0.1:8090";
const std::string kPool = "FC100000000000001";

class CoreContractTest : public ::testing::Test {
 protected:
  CoreContractTest() : sandbox(make_state(), AuthPolicy{}, FaultConfig{}) {}
  static std::unique_ptr<SandboxState> make_state() {
    auto state = std::make_unique<SandboxState>(3);
    state->keys.add_account("LTAI5tTestKey", "test-secret", state->rng);
    state->inventory.add_pool(kPool);
    return state;
  }
  Reply send(RequestSpec spec, SignatureStyle style, const std::string& secret = "test-secret") {
    spec.host = kHost;
    spec.style = style;
    const SigningContext ctx{format_iso8601_utc(kNow), "n" + std::to_string(++counter)};
    last = sign(spec, {"LTAI5tTestKey", secret, ""}, ctx);
    return sandbox.handle_api(testing::to_incoming(last, kHost), kNow);
  }
  static RetryAfterHeaders retry_after(const Reply& reply) {
    RetryAfterHeaders headers;
    for (const auto& [name, value] : reply.headers) {
      if (name == "x-acs-retry-after") headers.acs_ms = value;
      if (name == "retry-after") headers.standard_s = value;
    }
    return headers;
  }

  Sandbox sandbox;
  SignedRequest last;
  int counter = 0;
};

TEST_F(CoreContractTest, TheConsoleReadsEveryAnswer) {
  for (const auto style : {SignatureStyle::kV1, SignatureStyle::kV3}) {
    QueryRemainRequest query;
    query.spec_id = 1;
    query.city = "全国列表";
    ASSERT_TRUE(validate(query).empty());
    const Reply stock_reply = send(to_spec(query), style);
    const Answer<StockAnswer> stock = parse_stock_answer(stock_reply.status, stock_reply.body);
    ASSERT_TRUE(stock.ok()) << stock_reply.body;
    EXPECT_FALSE(stock.request_id.empty());
    EXPECT_GT(stock.value->per_city.size(), 10u);
    std::int64_t sum = 0;
    for (const CityStock& city : stock.value->per_city) sum += city.amount;
    EXPECT_EQ(sum, stock.value->amount);

    BuyRequest buy;
    buy.pool_key = kPool;
    buy.spec_id = 2;
    buy.city = "西安";
    ASSERT_TRUE(validate(buy).empty());
    const Reply buy_reply = send(to_spec(buy), style);
    const Answer<BuyAnswer> bought = parse_buy_answer(buy_reply.status, buy_reply.body);
    ASSERT_TRUE(bought.ok()) << buy_reply.body;

    NumberRequest detail{Action::kQuerySecretNoDetail, kPool, bought.value->secret_no};
    const Reply detail_reply = send(to_spec(detail), style);
    const Answer<NumberDetail> info = parse_detail_answer(detail_reply.status, detail_reply.body);
    ASSERT_TRUE(info.ok()) << detail_reply.body;
    EXPECT_EQ(info.value->city, "西安");
    EXPECT_EQ(info.value->province, "陕西");
    EXPECT_EQ(info.value->status, NumberStatus::kUnbound);

    for (const Action action :
         {Action::kLockSecretNo, Action::kUnlockSecretNo, Action::kReleaseSecretNo}) {
      const Reply reply =
          send(to_spec(NumberRequest{action, kPool, bought.value->secret_no}), style);
      EXPECT_TRUE(parse_empty_answer(reply.status, reply.body).ok()) << reply.body;
    }
  }
}

TEST_F(CoreContractTest, TheConsoleExplainsTheErrors) {
  QueryRemainRequest query;
  query.city = "杭州";
  const Reply wrong = send(to_spec(query), SignatureStyle::kV1, "wrong-secret");
  const ApiError mismatch = classify_error(wrong.status, wrong.body);
  EXPECT_EQ(mismatch.kind, ErrorKind::kGateway);
  EXPECT_EQ(mismatch.code, "SignatureDoesNotMatch");
  ASSERT_TRUE(mismatch.server_string_to_sign.has_value());
  EXPECT_TRUE(diagnose_signature_mismatch(*mismatch.server_string_to_sign, last.string_to_sign)
                  .same_string_to_sign);

  BuyRequest buy;
  buy.pool_key = "FC000";
  buy.spec_id = 1;
  buy.city = "杭州";
  const Reply no_pool = send(to_spec(buy), SignatureStyle::kV3);
  const Answer<BuyAnswer> refused = parse_buy_answer(no_pool.status, no_pool.body);
  ASSERT_TRUE(refused.error.has_value());
  EXPECT_EQ(refused.error->kind, ErrorKind::kBusiness);
  EXPECT_EQ(refused.error->code, "isv.POOLKEY_NOT_EXISTS");

  ASSERT_EQ(sandbox.set_faults(R"({"throttleRate": 1})").status, 200);
  const Reply throttled = send(to_spec(query), SignatureStyle::kV3);
  const ApiError slow_down =
      classify_error(throttled.status, throttled.body, retry_after(throttled));
  EXPECT_TRUE(slow_down.throttled);
  EXPECT_EQ(slow_down.retry_after_ms, 1000) << "the sandbox sends milliseconds, as the API does";
}

}  // namespace
}  // namespace dypls::sandbox
