// How a tab shows an attempt it did not send: attempt age x what it sees of the pool's lock x
// the recorded outcome -> "another tab is buying", "unknown outcome" or nothing. Another live
// tab's purchase is never shown as unknown; once its tab is gone (the lock let go without an
// outcome for kLedgerSettleMs, or past kInFlightGraceMs when the lock cannot be seen) it is.
#include "attempt_shown.h"

#include <gtest/gtest.h>

#include "core/purchase_run.h"

namespace dypls::console::testing {
namespace {

constexpr std::int64_t kStart = 1795849937000;
constexpr std::int64_t kYoung = 10000;  // the attempt's age
constexpr std::int64_t kOld = 2 * kInFlightGraceMs;

enum class Lock {
  kNotKnown,
  kHeldElsewhere,
  kFreeJustNow,      // let go after the attempt started, less than kLedgerSettleMs ago
  kFreeSettled,      // let go after the attempt started, kLedgerSettleMs ago or more
  kFreeSinceBefore,  // seen free only since before the attempt (a stale sighting)
  kHeldHereJustNow,  // this tab took it after the attempt started, less than settle ago
  kHeldHereSettled,
};

const char* lock_name(Lock lock) {
  switch (lock) {
    case Lock::kNotKnown:
      return "not-known";
    case Lock::kHeldElsewhere:
      return "held-elsewhere";
    case Lock::kFreeJustNow:
      return "free-just-now";
    case Lock::kFreeSettled:
      return "free-settled";
    case Lock::kFreeSinceBefore:
      return "free-since-before";
    case Lock::kHeldHereJustNow:
      return "held-here-just-now";
    case Lock::kHeldHereSettled:
      return "held-here-settled";
  }
  return "?";
}

// The sighting at `now` for an attempt that started at kStart.
LockSighting sighting(Lock lock, std::int64_t now) {
  switch (lock) {
    case Lock::kNotKnown:
      return {};
    case Lock::kHeldElsewhere:
      return {LockSeen::kHeldElsewhere, kStart - 5};
    case Lock::kFreeJustNow:
      return {LockSeen::kFree, now - dypls::kLedgerSettleMs + 1};
    case Lock::kFreeSettled:
      return {LockSeen::kFree, now - dypls::kLedgerSettleMs};
    case Lock::kFreeSinceBefore:
      return {LockSeen::kFree, kStart - 1};
    case Lock::kHeldHereJustNow:
      return {LockSeen::kHeldHere, now - 1};
    case Lock::kHeldHereSettled:
      return {LockSeen::kHeldHere, now - dypls::kLedgerSettleMs};
  }
  return {};
}

LedgerAttempt attempt(Outcome outcome, Settlement settlement = Settlement::kNone) {
  LedgerAttempt a;
  a.id = "a";
  a.started_ms = kStart;
  a.pool_key = "FC1";
  a.outcome = outcome;
  a.settlement = settlement;
  return a;
}

struct Row {
  std::int64_t age;
  Lock lock;
  AttemptShown shown;  // for an attempt with no outcome recorded
};

constexpr AttemptShown kBuying = AttemptShown::kBuyingElsewhere;
constexpr AttemptShown kUnknown = AttemptShown::kUnknownOutcome;

const Row kPendingRows[] = {
    {kYoung, Lock::kNotKnown, kBuying},         {kOld, Lock::kNotKnown, kUnknown},
    {kYoung, Lock::kHeldElsewhere, kBuying},    {kOld, Lock::kHeldElsewhere, kBuying},
    {kYoung, Lock::kFreeJustNow, kBuying},      {kOld, Lock::kFreeJustNow, kBuying},
    {kYoung, Lock::kFreeSettled, kUnknown},     {kOld, Lock::kFreeSettled, kUnknown},
    {kYoung, Lock::kFreeSinceBefore, kBuying},  {kOld, Lock::kFreeSinceBefore, kUnknown},
    {kYoung, Lock::kHeldHereJustNow, kBuying},  {kOld, Lock::kHeldHereJustNow, kBuying},
    {kYoung, Lock::kHeldHereSettled, kUnknown}, {kOld, Lock::kHeldHereSettled, kUnknown},
};

TEST(AttemptShown, NoOutcomeRecordedIsAnotherTabBuyingUntilItsTabIsGone) {
  for (const Row& row : kPendingRows) {
    const std::int64_t now = kStart + row.age;
    EXPECT_EQ(attempt_shown(attempt(Outcome::kPending), sighting(row.lock, now), now), row.shown)
        << (row.age == kYoung ? "young" : "old") << " x " << lock_name(row.lock) << " -> "
        << attempt_shown_name(row.shown);
  }
}

TEST(AttemptShown, AnOutcomeRecordedDecidesWhateverTheLockAndAge) {
  for (const Row& row : kPendingRows) {
    const std::int64_t now = kStart + row.age;
    const LockSighting lock = sighting(row.lock, now);
    const std::string where =
        std::string(row.age == kYoung ? "young" : "old") + " x " + lock_name(row.lock);
    EXPECT_EQ(attempt_shown(attempt(Outcome::kUnknown), lock, now), kUnknown) << where;
    EXPECT_EQ(attempt_shown(attempt(Outcome::kBought), lock, now), AttemptShown::kNothing) << where;
    EXPECT_EQ(attempt_shown(attempt(Outcome::kNotBought), lock, now), AttemptShown::kNothing)
        << where;
    EXPECT_EQ(attempt_shown(attempt(Outcome::kPending, Settlement::kBought), lock, now),
              AttemptShown::kNothing)
        << where;
    EXPECT_EQ(attempt_shown(attempt(Outcome::kUnknown, Settlement::kNotBought), lock, now),
              AttemptShown::kNothing)
        << where;
  }
}

TEST(AttemptShown, TheGraceEndsExactlyAtItsLength) {
  const LedgerAttempt pending = attempt(Outcome::kPending);
  EXPECT_EQ(attempt_shown(pending, {}, kStart + kInFlightGraceMs - 1), kBuying);
  EXPECT_EQ(attempt_shown(pending, {}, kStart + kInFlightGraceMs), kUnknown);
}

}  // namespace
}  // namespace dypls::console::testing
