// Reconciling an unknown purchase through the Controller: a typed number checked with
// QuerySecretNoDetail settles it automatically when it proves the purchase, and leaves it
// unresolved (saying why) when it does not; the stock difference is written as the reason when
// it backs the verdict; an imported list is looked up one number at a time.
#include "core/time_format.h"
#include "fakes.h"
#include "state_json.h"

namespace dypls::console::testing {
namespace {

// PurchaseTime as the API writes it: China time, "YYYY-MM-DD hh:mm:ss".
std::string china_time(std::int64_t ms) {
  std::string text = format_iso8601_utc(ms / 1000 + 8 * 3600);
  text[10] = ' ';
  text.pop_back();
  return text;
}
const std::string kNowChina = china_time(FakeClock{}.now);
const std::string kYesterdayChina = china_time(FakeClock{}.now - 86400000);

std::string detail_ok(const std::string& purchase_time) {
  return ok_body(R"(,"SecretNoInfoDTO":{"PurchaseTime":")" + purchase_time +
                 R"(","Vendor":1,"Province":"浙江","City":"杭州","SecretStatus":0})");
}
std::string not_in_pool() {
  return R"({"Code":"isv.NO_NOT_EXIST","Message":"SecretNo is not a number of the pool.","RequestId":"R"})";
}

class ReconcileTest : public ConsoleTest {
 protected:
  // A purchase whose answer was lost, then Check now with `typed` in the number box.
  void lose_a_purchase() {
    read_stock("杭州", 5);
    ASSERT_TRUE(controller.submit_purchase());
    ASSERT_TRUE(controller.confirm_purchase());
    transport.answer(0, "");
    ASSERT_TRUE(controller.state().unknown.has_value());
  }
  void check(const std::string& typed, const std::string& detail_answer) {
    controller.state().unknown->lookup_number = typed;
    controller.reconcile_unknown();
    ASSERT_EQ(transport.pending.size(), 2u) << "the stock and the number";
    EXPECT_EQ(transport.count("QuerySecretNoDetail"), 1);
    transport.answer(200, ok_body(R"(,"SecretRemainDTO":{"Amount":4,"City":"杭州"})"));
    const HttpRequest& lookup = transport.pending.front().request;
    EXPECT_EQ(FakeTransport::form_value(lookup.body, "PoolKey"), "FC100000000000001");
    transport.answer(200, detail_answer);
  }
  LedgerAttempt stored_attempt() const {
    for (const auto& [key, value] : profile.values) {
      if (auto a = decode_attempt(value).value) return *a;
    }
    return {};
  }
};

TEST_F(ReconcileTest, ANumberBoughtAfterTheAttemptStartedSettlesItAsCheckedByNumber) {
  lose_a_purchase();
  check(" 17000000042 ", detail_ok(kNowChina));
  EXPECT_FALSE(controller.state().unknown.has_value())
      << "settled without asking: " << controller.state().status.text.en;
  EXPECT_EQ(controller.state().run.phase, RunPhase::kIdle);
  const LedgerAttempt stored = stored_attempt();
  EXPECT_EQ(stored.settlement, Settlement::kBought);
  EXPECT_EQ(stored.how, SettledHow::kCheckedByNumber);
  EXPECT_EQ(stored.secret_no, "17000000042");
  ASSERT_EQ(controller.state().numbers.records.size(), 1u);
  const NumberRecord& record = controller.state().numbers.records[0];
  EXPECT_EQ(record.secret_no, "17000000042");
  EXPECT_EQ(record.origin, NumberOrigin::kBought);
  ASSERT_TRUE(record.detail.has_value());
  EXPECT_EQ(record.detail->purchase_time, kNowChina);
  EXPECT_NE(controller.state().status.text.en.find("Checked by number"), std::string::npos);
  EXPECT_EQ(controller.state().reconcile_note.en, controller.state().status.text.en);
  EXPECT_EQ(controller.state().run.summary.en, controller.state().reconcile_note.en)
      << "the run no longer says its answer is missing";
  const PurchaseRun& run = controller.state().run;
  ASSERT_EQ(run.attempts.size(), 1u);
  EXPECT_EQ(run.attempts[0].result, AttemptResult::kBought) << "its row, not 'no answer'";
  EXPECT_EQ(run.attempts[0].secret_no, "17000000042");
  EXPECT_EQ(run.bought, 1) << "the progress counts it";
  const std::string json = state_json(controller.state(), 0, clock.now);
  EXPECT_NE(json.find(R"("how":"checked-by-number")"), std::string::npos) << json;
  EXPECT_TRUE(controller.submit_purchase()) << "the pool is no longer blocked";
}

TEST_F(ReconcileTest, ANumberNotInThePoolLeavesItUnresolvedAndSaysSo) {
  lose_a_purchase();
  check("17000000042", not_in_pool());
  ASSERT_TRUE(controller.state().unknown.has_value());
  EXPECT_EQ(controller.state().unknown->number_verdict, "not-in-pool");
  EXPECT_NE(controller.state().unknown->number_check.en.find("is not a number of pool"),
            std::string::npos);
  EXPECT_TRUE(controller.state().unknown->reconciled) << "the person may now decide";
  EXPECT_TRUE(controller.state().numbers.records.empty());
  EXPECT_TRUE(unresolved(stored_attempt()));
  EXPECT_FALSE(controller.submit_purchase());
}

TEST_F(ReconcileTest, ANumberBoughtBeforeTheAttemptLeavesItUnresolved) {
  lose_a_purchase();
  check("17000000042", detail_ok(kYesterdayChina));
  ASSERT_TRUE(controller.state().unknown.has_value());
  EXPECT_EQ(controller.state().unknown->number_verdict, "bought-before");
  EXPECT_NE(controller.state().status.text.en.find("before this purchase started"),
            std::string::npos);
  EXPECT_TRUE(unresolved(stored_attempt()));
}

TEST_F(ReconcileTest, AFailedCheckDecidesNothing) {
  lose_a_purchase();
  controller.state().unknown->lookup_number = "17000000042";
  controller.reconcile_unknown();
  transport.answer(200, ok_body(R"(,"SecretRemainDTO":{"Amount":4,"City":"杭州"})"));
  transport.answer(0, "");
  ASSERT_TRUE(controller.state().unknown.has_value());
  EXPECT_EQ(controller.state().unknown->number_verdict, "check-failed");
  EXPECT_FALSE(controller.state().unknown->checking_number);
  EXPECT_TRUE(unresolved(stored_attempt()));
}

TEST_F(ReconcileTest, ACheckThatCannotBeSentLeavesCheckNowUsable) {
  lose_a_purchase();
  controller.forget_credentials();
  controller.state().unknown->lookup_number = "17000000042";
  controller.reconcile_unknown();
  EXPECT_TRUE(transport.pending.empty());
  ASSERT_TRUE(controller.state().unknown.has_value());
  EXPECT_FALSE(controller.state().unknown->checking_number);
  EXPECT_FALSE(controller.state().unknown->reconciling);
}

TEST_F(ReconcileTest, TheStockDifferenceIsWrittenAsTheReasonWhenItBacksTheVerdict) {
  lose_a_purchase();  // stock before: 5
  controller.reconcile_unknown();
  transport.answer(200, ok_body(R"(,"SecretRemainDTO":{"Amount":4,"City":"杭州"})"));
  controller.resolve_unknown(true, "");
  EXPECT_EQ(stored_attempt().how, SettledHow::kStockDiff);
  EXPECT_EQ(controller.state().run.attempts.back().result, AttemptResult::kBought);
  EXPECT_EQ(controller.state().run.bought, 1);

  profile.values.clear();
  controller.state().numbers.records.clear();
  controller.state().ledger = Ledger{};
  lose_a_purchase();
  controller.reconcile_unknown();
  transport.answer(200, ok_body(R"(,"SecretRemainDTO":{"Amount":4,"City":"杭州"})"));
  controller.resolve_unknown(false, "");  // against what the stock suggests
  EXPECT_EQ(stored_attempt().how, SettledHow::kPersonSaid);
  EXPECT_EQ(controller.state().run.attempts.back().result, AttemptResult::kFailed);
  EXPECT_EQ(controller.state().run.bought, 0);
}

TEST_F(ReconcileTest, AnImportedListIsLookedUpOneAtATimeAndListed) {
  const std::string list =
      "number\n17000000001\n+8617000000002\nnot a number\n17000000003\n"
      "17000000001\n";
  ASSERT_TRUE(controller.import_numbers("FC100000000000001", list));
  const NumberImport& import = controller.state().numbers.import;
  EXPECT_EQ(import.total, 3u);
  EXPECT_EQ(import.duplicates, 1u);
  ASSERT_EQ(import.problems.size(), 1u);
  EXPECT_EQ(import.problems[0].line, 4u);
  EXPECT_FALSE(controller.import_numbers("FC100000000000001", list)) << "one import at a time";

  for (int i = 1; i <= 3; ++i) {
    ASSERT_EQ(transport.pending.size(), 1u) << "one lookup in flight, never a burst";
    EXPECT_EQ(FakeTransport::form_value(transport.pending.front().request.body, "SecretNo"),
              "1700000000" + std::to_string(i));
    if (i == 2) {
      // Throttled: not done; asked again after the wait, not skipped.
      transport.answer(400, R"({"Code":"Throttling.User","Message":"m","RequestId":"R"})",
                       {{"x-acs-retry-after", "3000"}});
      controller.tick();
      EXPECT_TRUE(transport.pending.empty()) << "waits before asking again";
      clock.now += 3000;
      controller.tick();
      ASSERT_EQ(transport.pending.size(), 1u);
    }
    transport.answer(200, detail_ok(kNowChina));
    controller.tick();
    EXPECT_TRUE(transport.pending.empty()) << "spaced out";
    clock.now += kImportSpacingMs;
    controller.tick();
  }
  EXPECT_FALSE(import.active());
  EXPECT_EQ(import.found, 3u);
  ASSERT_EQ(controller.state().numbers.records.size(), 3u);
  for (const NumberRecord& r : controller.state().numbers.records) {
    EXPECT_EQ(r.origin, NumberOrigin::kLookedUp);
    EXPECT_EQ(r.pool_key, "FC100000000000001");
  }
  int looked_up = 0;
  for (const auto& [key, value] : profile.values) {
    if (auto n = decode_number(value).value) {
      looked_up += static_cast<int>(!n->events.empty() &&
                                    n->events.back().kind == NumberEventKind::kLookedUp);
    }
  }
  EXPECT_EQ(looked_up, 3) << "each imported number is in the ledger";
}

TEST_F(ReconcileTest, AnImportReportsNumbersThePoolDoesNotHave) {
  ASSERT_TRUE(controller.import_numbers("FC100000000000001", "17000000001,17000000002"));
  transport.answer(200, not_in_pool());
  clock.now += kImportSpacingMs;
  controller.tick();
  transport.answer(200, detail_ok(kNowChina));
  const NumberImport& import = controller.state().numbers.import;
  EXPECT_FALSE(import.active());
  EXPECT_EQ(import.found, 1u);
  ASSERT_EQ(import.problems.size(), 1u);
  EXPECT_EQ(import.problems[0].line, 1u);
  EXPECT_EQ(import.problems[0].excerpt, "17000000001");
  EXPECT_NE(import.problems[0].why.en.find("isv.NO_NOT_EXIST"), std::string::npos);
  ASSERT_EQ(controller.state().numbers.records.size(), 1u);
  EXPECT_EQ(controller.state().numbers.records[0].secret_no, "17000000002");
}

TEST_F(ReconcileTest, AnImportWithNothingToReadOrNoPoolIsRefused) {
  EXPECT_FALSE(controller.import_numbers("FC100000000000001", "hello\nworld"));
  EXPECT_EQ(controller.state().status.level, StatusLevel::kError);
  EXPECT_FALSE(controller.import_numbers("", "17000000001"));
  EXPECT_TRUE(transport.pending.empty());
}

}  // namespace
}  // namespace dypls::console::testing
