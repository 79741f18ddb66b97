// LedgerFlow on its own: its slice of the state, one tab's durable storage of a shared profile,
// and hooks standing in for the lock and the purchase. What is projected (the numbers list, the
// unknown outcomes handed on) is read back as the page would show it.
#include "ledger_flow.h"

#include "fakes.h"

namespace dypls::console::testing {
namespace {

constexpr const char* kPool = "FC100000000000001";
constexpr const char* kOtherPool = "FC100000000000002";
constexpr const char* kOrigin = "http://relay";

class LedgerFlowTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(flow.reload().has_value()); }

  LedgerFlow::Hooks hooks() {
    LedgerFlow::Hooks h;
    h.now = [this] { return clock.now; };
    h.origin = [] { return std::string(kOrigin); };
    h.sight_lock = [this](const std::string& pool) {
      return pool == kOtherPool ? other_pool_lock : LockSighting{LockSeen::kFree, 0};
    };
    h.own_attempt = [this] { return own; };
    h.unknowns = [this](std::vector<UnknownPurchase> list) {
      unknowns = std::move(list);
      ++handed_on;
    };
    return h;
  }

  LedgerAttempt attempt(const std::string& id, Outcome outcome, std::int64_t age_ms) const {
    LedgerAttempt a;
    a.id = id;
    a.started_ms = clock.now - age_ms;
    a.pool_key = kPool;
    a.city = "杭州";
    a.outcome = outcome;
    if (outcome == Outcome::kUnknown) a.why = "no answer";
    return a;
  }

  FakeClock clock;
  SharedStorage profile;
  TabDurableStorage durable{profile};
  ConsoleState state;
  // kPool's lock has been free for a long while: no tab is buying there.
  LockSighting other_pool_lock{LockSeen::kFree, 0};
  std::optional<LedgerAttempt> own;
  std::vector<UnknownPurchase> unknowns;
  int handed_on = 0;
  LedgerFlow flow{ledger_slice(state), durable, hooks()};
};

TEST_F(LedgerFlowTest, ABoughtNumberIsListedOnceAndAReleasedOneShowsReleased) {
  EXPECT_FALSE(
      flow.note_number("17000000001", kPool, "杭州", NumberEventKind::kBought, "a1").has_value());
  clock.now += 1000;
  flow.note_number("17000000001", kPool, "", NumberEventKind::kLookedUp, "");
  flow.note_number("17000000002", kPool, "上海", NumberEventKind::kLookedUp, "");
  ASSERT_EQ(state.numbers.records.size(), 2u) << "one row a number, however often it is noted";
  const NumberRecord& bought = state.numbers.records[0];
  EXPECT_EQ(bought.secret_no, "17000000001");
  EXPECT_EQ(bought.origin, NumberOrigin::kBought) << "a later lookup does not make it looked-up";
  EXPECT_EQ(bought.city, "杭州");
  EXPECT_FALSE(bought.bought_at.empty());
  EXPECT_FALSE(bought.released);
  EXPECT_EQ(state.numbers.records[1].origin, NumberOrigin::kLookedUp);

  flow.note_number("17000000001", kPool, "杭州", NumberEventKind::kReleased, "");
  ASSERT_EQ(state.numbers.records.size(), 2u);
  EXPECT_TRUE(state.numbers.records[0].released);
  EXPECT_FALSE(state.numbers.records[1].released);

  // Read again from storage (a reload): the same list.
  state.numbers.records.clear();
  flow.reload();
  ASSERT_EQ(state.numbers.records.size(), 2u);
  EXPECT_TRUE(state.numbers.records[0].released);
  EXPECT_EQ(state.numbers.records[0].origin, NumberOrigin::kBought);
}

TEST_F(LedgerFlowTest, ARowsAnswerAndAFirstLookupInFlightOutliveTheProjection) {
  flow.note_number("17000000001", kPool, "杭州", NumberEventKind::kLookedUp, "");
  state.numbers.records[0].error = ApiError{};
  NumberRecord looking;  // NumbersFlow's row for a number the ledger does not know yet
  looking.secret_no = "17000000003";
  looking.busy = true;
  state.numbers.records.push_back(looking);
  flow.project();
  ASSERT_EQ(state.numbers.records.size(), 2u);
  EXPECT_TRUE(state.numbers.records[0].error.has_value()) << "the answer's error is kept";
  EXPECT_EQ(state.numbers.records[1].secret_no, "17000000003");
}

TEST_F(LedgerFlowTest, AnUnknownOutcomeIsHandedOnAndBlocksItsPoolOnly) {
  ASSERT_TRUE(flow.write(attempt("a1", Outcome::kBought, 5000)));
  ASSERT_TRUE(flow.write(attempt("a2", Outcome::kUnknown, 4000)));
  // A page closed mid-purchase: no outcome, its lock long free.
  ASSERT_TRUE(flow.write(attempt("a3", Outcome::kPending, 2 * kInFlightGraceMs)));
  flow.project();
  ASSERT_EQ(unknowns.size(), 2u);
  EXPECT_EQ(unknowns[0].attempt_id, "a2");
  EXPECT_EQ(unknowns[0].why, "no answer");
  EXPECT_FALSE(unknowns[0].no_outcome_recorded);
  EXPECT_EQ(unknowns[1].attempt_id, "a3");
  EXPECT_TRUE(unknowns[1].no_outcome_recorded);
  EXPECT_TRUE(flow.unknown_in_pool(kPool));
  EXPECT_FALSE(flow.unknown_in_pool(kOtherPool));
  EXPECT_TRUE(flow.check_pool(kPool).blocked);
  EXPECT_TRUE(state.buying_elsewhere.empty());

  // Another tab holds the lock of a fresh attempt: it is buying, not unknown.
  LedgerAttempt elsewhere = attempt("a4", Outcome::kPending, 1000);
  elsewhere.pool_key = kOtherPool;
  flow.write(elsewhere);
  other_pool_lock = {LockSeen::kHeldElsewhere, clock.now - 1000};
  flow.project();
  ASSERT_EQ(state.buying_elsewhere.size(), 1u);
  EXPECT_EQ(state.buying_elsewhere[0].attempt_id, "a4");
  EXPECT_EQ(unknowns.size(), 2u);
  EXPECT_FALSE(flow.unknown_in_pool(kOtherPool));

  // This tab's own attempt in flight is neither.
  own = elsewhere;
  flow.show_unresolved();
  EXPECT_TRUE(state.buying_elsewhere.empty());
  EXPECT_EQ(unknowns.size(), 2u);
}

TEST_F(LedgerFlowTest, SettlingWritesTheVerdictAndTheNumberItNames) {
  flow.write(attempt("a1", Outcome::kUnknown, 1000));
  flow.project();
  ASSERT_EQ(unknowns.size(), 1u);
  std::optional<LedgerAttempt> open = flow.unresolved_attempt("a1");
  ASSERT_TRUE(open.has_value());
  open->settlement = Settlement::kBought;
  open->how = SettledHow::kPersonSaid;
  open->secret_no = "17000000005";
  ASSERT_TRUE(flow.settle(*open));
  EXPECT_TRUE(unknowns.empty()) << "settled: nothing left to reconcile";
  EXPECT_FALSE(flow.unresolved_attempt("a1").has_value());
  ASSERT_EQ(state.numbers.records.size(), 1u);
  EXPECT_EQ(state.numbers.records[0].secret_no, "17000000005");
  EXPECT_EQ(state.numbers.records[0].origin, NumberOrigin::kBought);
  EXPECT_FALSE(flow.check_pool(kPool).blocked);
}

TEST_F(LedgerFlowTest, ARefusedWriteKeepsNoNewAttemptAndSaysSo) {
  profile.refuse_writes = true;
  EXPECT_FALSE(flow.write(attempt("a1", Outcome::kPending, 0)));
  EXPECT_TRUE(state.ledger.attempts.empty()) << "an attempt storage refused was never made";
  const std::optional<Notice> refused =
      flow.note_number("17000000001", kPool, "杭州", NumberEventKind::kBought, "");
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->level, StatusLevel::kError);
}

TEST_F(LedgerFlowTest, ForgettingNeedsTheWordAndNothingUnresolved) {
  flow.write(attempt("a1", Outcome::kUnknown, 1000));
  flow.note_number("17000000001", kPool, "杭州", NumberEventKind::kLookedUp, "");
  EXPECT_FALSE(flow.forget(kForgetWord, false).ok) << "an unknown outcome is unresolved";
  LedgerAttempt settled = attempt("a1", Outcome::kUnknown, 1000);
  settled.settlement = Settlement::kNotBought;
  flow.settle(settled);
  EXPECT_FALSE(flow.forget(kForgetWord, true).ok) << "this tab's purchase is under way";
  EXPECT_FALSE(flow.forget("forget it", false).ok);
  state.forget_confirmation = kForgetWord;
  const FlowResult forgot = flow.forget(kForgetWord, false);
  EXPECT_TRUE(forgot.ok);
  EXPECT_TRUE(state.ledger.attempts.empty());
  EXPECT_TRUE(state.numbers.records.empty());
  EXPECT_TRUE(state.forget_confirmation.empty());
  EXPECT_TRUE(durable.entries(ledger_prefix(kOrigin)).empty());
}

}  // namespace
}  // namespace dypls::console::testing
