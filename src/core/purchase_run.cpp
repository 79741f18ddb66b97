#include "core/purchase_run.h"

#include <cstdio>
#include <utility>

#include "core/purchase_disposition.h"

namespace dypls {
namespace {

const Message kStopped = {"Stopped.", "已停止。"};
const Message kUnknownPoolBlocks = {"A purchase has an unknown outcome: reconcile it first.",
                                    "有一笔购买结果未知：请先核对。"};
const Message kQueuedBehindTab = {
    "Another tab is buying in this pool: this purchase starts when it is done.",
    "另一个标签页正在此号池购买：它完成后本次购买才开始。"};
const Message kLeftUnknownByTab = {
    "Another tab left a purchase with an unknown outcome in this pool: reconcile it first. "
    "Nothing was sent.",
    "另一个标签页在此号池留下了一笔结果未知的购买：请先核对。未发送任何请求。"};
const Message kWriteRefusedText = {
    "This browser refused to record the purchase (storage full or disabled), so it was not "
    "sent. Free some site storage and try again.",
    "浏览器拒绝记录这笔购买（存储已满或被禁用），因此未发送。请释放网站存储后重试。"};
const Message kNotSigned = {"The purchase could not be signed, so it was not sent.",
                            "无法为这笔购买签名，因此未发送。"};
const Message kNoAnswer = {
    "No answer to the purchase: it may or may not have happened. Reconcile before buying again.",
    "购买没有收到应答：可能已成功，也可能没有。再次购买前请先核对。"};

Message counted(const char* en, const char* zh, int count) {
  return {std::string(en) + std::to_string(count), std::string(zh) + std::to_string(count)};
}

class Stepper {
 public:
  explicit Stepper(PurchaseRun run) { step_.run = std::move(run); }
  PurchaseRun& run() { return step_.run; }
  RunStep take() { return std::move(step_); }

  void command(RunCommandKind kind) {
    RunCommand command;
    command.kind = kind;
    step_.commands.push_back(std::move(command));
  }
  void status(Message message, StatusLevel level) {
    RunCommand command;
    command.kind = RunCommandKind::kStatus;
    command.message = std::move(message);
    command.level = level;
    step_.commands.push_back(std::move(command));
  }
  void record(RecordedOutcome outcome, std::string code, std::string secret_no = {},
              std::string why = {}) {
    RunCommand command;
    command.kind = RunCommandKind::kRecordOutcome;
    command.outcome = outcome;
    command.code = std::move(code);
    command.secret_no = std::move(secret_no);
    command.why = std::move(why);
    step_.commands.push_back(std::move(command));
  }

  void note_bought(std::string secret_no) {
    RunCommand command;
    command.kind = RunCommandKind::kNoteBought;
    command.secret_no = std::move(secret_no);
    step_.commands.push_back(std::move(command));
  }
  void show_unknown(std::size_t log_id) {
    RunCommand command;
    command.kind = RunCommandKind::kShowUnknown;
    command.log_id = log_id;
    step_.commands.push_back(std::move(command));
  }

  // Ends the run: the lock (held or asked for) goes back first.
  void finish(RunPhase phase, Message summary, StatusLevel level) {
    PurchaseRun& run = step_.run;
    if (run.lock_held || run.phase == RunPhase::kQueued) {
      command(RunCommandKind::kReleaseLock);
      run.lock_held = false;
    }
    run.phase = phase;
    run.summary = summary;
    status(std::move(summary), level);
  }

  // The lock first; once held, the ledger is read again before anything is written.
  void take_turn() {
    command(step_.run.lock_held ? RunCommandKind::kCheckPool : RunCommandKind::kAcquireLock);
  }

  // A new attempt: nothing is signed with credentials that are gone or expired.
  void begin_attempt(const std::optional<Message>& credentials_problem) {
    if (credentials_problem) {
      finish(RunPhase::kFailed, *credentials_problem, StatusLevel::kError);
      return;
    }
    command(RunCommandKind::kWriteAttempt);
  }

 private:
  RunStep step_;
};

// The phases in which this tab is on its way to write an attempt: the lock and the ledger's
// answers count only then.
bool before_attempt(const PurchaseRun& run) {
  return run.attempt_id.empty() &&
         (run.phase == RunPhase::kConfirming || run.phase == RunPhase::kQueued ||
          run.phase == RunPhase::kWaiting || run.phase == RunPhase::kSending);
}

bool taking_turn(const PurchaseRun& run) {
  return run.phase == RunPhase::kConfirming || run.phase == RunPhase::kQueued;
}

void on_reply(Stepper& step, const RunEvent& event, std::int64_t now_ms) {
  PurchaseRun& run = step.run();
  const PurchaseDisposition disposition = purchase_disposition(event.answer, run.throttle_streak);
  PurchaseAttempt attempt;
  attempt.log_id = event.log_id;
  attempt.code = disposition.code.empty() ? event.logged_code : disposition.code;
  attempt.message = disposition.message;
  run.attempt_id.clear();

  switch (disposition.verdict) {
    case PurchaseVerdict::kBought:
      attempt.result = AttemptResult::kBought;
      attempt.secret_no = disposition.secret_no;
      run.attempts.push_back(attempt);
      ++run.bought;
      run.throttle_streak = 0;
      step.record(RecordedOutcome::kBought, "OK", attempt.secret_no);
      step.note_bought(attempt.secret_no);
      if (run.bought >= run.quantity) {
        step.finish(RunPhase::kDone, counted("Bought: ", "已购买：", run.bought),
                    StatusLevel::kSuccess);
      } else if (run.stop_requested) {
        step.finish(RunPhase::kStopped,
                    counted("Stopped. Bought: ", "已停止。已购买：", run.bought),
                    StatusLevel::kInfo);
      } else {
        step.begin_attempt(event.credentials_problem);
      }
      return;
    case PurchaseVerdict::kUnknown: {
      attempt.result = AttemptResult::kUnknown;
      run.attempts.push_back(attempt);
      const bool no_answer =
          event.answer.error && event.answer.error->kind == ErrorKind::kTransport;
      step.record(RecordedOutcome::kUnknown, attempt.code, {},
                  no_answer ? "no answer: " + event.answer.error->message
                            : "the answer could not be trusted: " + attempt.code);
      step.show_unknown(event.log_id);
      step.finish(RunPhase::kOutcomeUnknown, kNoAnswer, StatusLevel::kWarning);
      return;
    }
    case PurchaseVerdict::kThrottled:
      if (!run.stop_requested && run.throttle_streak < kMaxThrottleWaits) {
        // Refused, not carried out: wait as told (bounded), then buy with a fresh signature.
        step.record(RecordedOutcome::kNotBought, attempt.code);
        attempt.result = AttemptResult::kThrottled;
        run.attempts.push_back(attempt);
        ++run.throttle_streak;
        run.wait_ms = disposition.wait_ms;
        run.wait_until_ms = now_ms + disposition.wait_ms;
        run.phase = RunPhase::kWaiting;
        char seconds[32];
        (void)std::snprintf(seconds, sizeof seconds, "%.1f s",
                            static_cast<double>(disposition.wait_ms) / 1000.0);
        step.status({std::string("Throttled: retrying in ") + seconds,
                     std::string("被限流：") + seconds + " 后重试"},
                    StatusLevel::kWarning);
        return;
      }
      break;
    case PurchaseVerdict::kNotBought:
      break;
  }
  step.record(RecordedOutcome::kNotBought, attempt.code);
  attempt.result = AttemptResult::kFailed;
  run.attempts.push_back(attempt);
  run.buy_in_console = disposition.buy_in_console;
  step.finish(run.stop_requested ? RunPhase::kStopped : RunPhase::kFailed, attempt.message,
              StatusLevel::kError);
}

}  // namespace

bool run_active(RunPhase phase) {
  return phase == RunPhase::kConfirming || phase == RunPhase::kSending ||
         phase == RunPhase::kWaiting || phase == RunPhase::kQueued;
}

RunStep advance(PurchaseRun run_in, const RunEvent& event, std::int64_t now_ms) {
  Stepper step(std::move(run_in));
  PurchaseRun& run = step.run();
  switch (event.kind) {
    case RunEventKind::kSubmit:
      if (run_active(run.phase)) break;  // one purchase at a time; a second click changes nothing
      if (event.pool_blocked) {
        step.status(kUnknownPoolBlocks, StatusLevel::kWarning);
        break;
      }
      run.form_errors = event.form_errors;
      if (!run.form_errors.empty()) {
        step.status(run.form_errors.front().message, StatusLevel::kError);
        break;
      }
      if (event.credentials_problem) {
        step.status(*event.credentials_problem, StatusLevel::kError);
        break;
      }
      run = PurchaseRun{};
      run.phase = RunPhase::kConfirming;
      run.request = event.request;
      run.quantity = event.quantity;
      break;
    case RunEventKind::kCancel:
      if (run.phase == RunPhase::kConfirming) run.phase = RunPhase::kIdle;
      break;
    case RunEventKind::kConfirm:
      if (run.phase == RunPhase::kConfirming && !event.pool_blocked) step.take_turn();
      break;
    case RunEventKind::kTick:
      if (run.phase == RunPhase::kQueued) {
        step.take_turn();
      } else if (run.phase == RunPhase::kWaiting && run.stop_requested) {
        step.finish(RunPhase::kStopped, kStopped, StatusLevel::kInfo);
      } else if (run.phase == RunPhase::kWaiting && now_ms >= run.wait_until_ms) {
        step.begin_attempt(event.credentials_problem);
      }
      break;
    case RunEventKind::kStop:
      if (run.phase == RunPhase::kWaiting || run.phase == RunPhase::kQueued) {
        step.finish(RunPhase::kStopped, kStopped, StatusLevel::kInfo);
      } else if (run.phase == RunPhase::kSending) {
        run.stop_requested = true;  // the purchase in flight finishes; nothing more is sent
      }
      break;
    case RunEventKind::kLockAsked:
      if (taking_turn(run)) run.phase = RunPhase::kQueued;
      break;
    case RunEventKind::kLockWaiting:
      // Said once, and only once another tab is seen to hold the lock: a browser that grants it
      // a moment later is no other tab.
      if (taking_turn(run) && !run.queued_behind_tab) {
        run.phase = RunPhase::kQueued;
        run.queued_behind_tab = true;
        step.status(kQueuedBehindTab, StatusLevel::kInfo);
      }
      break;
    case RunEventKind::kLockGranted:
      if (!taking_turn(run)) {
        step.command(RunCommandKind::kReleaseLock);  // nothing waits for it any more
        break;
      }
      run.lock_held = true;
      run.lock_held_since_ms = now_ms;
      step.command(RunCommandKind::kCheckPool);
      break;
    case RunEventKind::kPoolChecked:
      if (!taking_turn(run) || !run.lock_held) break;
      if (event.pool_blocked) {
        step.finish(RunPhase::kFailed, kLeftUnknownByTab, StatusLevel::kWarning);
      } else if (event.pool_fresh_pending) {
        // The tab before may have written its outcome a moment before giving up the lock, and
        // this tab's copy of storage may not show it yet: look again for a moment before
        // calling it unknown.
        if (now_ms - run.lock_held_since_ms < kLedgerSettleMs) {
          run.phase = RunPhase::kQueued;
          run.queued_behind_tab = true;  // the tab before is still finishing its purchase
        } else {
          step.finish(RunPhase::kFailed, kLeftUnknownByTab, StatusLevel::kWarning);
        }
      } else {
        step.begin_attempt(event.credentials_problem);
      }
      break;
    case RunEventKind::kAttemptWritten:
      if (!before_attempt(run) || event.attempt_id.empty()) break;
      run.attempt_id = event.attempt_id;
      run.phase = RunPhase::kSending;
      step.command(RunCommandKind::kSendBuy);
      break;
    case RunEventKind::kWriteRefused:
      if (before_attempt(run)) {
        step.finish(RunPhase::kFailed, kWriteRefusedText, StatusLevel::kError);
      }
      break;
    case RunEventKind::kSendRefused:
      if (run.phase != RunPhase::kSending || run.attempt_id.empty()) break;
      step.record(RecordedOutcome::kNotBought, "NotSent");
      run.attempt_id.clear();
      step.finish(RunPhase::kFailed, event.credentials_problem.value_or(kNotSigned),
                  StatusLevel::kError);
      break;
    case RunEventKind::kReply:
      // Only the answer to the purchase in flight counts.
      if (run.phase == RunPhase::kSending && !run.attempt_id.empty()) on_reply(step, event, now_ms);
      break;
  }
  return step.take();
}

}  // namespace dypls
