// Credentials that expire in the middle of a run: nothing more is signed, what was bought is
// kept, the lock is given back and the ledger holds no attempt without an outcome.
#include "fakes.h"

namespace dypls::console::testing {
namespace {

class PurchaseExpiryTest : public ConsoleTest {
 protected:
  const PurchaseRun& run() const { return controller.state().run; }
  void buy(int quantity) {
    controller.state().buy.quantity = quantity;
    ASSERT_TRUE(controller.submit_purchase());
    ASSERT_TRUE(controller.confirm_purchase());
  }
  void expect_ended_by_expiry() {
    EXPECT_EQ(run().phase, RunPhase::kFailed);
    EXPECT_FALSE(run().lock_held);
    EXPECT_EQ(controller.state().status.level, StatusLevel::kError);
    EXPECT_NE(controller.state().status.text.en.find("expired"), std::string::npos)
        << controller.state().status.text.en;
    for (const LedgerAttempt& a : controller.state().ledger.attempts) {
      EXPECT_NE(a.outcome, Outcome::kPending) << a.id;
    }
    EXPECT_FALSE(controller.leave_warning());
  }
  // The credentials from SetUp live an hour.
  void pass_expiry() { clock.now += std::int64_t{3601} * 1000; }
};

TEST_F(PurchaseExpiryTest, ExpiryDuringAThrottleWaitSignsNothingMore) {
  buy(2);
  transport.answer(400, R"({"RequestId":"R","Code":"Throttling.User","Message":"slow"})",
                   {{"x-acs-retry-after", "3000"}});
  ASSERT_EQ(run().phase, RunPhase::kWaiting);
  pass_expiry();
  controller.tick();
  EXPECT_EQ(transport.count("BuySecretNo"), 1);
  EXPECT_TRUE(transport.pending.empty());
  expect_ended_by_expiry();
  EXPECT_EQ(controller.state().ledger.attempts.size(), 1u) << "no attempt written for nothing";
}

TEST_F(PurchaseExpiryTest, ExpiryBetweenTwoPurchasesKeepsTheFirstAndSendsNoSecond) {
  buy(3);
  pass_expiry();  // while the first is in flight
  transport.answer(200, buy_ok("17000000001"));
  EXPECT_EQ(transport.count("BuySecretNo"), 1);
  EXPECT_EQ(run().bought, 1);
  expect_ended_by_expiry();
  ASSERT_EQ(controller.state().ledger.attempts.size(), 1u);
  EXPECT_EQ(controller.state().ledger.attempts[0].outcome, Outcome::kBought);
  EXPECT_EQ(controller.state().ledger.attempts[0].secret_no, "17000000001");
  ASSERT_EQ(controller.state().numbers.records.size(), 1u);
}

TEST_F(PurchaseExpiryTest, ExpiredBeforeConfirmationNothingIsWrittenOrSent) {
  ASSERT_TRUE(controller.submit_purchase());
  pass_expiry();
  EXPECT_FALSE(controller.confirm_purchase());
  EXPECT_EQ(transport.count("BuySecretNo"), 0);
  expect_ended_by_expiry();
  EXPECT_TRUE(controller.state().ledger.attempts.empty());
}

}  // namespace
}  // namespace dypls::console::testing
