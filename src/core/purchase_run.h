// The purchase run as a pure transition: (run, event, now) -> (run, commands to carry out). It
// holds every rule that keeps a purchase from happening twice; the console carries out the
// commands (the lock, the ledger, signing and sending, the status line) and feeds what came of
// them back as events. No I/O, no clock, no globals: a table of transitions tests it whole.
//
// The rules (design.md, "What must never happen"):
// - one purchase in flight: a second submit or confirm while one runs changes nothing;
// - a Buy is never retried automatically: any error ends the run, except throttling, a definite
//   "not done", waited out (bounded by kMaxThrottleWaits and throttle_wait_ms()) before a fresh
//   attempt, which is signed anew (new nonce and time);
// - an answer that never came or cannot be read makes the outcome unknown and ends the run;
// - every attempt is written to the ledger before its request is sent; a refused write sends
//   nothing;
// - nothing is signed once the credentials are gone or expired.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actions.h"
#include "message.h"

namespace dypls {

// Throttled answers waited out in one run before it gives up.
inline constexpr int kMaxThrottleWaits = 8;
// How long a tab that got the lock keeps reading the ledger before it calls a fresh attempt
// with no outcome (the tab before may have just written it) unknown.
inline constexpr std::int64_t kLedgerSettleMs = 2000;

enum class RunPhase {
  kIdle,            // nothing running; the form may be submitted
  kConfirming,      // the person is reading what will be bought
  kQueued,          // confirmed; another tab is buying in this pool, so this one waits its turn
  kSending,         // one BuySecretNo in flight (or its successor being written ahead)
  kWaiting,         // throttled: waiting until wait_until_ms before the next attempt
  kDone,            // every number bought
  kStopped,         // the person pressed Stop
  kFailed,          // an error more attempts cannot fix
  kOutcomeUnknown,  // the last purchase got no answer: reconcile before anything else
};

enum class AttemptResult { kBought, kFailed, kThrottled, kUnknown };

struct PurchaseAttempt {
  AttemptResult result = AttemptResult::kFailed;
  std::string secret_no;
  std::string code;
  Message message;
  std::size_t log_id = 0;
};

struct PurchaseRun {
  RunPhase phase = RunPhase::kIdle;
  BuyRequest request;
  int quantity = 0;
  int bought = 0;
  bool stop_requested = false;
  std::int64_t wait_until_ms = 0;
  std::int64_t wait_ms = 0;  // the whole current wait, for the countdown bar
  int throttle_streak = 0;
  bool buy_in_console = false;     // the account may not buy by API: it stopped the run
  bool lock_held = false;          // this tab holds the cross-tab purchase lock for the pool
  bool queued_behind_tab = false;  // the person was told another tab has the pool's turn
  std::int64_t lock_held_since_ms = 0;
  std::string attempt_id;  // the ledger attempt in flight, if any
  std::vector<PurchaseAttempt> attempts;
  Message summary;
  std::vector<FieldError> form_errors;  // from the last submit
};

enum class RunEventKind {
  kSubmit,          // the form was submitted: ask for confirmation
  kCancel,          // the confirmation was dismissed
  kConfirm,         // the person confirmed: take the lock, then buy
  kTick,            // time passed: a throttle wait may be over, a queued run asks again
  kStop,            // the person pressed Stop
  kLockAsked,       // the lock is asked for and not answered yet (navigator.locks answers
                    // later): not known to be held elsewhere, so nothing is said
  kLockWaiting,     // another tab holds the pool's lock
  kLockGranted,     // this tab holds it
  kPoolChecked,     // the ledger, read again under the lock
  kAttemptWritten,  // the attempt is in durable storage, as attempt_id
  kWriteRefused,    // storage refused the attempt
  kSendRefused,     // the request could not be signed
  kReply,           // the answer to the BuySecretNo in flight, classified
};

struct RunEvent {
  RunEventKind kind = RunEventKind::kTick;
  // kSubmit: the form as it will be bought, and what is wrong with it.
  BuyRequest request;
  int quantity = 0;
  std::vector<FieldError> form_errors;
  // kSubmit, kConfirm, kPoolChecked: an unknown outcome (or an attempt left without one long
  // enough ago) blocks the pool.
  bool pool_blocked = false;
  // kPoolChecked: only a fresh attempt with no outcome yet, which the tab before may still be
  // recording.
  bool pool_fresh_pending = false;
  // kAttemptWritten.
  std::string attempt_id;
  // kReply: the answer as parsed, the log line it belongs to, and the code the log read (for an
  // answer that names none).
  Answer<BuyAnswer> answer;
  std::size_t log_id = 0;
  std::string logged_code;
  // Any event: why nothing may be signed now (no credentials, or expired); nullopt when usable.
  std::optional<Message> credentials_problem;

  static RunEvent of(RunEventKind kind) {
    RunEvent event;
    event.kind = kind;
    return event;
  }
};

enum class RecordedOutcome { kBought, kNotBought, kUnknown };

enum class RunCommandKind {
  kAcquireLock,    // ask for the pool's cross-tab lock; answer kLockAsked, kLockWaiting or
                   // kLockGranted
  kCheckPool,      // read the ledger again; answer kPoolChecked
  kWriteAttempt,   // record a new attempt for run.request; answer kAttemptWritten/kWriteRefused
  kSendBuy,        // sign BuySecretNo afresh (new nonce, time) and send it; answer kReply or
                   // kSendRefused
  kRecordOutcome,  // write the outcome of the attempt in flight to the ledger
  kNoteBought,     // the number is ours: list it and count it out of the stock shown
  kShowUnknown,    // show the unknown outcome for reconciling (answered on log line log_id)
  kReleaseLock,    // give the pool's lock back (or stop waiting for it)
  kStatus,         // tell the person `message` at `level`
};

struct RunCommand {
  RunCommandKind kind = RunCommandKind::kStatus;
  RecordedOutcome outcome = RecordedOutcome::kUnknown;  // kRecordOutcome
  std::string secret_no;                                // kRecordOutcome (bought), kNoteBought
  std::string code;                                     // kRecordOutcome
  std::string why;                                      // kRecordOutcome (unknown)
  std::size_t log_id = 0;                               // kShowUnknown
  Message message;                                      // kStatus
  StatusLevel level = StatusLevel::kInfo;               // kStatus
};

struct RunStep {
  PurchaseRun run;
  // In order. A command that is answered by an event is always the last one.
  std::vector<RunCommand> commands;
};

// Submit, confirm or stop: a purchase is under way (or awaiting confirmation).
bool run_active(RunPhase phase);

RunStep advance(PurchaseRun run, const RunEvent& event, std::int64_t now_ms);

}  // namespace dypls
