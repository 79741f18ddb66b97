// The purchase ledger as the page shows it: loading it again (after a reload, another tab's
// change, or before a verdict), writing attempts and numbers through LedgerStore, and projecting
// what the page shows from it: the numbers list, the purchases other tabs have in flight, and the
// unknown outcomes (handed to whoever shows them, as values). Forgetting the history and giving a
// number to an attempt settled as bought without one. Owns ConsoleState::ledger, ledger_problem,
// buying_elsewhere and forget_confirmation, and the ledger's part of numbers.records.
//
// Who writes numbers.records: project() alone decides which numbers are listed and in which
// order, and sets each one's secret_no, pool_key, city (once known), origin, released, bought_at
// and, from the last lock or unlock, detail->status; it keeps whatever else a row had. NumbersFlow
// writes a row's busy, error and detail from an answer (released and the lock status too, at
// once, which the ledger's note then projects the same), and lists a number looked up for the
// first time until the ledger knows it. The panel writes release_confirmation.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "attempt_shown.h"
#include "console_state.h"
#include "core/actions.h"
#include "flow_result.h"
#include "ledger.h"
#include "ledger_store.h"
#include "number_check.h"
#include "ports.h"

namespace dypls::console {

// What the person types to forget this browser's purchase history.
inline constexpr const char* kForgetWord = "FORGET";

// The parts of ConsoleState the ledger flow writes.
struct LedgerSlice {
  Ledger& ledger;
  Message& problem;
  std::vector<NumberRecord>& records;
  std::vector<PurchaseElsewhere>& elsewhere;
  std::string& forget_confirmation;
};
LedgerSlice ledger_slice(ConsoleState& state);

class LedgerFlow {
 public:
  struct Hooks {
    std::function<std::int64_t()> now;    // ledger time: the relay-corrected clock
    std::function<std::string()> origin;  // the relay origin the ledger belongs to
    std::function<LockSighting(const std::string& pool)> sight_lock;
    // This tab's own attempt in flight, as recorded; nullopt when none.
    std::function<std::optional<LedgerAttempt>()> own_attempt;
    // The unknown outcomes to show (oldest first), as values, after each projection.
    std::function<void(std::vector<UnknownPurchase> unknowns)> unknowns;
  };

  LedgerFlow(LedgerSlice slice, DurableStorage& durable, Hooks hooks);

  // Reads the ledger of the current origin again and projects it. The notice reports a record
  // that could not be read (kept aside), if any.
  std::optional<Notice> reload();
  // Other tabs wrote to the ledger since the last call.
  bool changed_elsewhere() { return store_.changed_elsewhere(); }
  const std::string& origin() const { return store_.origin(); }

  // Writes `attempt` (new or changed) to durable storage and to the ledger shown. False when
  // storage refused it: a new attempt is then not kept at all, so nothing is sent for it.
  bool write(const LedgerAttempt& attempt);
  // Records what happened to a number; the notice says storage refused it.
  std::optional<Notice> note_number(const std::string& secret_no, const std::string& pool_key,
                                    const std::string& city, NumberEventKind kind,
                                    const std::string& attempt_id);
  // Writes the verdict on an unresolved attempt and, settled as bought with a number, that
  // number as bought by it. False when storage refused the verdict.
  bool settle(const LedgerAttempt& settled);

  // The numbers list and the unknown outcomes, as views of the ledger.
  void project();
  // Looks again at how each attempt with no outcome is shown (another tab's lock may have gone).
  void show_unresolved();
  bool others_buying() const { return !slice_.elsewhere.empty(); }

  // The attempt `id` while it is still unresolved; nullopt once settled or gone. Reload first:
  // another tab may have settled it.
  std::optional<LedgerAttempt> unresolved_attempt(const std::string& id) const;
  // Whether `answer` (QuerySecretNoDetail for `secret_no`) proves `attempt` bought it.
  NumberCheck judge(const LedgerAttempt& attempt, const std::string& secret_no,
                    const Answer<NumberDetail>& answer) const;

  // An unknown outcome is shown in `pool` (what blocks the Buy form).
  bool unknown_in_pool(const std::string& pool) const;
  // An attempt with no outcome yet may be another tab's purchase in flight (the lock serialises
  // those) or one a closed page left behind. Once this tab holds the lock, any such attempt is
  // the latter; before, only an old one surely is.
  PoolCheck check_pool(const std::string& pool) const;

  // The number of an attempt settled as bought without one.
  FlowResult record_missing_number(std::string attempt_id, std::string secret_no);
  // Forgets this browser's ledger for the relay; only with `typed` == kForgetWord, nothing
  // unresolved and no purchase of this tab's under way.
  FlowResult forget(std::string typed, bool purchase_under_way);

 private:
  AttemptShown shown_here(const LedgerAttempt& attempt, const std::string& own_id) const;
  bool pool_blocked(const std::string& pool, bool young_pending_blocks) const;
  const NumberRecord* find_record(const std::string& secret_no) const;
  std::string own_id() const;

  LedgerSlice slice_;
  LedgerStore store_;
  Hooks hooks_;
};

}  // namespace dypls::console
