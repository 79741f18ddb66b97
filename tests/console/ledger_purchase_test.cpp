// The durable ledger seen through the Controller: recorded before sent, unknown outcomes that
// survive a reload or a closed tab, one purchase at a time across tabs, numbers and history that
// come back, and forgetting only what is settled.
#include <memory>

#include "fakes.h"
#include "state_json.h"

namespace dypls::console::testing {
namespace {

class LedgerPurchaseTest : public ConsoleTest {
 protected:
  std::unique_ptr<Tab> open_tab() { return std::make_unique<Tab>(profile, locks, clock); }
  static bool buy(Controller& c) { return c.submit_purchase() && c.confirm_purchase(); }
  std::vector<LedgerAttempt> stored_attempts() {
    std::vector<LedgerAttempt> out;
    for (const auto& [key, value] : profile.values) {
      if (auto a = decode_attempt(value).value) out.push_back(*a);
    }
    return out;
  }
};

TEST_F(LedgerPurchaseTest, EveryAttemptIsRecordedBeforeItsRequestLeaves) {
  int checked = 0;
  transport.on_send = [&](const HttpRequest& request) {
    if (FakeTransport::action_of(request) != "BuySecretNo") return;
    const auto attempts = stored_attempts();
    ASSERT_EQ(attempts.size(), static_cast<std::size_t>(checked + 1));
    EXPECT_EQ(attempts.back().outcome, Outcome::kPending);
    EXPECT_EQ(attempts.back().city, "杭州");
    ++checked;
  };
  controller.state().buy.quantity = 2;
  ASSERT_TRUE(buy(controller));
  transport.answer(200, buy_ok("17000000001"));
  transport.answer(200, buy_ok("17000000002"));
  EXPECT_EQ(checked, 2);
  for (const LedgerAttempt& a : stored_attempts()) {
    EXPECT_EQ(a.outcome, Outcome::kBought);
    EXPECT_EQ(a.key_id.find("NUgYrLnoCtestKeyId01"), std::string::npos) << "the key id is masked";
  }
  // Nothing secret in durable storage.
  for (const auto& [key, value] : profile.values) {
    EXPECT_EQ(value.find(kSecret), std::string::npos);
    EXPECT_EQ(value.find(kToken), std::string::npos);
  }
}

TEST_F(LedgerPurchaseTest, WhenStorageRefusesTheRecordNothingIsSent) {
  profile.refuse_writes = true;
  controller.submit_purchase();
  EXPECT_FALSE(controller.confirm_purchase());
  EXPECT_EQ(transport.count("BuySecretNo"), 0);
  EXPECT_EQ(controller.state().run.phase, RunPhase::kFailed);
  EXPECT_NE(controller.state().status.text.en.find("was not sent"), std::string::npos);
  EXPECT_TRUE(locks.holders.empty()) << "the lock is given back";
}

TEST_F(LedgerPurchaseTest, AnUnknownOutcomeSurvivesAReload) {
  ASSERT_TRUE(buy(controller));
  transport.answer(0, "");
  ASSERT_TRUE(controller.state().unknown.has_value());
  auto reloaded = open_tab();
  Controller& again = reloaded->controller;
  ASSERT_TRUE(again.state().unknown.has_value()) << "the reload remembers the unknown outcome";
  EXPECT_FALSE(again.state().unknown->no_outcome_recorded);
  EXPECT_TRUE(again.purchase_blocked());
  EXPECT_FALSE(again.submit_purchase());
  EXPECT_FALSE(again.confirm_purchase());
  EXPECT_EQ(reloaded->transport.count("BuySecretNo"), 0);
  // Another pool is not blocked.
  again.state().buy.pool_key = "FC100000000000002";
  EXPECT_FALSE(again.purchase_blocked());
}

TEST_F(LedgerPurchaseTest, APageClosedMidPurchaseLeavesAnUnknownOutcome) {
  ASSERT_TRUE(buy(controller));
  ASSERT_EQ(transport.pending.size(), 1u);  // and the tab goes away before the answer
  locks.close_tab();                        // the browser frees a closed tab's locks
  auto reopened = open_tab();
  Controller& again = reopened->controller;
  EXPECT_FALSE(again.state().unknown.has_value()) << "its outcome may still be on its way";
  EXPECT_EQ(again.state().buying_elsewhere.size(), 1u);
  clock.now += kLedgerSettleMs;
  again.tick();
  ASSERT_TRUE(again.state().unknown.has_value()) << "the lock was let go without an outcome";
  EXPECT_TRUE(again.state().unknown->no_outcome_recorded);
  EXPECT_TRUE(again.state().buying_elsewhere.empty());
  EXPECT_TRUE(again.purchase_blocked());
  EXPECT_FALSE(again.submit_purchase());
  EXPECT_EQ(reopened->transport.count("BuySecretNo"), 0);
}

// Where the lock cannot be seen, only the attempt's age tells.
TEST_F(LedgerPurchaseTest, APageClosedMidPurchaseWithTheLockUnseenIsJudgedByAge) {
  locks.visible = false;
  ASSERT_TRUE(buy(controller));
  ASSERT_EQ(transport.pending.size(), 1u);  // and the tab goes away before the answer
  locks.close_tab();
  auto reopened = open_tab();
  Controller& again = reopened->controller;
  EXPECT_FALSE(again.state().unknown.has_value());
  EXPECT_EQ(again.state().buying_elsewhere.size(), 1u);
  // So soon after, it might be another tab's purchase in flight: the form may be confirmed, and
  // the run waits for the lock; holding it, this tab looks again, then refuses to send.
  ASSERT_TRUE(again.submit_purchase());
  ASSERT_TRUE(again.confirm_purchase());
  EXPECT_EQ(again.state().run.phase, RunPhase::kQueued);
  clock.now += kLedgerSettleMs;
  again.tick();
  EXPECT_EQ(again.state().run.phase, RunPhase::kFailed);
  EXPECT_EQ(reopened->transport.count("BuySecretNo"), 0);
  EXPECT_TRUE(locks.holders.empty());
  // Once it is surely not in flight, the form itself refuses.
  clock.now += kInFlightGraceMs;
  EXPECT_FALSE(again.submit_purchase());
  const std::string json = state_json(again.state(), again.credentials_pasted_at(), clock.now);
  EXPECT_NE(json.find(R"("outcome":"pending")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("unresolved":true)"), std::string::npos) << json;
}

TEST_F(LedgerPurchaseTest, TwoTabsNeverBuyAtOnce) {
  auto other = open_tab();
  Controller& b = other->controller;
  ASSERT_TRUE(buy(controller));
  ASSERT_TRUE(buy(b));
  EXPECT_EQ(b.state().run.phase, RunPhase::kQueued);
  EXPECT_NE(b.state().status.text.en.find("Another tab is buying"), std::string::npos);
  b.tick();
  EXPECT_EQ(other->transport.count("BuySecretNo"), 0) << "never two BuySecretNo in flight";
  EXPECT_FALSE(b.state().unknown.has_value())
      << "the other tab's purchase in flight is not unknown";
  transport.answer(200, buy_ok("17000000001"));
  EXPECT_EQ(controller.state().run.phase, RunPhase::kDone);
  b.tick();
  EXPECT_EQ(other->transport.count("BuySecretNo"), 1) << "its turn once the first is done";
  other->transport.answer(200, buy_ok("17000000002"));
  // Both tabs know both numbers.
  controller.tick();
  EXPECT_NE(controller.find_number("17000000002"), nullptr);
  EXPECT_NE(b.find_number("17000000001"), nullptr);
}

// An idle tab shows another tab's purchase in flight as such (its lock is held there), never as
// an unknown outcome; waiting its turn, the same.
// navigator.locks grants a free lock asynchronously: the run is queued for that moment, and a
// tab alone is never told that another tab is buying.
TEST_F(LedgerPurchaseTest, ALockTheBrowserGrantsAMomentLaterIsNoOtherTab) {
  lock.grants_later = true;
  ASSERT_TRUE(buy(controller));
  EXPECT_EQ(controller.state().run.phase, RunPhase::kQueued);
  EXPECT_FALSE(controller.state().run.queued_behind_tab);
  EXPECT_EQ(controller.state().status.text.en.find("Another tab"), std::string::npos);
  EXPECT_EQ(transport.count("BuySecretNo"), 0) << "nothing is sent before the lock is held";
  controller.tick();
  EXPECT_EQ(transport.count("BuySecretNo"), 1);
  EXPECT_EQ(controller.state().run.phase, RunPhase::kSending);
  EXPECT_EQ(controller.state().status.text.en.find("Another tab"), std::string::npos);
  transport.answer(200, buy_ok("17000000001"));
  EXPECT_EQ(controller.state().run.phase, RunPhase::kDone);
  EXPECT_TRUE(locks.holders.empty());
}

TEST_F(LedgerPurchaseTest, WithALockGrantedLaterTheTabBehindAnotherIsStillToldSo) {
  auto other = open_tab();
  Controller& b = other->controller;
  lock.grants_later = true;
  other->lock.grants_later = true;
  ASSERT_TRUE(buy(controller));
  controller.tick();  // granted: its purchase is in flight
  ASSERT_EQ(transport.count("BuySecretNo"), 1);
  ASSERT_TRUE(buy(b));
  EXPECT_EQ(b.state().run.phase, RunPhase::kQueued);
  EXPECT_TRUE(b.state().run.queued_behind_tab);
  EXPECT_NE(b.state().status.text.en.find("Another tab is buying"), std::string::npos);
  transport.answer(200, buy_ok("17000000001"));
  b.tick();  // asks for the freed lock: granted at the next ask
  b.tick();
  EXPECT_EQ(other->transport.count("BuySecretNo"), 1) << "its turn once the first is done";
}

TEST_F(LedgerPurchaseTest, AnIdleOrWaitingTabShowsTheOtherTabsPurchaseAsBuyingElsewhere) {
  auto other = open_tab();
  Controller& b = other->controller;
  ASSERT_TRUE(buy(controller));
  b.tick();  // picks up the ledger change
  EXPECT_FALSE(b.state().unknown.has_value());
  ASSERT_EQ(b.state().buying_elsewhere.size(), 1u);
  EXPECT_EQ(b.state().buying_elsewhere[0].request.city, "杭州");
  EXPECT_FALSE(b.purchase_blocked());
  clock.now += 2 * kInFlightGraceMs;  // a slow answer: the lock is still held there
  b.tick();
  EXPECT_FALSE(b.state().unknown.has_value());
  ASSERT_TRUE(buy(b));
  ASSERT_EQ(b.state().run.phase, RunPhase::kQueued);
  b.tick();
  EXPECT_FALSE(b.state().unknown.has_value());
  EXPECT_EQ(other->transport.count("BuySecretNo"), 0);
  transport.answer(200, buy_ok("17000000001"));
  b.tick();
  EXPECT_EQ(other->transport.count("BuySecretNo"), 1) << "its turn once the first is done";
  EXPECT_FALSE(b.state().unknown.has_value());
}

TEST_F(LedgerPurchaseTest, AWaitingTabSeesTheUnknownOutcomeTheOtherLeft) {
  auto other = open_tab();
  Controller& b = other->controller;
  ASSERT_TRUE(buy(controller));
  ASSERT_TRUE(buy(b));
  transport.answer(0, "");
  b.tick();
  EXPECT_EQ(other->transport.count("BuySecretNo"), 0);
  EXPECT_EQ(b.state().run.phase, RunPhase::kFailed);
  EXPECT_TRUE(b.state().unknown.has_value());
  EXPECT_TRUE(locks.holders.empty());
  // Settled in tab A: tab B is unblocked by the storage change.
  controller.reconcile_unknown();
  transport.answer(200, ok_body(R"(,"SecretRemainDTO":{"Amount":4,"City":"杭州"})"));
  controller.resolve_unknown(false, "");
  b.tick();
  EXPECT_FALSE(b.state().unknown.has_value());
  EXPECT_TRUE(b.submit_purchase());
}

TEST_F(LedgerPurchaseTest, StopWhileQueuedGivesUpTheTurn) {
  auto other = open_tab();
  ASSERT_TRUE(buy(controller));
  ASSERT_TRUE(buy(other->controller));
  other->controller.stop_run();
  EXPECT_EQ(other->controller.state().run.phase, RunPhase::kStopped);
  transport.answer(200, buy_ok("17000000001"));
  other->controller.tick();
  EXPECT_EQ(other->transport.count("BuySecretNo"), 0);
}

TEST_F(LedgerPurchaseTest, NumbersAndHistoryComeBackAfterAReload) {
  ASSERT_TRUE(buy(controller));
  transport.answer(200, buy_ok("17000000001"));
  controller.lock_number("17000000001", true);
  transport.answer(200, ok_body());
  // The same tab reloads: same sessionStorage, same profile.
  FakeTransport t2;
  Controller again(t2, clock, nonces, storage, durable, lock);
  again.start();
  ASSERT_NE(again.find_number("17000000001"), nullptr);
  EXPECT_EQ(again.find_number("17000000001")->origin, NumberOrigin::kBought);
  EXPECT_EQ(again.find_number("17000000001")->detail->status, NumberStatus::kLocked);
  ASSERT_GE(again.state().log.size(), 2u);
  EXPECT_EQ(again.state().log.entries()[0].action, "BuySecretNo");
  EXPECT_EQ(again.state().log.entries()[0].code, "OK");
}

TEST_F(LedgerPurchaseTest, BoughtWithoutANumberKeepsAskingForIt) {
  ASSERT_TRUE(buy(controller));
  transport.answer(0, "");
  controller.resolve_unknown(true, "");
  ASSERT_EQ(controller.state().ledger.attempts.size(), 1u);
  const LedgerAttempt a = controller.state().ledger.attempts[0];  // a copy: the ledger reloads
  EXPECT_TRUE(number_missing(a));
  EXPECT_FALSE(controller.forget_history(kForgetWord)) << "refused while a number is missing";
  EXPECT_FALSE(controller.record_missing_number(a.id, "12"));
  EXPECT_TRUE(controller.record_missing_number(a.id, " 17000000077 "));
  EXPECT_FALSE(number_missing(controller.state().ledger.attempts[0]));
  EXPECT_NE(controller.find_number("17000000077"), nullptr);
}

TEST_F(LedgerPurchaseTest, ForgettingNeedsTheWordAndNothingUnresolved) {
  ASSERT_TRUE(buy(controller));
  transport.answer(0, "");
  EXPECT_FALSE(controller.forget_history(kForgetWord));
  controller.resolve_unknown(false, "");
  EXPECT_FALSE(controller.forget_history("forget it"));
  EXPECT_TRUE(controller.forget_history(kForgetWord));
  EXPECT_TRUE(controller.state().ledger.attempts.empty());
  EXPECT_TRUE(profile.values.empty());
}

}  // namespace
}  // namespace dypls::console::testing
