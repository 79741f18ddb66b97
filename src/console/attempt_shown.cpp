#include "attempt_shown.h"

#include "core/purchase_run.h"

namespace dypls::console {

AttemptShown attempt_shown(const LedgerAttempt& attempt, const LockSighting& lock,
                           std::int64_t now_ms) {
  if (!unresolved(attempt)) return AttemptShown::kNothing;
  if (attempt.outcome != Outcome::kPending) return AttemptShown::kUnknownOutcome;
  const bool young = now_ms - attempt.started_ms < kInFlightGraceMs;
  switch (lock.seen) {
    case LockSeen::kHeldElsewhere:
      return AttemptShown::kBuyingElsewhere;
    case LockSeen::kHeldHere:
    case LockSeen::kFree:
      // Seen so only since before the attempt was written: the owner's hold was never seen (a
      // stale sighting), so the age decides.
      if (lock.since_ms < attempt.started_ms) break;
      return now_ms - lock.since_ms < dypls::kLedgerSettleMs ? AttemptShown::kBuyingElsewhere
                                                             : AttemptShown::kUnknownOutcome;
    case LockSeen::kNotKnown:
      break;
  }
  return young ? AttemptShown::kBuyingElsewhere : AttemptShown::kUnknownOutcome;
}

const char* attempt_shown_name(AttemptShown shown) {
  switch (shown) {
    case AttemptShown::kNothing:
      return "nothing";
    case AttemptShown::kBuyingElsewhere:
      return "buying-elsewhere";
    case AttemptShown::kUnknownOutcome:
      return "unknown";
  }
  return "?";
}

}  // namespace dypls::console
