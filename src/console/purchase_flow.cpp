#include "purchase_flow.h"

#include <utility>

#include "core/purchase_run.h"
#include "trimmed.h"

namespace dypls::console {
namespace {

BuyRequest request_of(const BuyForm& form) {
  return BuyRequest{trimmed(form.pool_key), form.spec_id, trimmed(form.city), trimmed(form.prefix),
                    form.display_pool};
}

}  // namespace

std::vector<FieldError> buy_form_errors(const BuyForm& form) {
  std::vector<FieldError> errors = validate(request_of(form));
  if (form.quantity < 1 || form.quantity > kMaxQuantity) {
    errors.push_back(
        {"Quantity", {"Quantity must be between 1 and 100.", "数量须在 1 到 100 之间。"}});
  }
  return errors;
}

PurchaseFlow::PurchaseFlow(PurchaseRun& run, Clock& clock, NonceSource& nonces, PurchaseLock& lock,
                           Hooks hooks)
    : run_(run), clock_(clock), nonces_(nonces), lock_(lock), hooks_(std::move(hooks)) {}

std::int64_t PurchaseFlow::ledger_now() const {
  return clock_.now_ms() + hooks_.clock_offset();
}

// Blocked by what the page shows as unknown in the form's pool; another tab's purchase in flight
// lets the form be confirmed (the run then waits for the lock, and looks again holding it).
bool PurchaseFlow::blocked(const BuyForm& form) const {
  return hooks_.unknown_in_pool(trimmed(form.pool_key));
}

bool PurchaseFlow::in_flight() const {
  return run_.phase == RunPhase::kSending || run_.phase == RunPhase::kWaiting ||
         run_.phase == RunPhase::kQueued;
}

bool PurchaseFlow::sending() const {
  return run_.phase == RunPhase::kSending || run_.phase == RunPhase::kWaiting;
}

bool PurchaseFlow::submit(const BuyForm& form) {
  const bool was_active = run_active(run_.phase);
  RunEvent submit = RunEvent::of(RunEventKind::kSubmit);
  submit.request = request_of(form);
  submit.quantity = form.quantity;
  submit.form_errors = buy_form_errors(form);
  submit.pool_blocked = blocked(form);
  run_event(std::move(submit));
  return !was_active && run_.phase == RunPhase::kConfirming;
}

void PurchaseFlow::cancel() {
  run_event(RunEvent::of(RunEventKind::kCancel));
}

bool PurchaseFlow::confirm(const BuyForm& form) {
  if (run_.phase != RunPhase::kConfirming) return false;  // a double click
  RunEvent confirm = RunEvent::of(RunEventKind::kConfirm);
  confirm.pool_blocked = blocked(form);
  run_event(std::move(confirm));
  return run_.phase == RunPhase::kSending || run_.phase == RunPhase::kQueued;
}

void PurchaseFlow::stop() {
  run_event(RunEvent::of(RunEventKind::kStop));
}

void PurchaseFlow::tick() {
  // Only a queued or waiting run has anything to do as time passes.
  if (run_.phase == RunPhase::kQueued || run_.phase == RunPhase::kWaiting) {
    run_event(RunEvent::of(RunEventKind::kTick));
  }
}

std::string PurchaseFlow::lock_name_for(const std::string& pool) const {
  return "dypls-buy " + hooks_.ledger_origin() + " " + pool;
}

LockSighting PurchaseFlow::lock_sighting(const std::string& pool) const {
  const std::string name = lock_name_for(pool);
  const std::int64_t offset = hooks_.clock_offset();
  if (run_.lock_held && held_lock_ == name) {
    return {LockSeen::kHeldHere, run_.lock_held_since_ms + offset};
  }
  const LockView view = lock_.peek(name);
  switch (view.state) {
    case LockPeek::kHeldElsewhere:
      return {LockSeen::kHeldElsewhere, view.since_ms + offset};
    case LockPeek::kFree:
      return {LockSeen::kFree, view.since_ms + offset};
    case LockPeek::kNotKnown:
      break;
  }
  return {};
}

std::optional<LedgerAttempt> PurchaseFlow::own_attempt() const {
  if (run_.attempt_id.empty()) return std::nullopt;
  return current_attempt_;
}

void PurchaseFlow::nothing_unknown() {
  if (run_.phase == RunPhase::kOutcomeUnknown) run_.phase = RunPhase::kIdle;
}

void PurchaseFlow::take_verdict(bool run_ended_unknown, bool bought, const std::string& secret_no,
                                const Message& why) {
  nothing_unknown();
  if (!run_ended_unknown) return;
  run_.summary = why;
  if (run_.attempts.empty() || run_.attempts.back().result != AttemptResult::kUnknown) return;
  PurchaseAttempt& last = run_.attempts.back();
  last.result = bought ? AttemptResult::kBought : AttemptResult::kFailed;
  last.secret_no = bought ? secret_no : std::string();
  last.message = why;
  if (bought) ++run_.bought;
}

// The run's state changes only here, by the pure transition; every command that answers with an
// event comes last, so the events it feeds back see the state it left.
void PurchaseFlow::run_event(RunEvent event) {
  event.credentials_problem = hooks_.credentials_problem();
  RunStep step = advance(run_, event, clock_.now_ms());
  run_ = std::move(step.run);
  for (const RunCommand& command : step.commands) carry_out(command);
}

void PurchaseFlow::carry_out(const RunCommand& command) {
  switch (command.kind) {
    case RunCommandKind::kAcquireLock: {
      held_lock_ = lock_name_for(run_.request.pool_key);
      const LockState lock = lock_.acquire(held_lock_);
      run_event(RunEvent::of(lock == LockState::kHeld    ? RunEventKind::kLockGranted
                             : lock == LockState::kAsked ? RunEventKind::kLockAsked
                                                         : RunEventKind::kLockWaiting));
      return;
    }
    case RunCommandKind::kCheckPool: {
      // Another tab may have left an unknown outcome in this pool while this one waited.
      const PoolCheck check = hooks_.check_pool(run_.request.pool_key);
      RunEvent checked = RunEvent::of(RunEventKind::kPoolChecked);
      checked.pool_blocked = check.blocked;
      checked.pool_fresh_pending = check.fresh_pending;
      run_event(std::move(checked));
      return;
    }
    case RunCommandKind::kWriteAttempt:
      write_attempt();
      return;
    case RunCommandKind::kSendBuy:
      send_purchase();
      return;
    case RunCommandKind::kRecordOutcome:
      current_attempt_.outcome_ms = ledger_now();
      current_attempt_.code = command.code;
      current_attempt_.outcome = command.outcome == RecordedOutcome::kBought ? Outcome::kBought
                                 : command.outcome == RecordedOutcome::kUnknown
                                     ? Outcome::kUnknown
                                     : Outcome::kNotBought;
      if (command.outcome == RecordedOutcome::kBought)
        current_attempt_.secret_no = command.secret_no;
      if (command.outcome == RecordedOutcome::kUnknown) current_attempt_.why = command.why;
      hooks_.write_attempt(current_attempt_);
      return;
    case RunCommandKind::kNoteBought:
      hooks_.note_bought(command.secret_no, run_.request, current_attempt_.id);
      return;
    case RunCommandKind::kShowUnknown:
      // The stock before comes from the attempt's record.
      hooks_.show_unknown(current_attempt_.id, command.log_id);
      return;
    case RunCommandKind::kReleaseLock:
      lock_.release(held_lock_);
      return;
    case RunCommandKind::kStatus:
      hooks_.tell(Notice{command.message, command.level});
      return;
  }
}

// Written ahead: the attempt is in durable storage before its request leaves.
void PurchaseFlow::write_attempt() {
  LedgerAttempt attempt;
  attempt.started_ms = ledger_now();
  attempt.id = std::to_string(attempt.started_ms) + "-" + nonces_.next().substr(0, 12);
  attempt.pool_key = run_.request.pool_key;
  attempt.spec_id = run_.request.spec_id;
  attempt.city = run_.request.city;
  attempt.prefix = run_.request.secret_no_prefix;
  attempt.display_pool = run_.request.display_pool.value_or(false);
  attempt.key_id = hooks_.masked_key_id();
  // The stock known now, kept with the attempt: a reload must not lose the figure "before".
  attempt.stock_before = hooks_.stock_before(run_.request);
  if (!hooks_.write_attempt(attempt)) {
    run_event(RunEvent::of(RunEventKind::kWriteRefused));
    return;
  }
  current_attempt_ = attempt;
  RunEvent written = RunEvent::of(RunEventKind::kAttemptWritten);
  written.attempt_id = attempt.id;
  run_event(std::move(written));
}

void PurchaseFlow::send_purchase() {
  const bool sent =
      hooks_.send(to_spec(run_.request), [this](const ApiReply& reply, LogEntry& entry) {
        RunEvent event = RunEvent::of(RunEventKind::kReply);
        event.answer = answer_of(reply, &parse_buy_answer);
        // An OK without its number is an error only the typed reading sees: the log shows it too.
        if (event.answer.error && !entry.error) entry.error = event.answer.error;
        event.log_id = reply.log_id;
        event.logged_code = reply.code;
        run_event(std::move(event));  // may log more requests: `entry` is not used after this
      });
  if (!sent) run_event(RunEvent::of(RunEventKind::kSendRefused));
}

}  // namespace dypls::console
