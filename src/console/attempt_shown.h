// How a tab shows a ledger attempt it did not send itself: another tab's purchase still in
// flight ("another tab is buying"), or an unknown outcome to reconcile. Pure: the caller says
// what it knows of the pool's purchase lock, and when.
//
// The rule: an outcome recorded as unknown is unknown. An attempt with no outcome yet belongs to
// a live tab while that tab holds the pool's lock (purchases are written only under it), and for
// kLedgerSettleMs after it lets go (its outcome may still be on its way through storage). Once
// the lock has been seen free (or held by this tab) that long, the owner is gone: unknown. When
// the lock cannot be seen (yet), only the attempt's age tells: younger than kInFlightGraceMs
// may still be in flight.
#pragma once
#include <cstdint>

#include "ledger.h"

namespace dypls::console {

// A purchase with no recorded outcome younger than this may still be in flight in another tab.
inline constexpr std::int64_t kInFlightGraceMs = 60000;

enum class LockSeen {
  kNotKnown,       // not looked at yet (navigator.locks answers later)
  kHeldElsewhere,  // another tab holds it
  kHeldHere,       // this tab holds it
  kFree,           // nobody holds it
};

struct LockSighting {
  LockSeen seen = LockSeen::kNotKnown;
  std::int64_t since_ms = 0;  // when it was first seen so (ledger time, as attempts' started_ms)
};

enum class AttemptShown {
  kNothing,          // settled or with a definite outcome: nothing to show
  kBuyingElsewhere,  // another tab's purchase in flight: wait, do not reconcile
  kUnknownOutcome,   // may have been bought: reconcile before buying in its pool
};

AttemptShown attempt_shown(const LedgerAttempt& attempt, const LockSighting& lock,
                           std::int64_t now_ms);

const char* attempt_shown_name(AttemptShown shown);

}  // namespace dypls::console
