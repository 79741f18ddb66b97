// The purchase run and its safety rules: one purchase in flight, double clicks ignored, no
// automatic retry of BuySecretNo, unknown outcomes block until reconciled, throttling is
// waited out, Stop ends the run after the purchase in flight.
#include <set>

#include "fakes.h"

namespace dypls::console::testing {
namespace {

class PurchaseTest : public ConsoleTest {
 protected:
  const PurchaseRun& run() const { return controller.state().run; }
  void buy(int quantity) {
    controller.state().buy.quantity = quantity;
    const int before = transport.count("BuySecretNo");
    ASSERT_TRUE(controller.submit_purchase());
    ASSERT_EQ(run().phase, RunPhase::kConfirming);
    ASSERT_EQ(transport.count("BuySecretNo"), before) << "nothing is sent before confirmation";
    ASSERT_TRUE(controller.confirm_purchase());
  }
};

TEST_F(PurchaseTest, BuysNOneAfterAnother) {
  buy(3);
  for (int i = 1; i <= 3; ++i) {
    ASSERT_EQ(transport.pending.size(), 1u) << "one purchase in flight at a time";
    EXPECT_EQ(transport.count("BuySecretNo"), i);
    transport.answer(200, buy_ok("1700000000" + std::to_string(i)));
  }
  EXPECT_EQ(run().phase, RunPhase::kDone);
  EXPECT_EQ(run().bought, 3);
  EXPECT_EQ(controller.state().numbers.records.size(), 3u);
  EXPECT_EQ(controller.state().numbers.records[0].city, "杭州");
  // Each purchase was signed afresh.
  EXPECT_NE(FakeTransport::form_value(transport.sent[1].body, "SignatureNonce"),
            FakeTransport::form_value(transport.sent[2].body, "SignatureNonce"));
}

TEST_F(PurchaseTest, DoubleClicksAreIgnored) {
  buy(1);
  EXPECT_FALSE(controller.confirm_purchase());
  EXPECT_FALSE(controller.submit_purchase());
  EXPECT_FALSE(controller.confirm_purchase());
  EXPECT_EQ(transport.count("BuySecretNo"), 1);
  transport.answer(200, buy_ok("17000000001"));
  EXPECT_FALSE(controller.confirm_purchase()) << "a finished run cannot be confirmed again";
  EXPECT_EQ(transport.count("BuySecretNo"), 1);
}

TEST_F(PurchaseTest, ValidationRefusesBeforeAnythingIsSent) {
  controller.state().buy.pool_key = "";
  controller.state().buy.quantity = 0;
  EXPECT_FALSE(controller.submit_purchase());
  EXPECT_EQ(run().phase, RunPhase::kIdle);
  std::vector<std::string> fields;
  for (const FieldError& e : run().form_errors) fields.push_back(e.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "PoolKey"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "Quantity"), fields.end());
  EXPECT_EQ(transport.count("BuySecretNo"), 0);
}

TEST_F(PurchaseTest, ABusinessErrorStopsTheRunWithoutRetry) {
  buy(3);
  transport.answer(200, buy_ok("17000000001"));
  transport.answer(200, R"({"Code":"isp.SYSTEM_ERROR","Message":"system error","RequestId":"R"})");
  EXPECT_EQ(run().phase, RunPhase::kFailed);
  EXPECT_TRUE(transport.pending.empty());
  clock.now += 60000;
  controller.tick();
  EXPECT_EQ(transport.count("BuySecretNo"), 2) << "BuySecretNo is never retried by itself";
  ASSERT_EQ(run().attempts.size(), 2u);
  EXPECT_EQ(run().attempts[1].result, AttemptResult::kFailed);
  EXPECT_EQ(run().attempts[1].code, "isp.SYSTEM_ERROR");
}

TEST_F(PurchaseTest, NoAnswerMeansOutcomeUnknownAndBlocksTheNextPurchase) {
  read_stock("杭州", 5);
  buy(2);
  transport.answer(0, "");
  EXPECT_EQ(run().phase, RunPhase::kOutcomeUnknown);
  ASSERT_TRUE(controller.state().unknown.has_value());
  EXPECT_EQ(controller.state().unknown->stock_before, 5);
  EXPECT_TRUE(transport.pending.empty()) << "no retry, no next purchase";

  EXPECT_FALSE(controller.submit_purchase());
  EXPECT_EQ(run().phase, RunPhase::kOutcomeUnknown);

  // Reconcile: a stock query for the city, never a purchase.
  controller.reconcile_unknown();
  ASSERT_EQ(transport.pending.size(), 1u);
  EXPECT_EQ(FakeTransport::action_of(transport.pending.front().request), "QuerySecretNoRemain");
  EXPECT_EQ(FakeTransport::form_value(transport.pending.front().request.body, "City"), "杭州");
  transport.answer(200, ok_body(R"(,"SecretRemainDTO":{"Amount":4,"City":"杭州"})"));
  EXPECT_TRUE(controller.state().unknown->reconciled);
  EXPECT_EQ(controller.state().unknown->stock_after, 4);
  EXPECT_FALSE(controller.submit_purchase()) << "still blocked until the person decides";

  controller.resolve_unknown(true, "17000000009");
  EXPECT_FALSE(controller.state().unknown.has_value());
  EXPECT_NE(controller.find_number("17000000009"), nullptr);
  EXPECT_TRUE(controller.submit_purchase());
  EXPECT_EQ(transport.count("BuySecretNo"), 1);
}

// Regression (issue 8): the Buy panel handed resolve_unknown() a reference into
// state.unknown, which the controller cleared before reading it: a garbage number was recorded.
// The number is typed with spaces around it (longer than the short-string buffer), so reading
// it after the reset is a heap-use-after-free under ASan and garbage without it.
TEST_F(PurchaseTest, ResolvingWithTheTypedNumberRecordsExactlyThatNumber) {
  buy(1);
  transport.answer(0, "");
  ASSERT_TRUE(controller.state().unknown.has_value());
  controller.state().unknown->lookup_number = "      17000000042      ";
  controller.reconcile_unknown();
  while (!transport.pending.empty()) {
    const std::string action = FakeTransport::action_of(transport.pending.front().request);
    transport.answer(200, action == "QuerySecretNoRemain"
                              ? ok_body(R"(,"SecretRemainDTO":{"Amount":4,"City":"杭州"})")
                              : ok_body(R"(,"SecretNoInfoDTO":{"SecretNo":"17000000042"})"));
  }
  // Exactly what the panel does: the typed text, as it sits in the state.
  controller.resolve_unknown(true, controller.state().unknown->lookup_number);
  ASSERT_EQ(controller.state().numbers.records.size(), 1u);
  EXPECT_EQ(controller.state().numbers.records[0].secret_no, "17000000042");
  EXPECT_EQ(controller.state().numbers.records[0].origin, NumberOrigin::kBought);
}

// The credentials panel hands its own paste buffer, which pasting clears: what is remembered in
// the tab must still be the text pasted, not the emptied buffer.
TEST_F(PurchaseTest, PastingFromThePasteBufferRemembersThePastedText) {
  controller.set_remember_in_tab(true);
  CredentialsState& creds = controller.state().credentials;
  creds.paste_buffer = assume_role(clock.now, 3600);
  ASSERT_TRUE(controller.paste_credentials(creds.paste_buffer));
  ASSERT_TRUE(storage.get(kRememberKey).has_value());
  EXPECT_EQ(*storage.get(kRememberKey), assume_role(clock.now, 3600));
}

TEST_F(PurchaseTest, RelayTimeoutAndDroppedConnectionAreUnknownToo) {
  for (const char* code : {"Relay.UpstreamTimeout", "Relay.UpstreamConnectionLost"}) {
    buy(1);
    const int status = std::string(code) == "Relay.UpstreamTimeout" ? 504 : 502;
    transport.answer(status, std::string(R"({"RequestId":"R","HostId":"dypls-relay","Code":")") +
                                 code + R"(","Message":"m","Recommend":""})");
    EXPECT_EQ(run().phase, RunPhase::kOutcomeUnknown) << code;
    controller.reconcile_unknown();
    transport.answer(200, stock_ok(1, R"({"City":"杭州","Amount":1})"));
    controller.resolve_unknown(false, "");
    EXPECT_EQ(run().phase, RunPhase::kIdle);
  }
}

TEST_F(PurchaseTest, AServerErrorFromTheApiIsUnknownToo) {
  // A 500 after the request arrived may come after the number was committed.
  buy(1);
  transport.answer(
      500,
      R"({"RequestId":"R","HostId":"dyplsapi.aliyuncs.com","Code":"InternalError","Message":"m","Recommend":""})");
  EXPECT_EQ(run().phase, RunPhase::kOutcomeUnknown);
  EXPECT_FALSE(controller.submit_purchase()) << "nothing more is bought until reconciled";
  EXPECT_EQ(transport.count("BuySecretNo"), 1);
}

TEST_F(PurchaseTest, UnreachableUpstreamIsAPlainFailure) {
  buy(1);
  transport.answer(
      502,
      R"({"RequestId":"R","HostId":"dypls-relay","Code":"Relay.UpstreamUnreachable","Message":"m","Recommend":""})");
  EXPECT_EQ(run().phase, RunPhase::kFailed) << "not delivered: nothing to reconcile";
  EXPECT_FALSE(controller.state().unknown.has_value());
}

// What an attempt was signed with: V1 form fields or V3 headers.
std::string signed_value(const HttpRequest& request, const char* v1_field, const char* v3_header) {
  for (const auto& [name, value] : request.headers) {
    if (name == v3_header) return value;
  }
  return FakeTransport::form_value(request.body, v1_field);
}
std::string nonce_of(const HttpRequest& request) {
  return signed_value(request, "SignatureNonce", "x-acs-signature-nonce");
}
std::string time_of(const HttpRequest& request) {
  return signed_value(request, "Timestamp", "x-acs-date");
}

TEST_F(PurchaseTest, ThrottlingIsWaitedOut) {
  for (const SignatureStyle style : {SignatureStyle::kV1, SignatureStyle::kV3}) {
    SCOPED_TRACE(style == SignatureStyle::kV1 ? "V1" : "V3");
    controller.state().settings.style = style;
    const int before = transport.count("BuySecretNo");
    buy(2);
    transport.answer(200, buy_ok("17000000001"));
    transport.answer(400, R"({"RequestId":"R","Code":"Throttling.User","Message":"slow down"})",
                     {{"x-acs-retry-after", "3000"}});
    EXPECT_EQ(run().phase, RunPhase::kWaiting);
    EXPECT_EQ(transport.count("BuySecretNo"), before + 2);
    const HttpRequest throttled = transport.sent.back();
    clock.now += 2900;
    controller.tick();
    EXPECT_EQ(transport.count("BuySecretNo"), before + 2) << "not before Retry-After";
    clock.now += 200;
    controller.tick();
    ASSERT_EQ(transport.count("BuySecretNo"), before + 3);
    const HttpRequest& retry = transport.sent.back();
    // A retry is a new request: the same nonce would be refused as a replay (or, worse,
    // taken for the throttled one), and 3 s later the time it was signed at has moved.
    ASSERT_FALSE(nonce_of(retry).empty());
    EXPECT_NE(nonce_of(retry), nonce_of(throttled));
    ASSERT_FALSE(time_of(retry).empty());
    EXPECT_NE(time_of(retry), time_of(throttled));
    transport.answer(200, buy_ok("17000000002"));
    EXPECT_EQ(run().phase, RunPhase::kDone);
    EXPECT_EQ(run().bought, 2);
    EXPECT_EQ(run().attempts[1].result, AttemptResult::kThrottled);
    clock.now += 1000;
  }
  std::set<std::string> nonces_seen;
  for (const HttpRequest& request : transport.sent) {
    if (FakeTransport::action_of(request) != "BuySecretNo") continue;
    EXPECT_TRUE(nonces_seen.insert(nonce_of(request)).second) << "nonce reused: " << request.body;
  }
}

TEST_F(PurchaseTest, RetryAfterFromTheRelayIsHonoured) {
  buy(1);
  transport.answer(
      429,
      R"({"RequestId":"R","HostId":"dypls-relay","Code":"Relay.RateLimited","Message":"m","Recommend":""})",
      {{"retry-after", "5"}});
  EXPECT_EQ(run().phase, RunPhase::kWaiting);
  EXPECT_EQ(run().wait_until_ms, clock.now + 5000);
}

// x-acs-retry-after is milliseconds (the vendor's SDK runtime): a live 2000 is two seconds, not
// the 33 minutes it was once read as.
TEST_F(PurchaseTest, AcsRetryAfterIsMilliseconds) {
  buy(1);
  transport.answer(400, R"({"RequestId":"R","Code":"Throttling.User","Message":"m"})",
                   {{"x-acs-retry-after", "2000"}});
  ASSERT_EQ(run().phase, RunPhase::kWaiting);
  EXPECT_EQ(run().wait_ms, 2000);
  EXPECT_EQ(run().wait_until_ms, clock.now + 2000);
  clock.now += 2000;
  controller.tick();
  EXPECT_EQ(transport.count("BuySecretNo"), 2);
}

TEST_F(PurchaseTest, AnAbsurdWaitIsBoundedForAPersonWatching) {
  buy(1);
  transport.answer(400, R"({"RequestId":"R","Code":"FlowLimited","Message":"m"})",
                   {{"x-acs-retry-after", "7200000"}});
  ASSERT_EQ(run().phase, RunPhase::kWaiting);
  EXPECT_EQ(run().wait_ms, kMaxThrottleWaitMs);
  controller.stop_run();
  EXPECT_EQ(run().phase, RunPhase::kStopped) << "Stop ends the wait at once";
}

// A business-style code with HTTP 400 is a refusal: the run stops, and nothing is unknown.
TEST_F(PurchaseTest, RamDenialWithHttp400StopsTheRunAsNotBought) {
  buy(3);
  transport.answer(400, R"({"RequestId":"R","HostId":"h","Code":"isp.RAM_PERMISSION_DENY",)"
                        R"("Message":"RAM权限不足","Recommend":""})");
  EXPECT_EQ(run().phase, RunPhase::kFailed);
  EXPECT_FALSE(controller.state().unknown.has_value()) << "a refusal is not an unknown outcome";
  EXPECT_FALSE(controller.purchase_blocked());
  ASSERT_EQ(run().attempts.size(), 1u);
  EXPECT_EQ(run().attempts[0].result, AttemptResult::kFailed);
  EXPECT_EQ(run().attempts[0].code, "isp.RAM_PERMISSION_DENY");
  EXPECT_NE(controller.state().status.text.en.find("AliyunDyplsFullAccess"), std::string::npos);
  EXPECT_TRUE(transport.pending.empty()) << "no retry";
  EXPECT_EQ(transport.count("BuySecretNo"), 1);
}

TEST_F(PurchaseTest, BuyingRefusedAsAnActionSendsThePersonToAlibabasConsole) {
  for (const auto& [status, code] : {std::pair<int, std::string>{404, "InvalidAction.NotFound"},
                                     {403, "Forbidden.Action"},
                                     {200, "isv.FORBIDDEN_ACTION"}}) {
    SCOPED_TRACE(code);
    buy(2);
    transport.answer(status, R"({"RequestId":"R","Code":")" + code + R"(","Message":"m"})");
    EXPECT_EQ(run().phase, RunPhase::kFailed);
    EXPECT_TRUE(run().buy_in_console);
    EXPECT_FALSE(controller.state().unknown.has_value());
    EXPECT_NE(run().summary.en.find("Buy them in the Alibaba Cloud console"), std::string::npos);
    EXPECT_NE(run().summary.zh.find("阿里云控制台"), std::string::npos);
    EXPECT_TRUE(transport.pending.empty());
  }
  // Every other panel keeps working: stock and number look-ups are still sent.
  controller.query_stock();
  EXPECT_EQ(transport.count("QuerySecretNoRemain"), 1);
  transport.answer(200, stock_ok(5, R"({"City":"杭州","Amount":5})"));
  controller.lookup_number("FC100000000000001", "17000000001");
  EXPECT_EQ(transport.count("QuerySecretNoDetail"), 1);
}

TEST_F(PurchaseTest, StopEndsTheRunAfterThePurchaseInFlight) {
  buy(3);
  transport.answer(200, buy_ok("17000000001"));
  controller.stop_run();
  EXPECT_TRUE(run().stop_requested);
  EXPECT_EQ(run().phase, RunPhase::kSending);
  transport.answer(200, buy_ok("17000000002"));
  EXPECT_EQ(run().phase, RunPhase::kStopped);
  EXPECT_EQ(run().bought, 2);
  EXPECT_EQ(transport.count("BuySecretNo"), 2);
  EXPECT_TRUE(controller.submit_purchase()) << "a stopped run frees the form";
}

TEST_F(PurchaseTest, StopWhileWaitingEndsAtOnce) {
  buy(2);
  transport.answer(400, R"({"RequestId":"R","Code":"Throttling.User","Message":"m"})");
  ASSERT_EQ(run().phase, RunPhase::kWaiting);
  controller.stop_run();
  EXPECT_EQ(run().phase, RunPhase::kStopped);
  clock.now += 60000;
  controller.tick();
  EXPECT_EQ(transport.count("BuySecretNo"), 1);
}

TEST_F(PurchaseTest, AnUnreadableAnswerToAPurchaseIsUnknown) {
  buy(1);
  transport.answer(200, "<html>gateway</html>");
  EXPECT_EQ(run().phase, RunPhase::kOutcomeUnknown);
}

}  // namespace
}  // namespace dypls::console::testing
