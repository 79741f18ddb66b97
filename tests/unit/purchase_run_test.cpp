// The purchase run's transitions as a table: {where the run is, what happens, where it must
// end up, which commands it must ask for}. Replies are real answers (status, body, wait headers)
// read by the same parser the console uses, so a change in classification shows up here too.
// Adding a case is one line in kRows; a row naming kEveryReply expands to one case per reply in
// kReplies (the run must ignore an answer it is not waiting for). The TableSize test prints how
// many rows and cases there are (146 rows, 602 cases when this was written).
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/api_error.h"
#include "core/purchase_run.h"

namespace dypls {
namespace {

constexpr std::int64_t kNow = 1000000;
constexpr const char* kEveryReply = "*every reply*";
const Message kExpired = {"Credentials expired.", "凭证已过期。"};

// ---------------------------------------------------------------- where the run is

enum class At {
  kIdle,
  kConfirming,
  kConfirmingLockHeld,  // confirmed, the lock just granted: the ledger is being read
  kQueuedAsked,         // the lock asked for, the browser has not answered: nothing said
  kQueuedAsking,        // waiting for another tab's lock, and told so
  kQueuedSettling,      // lock held a moment ago; a fresh attempt with no outcome is in the pool
  kQueuedSettled,       // lock held for kLedgerSettleMs already
  kSendingLast,         // 1 of 1 in flight
  kSendingMore,         // 1 of 3 in flight
  kSendingStop,         // in flight, Stop pressed
  kSendingCap,          // in flight after kMaxThrottleWaits throttled answers
  kWritingNext,         // 1 of 3 bought, the next attempt not yet written
  kWaiting,             // throttled, the wait not over
  kWaitOver,            // throttled, the wait over
  kWaitingStop,         // throttled, Stop pressed
  kDone,
  kStopped,
  kFailed,
  kOutcomeUnknown,
};

const char* name_of(At at) {
  switch (at) {
    case At::kIdle:
      return "idle";
    case At::kConfirming:
      return "confirming";
    case At::kConfirmingLockHeld:
      return "confirming_lock_held";
    case At::kQueuedAsked:
      return "queued_asked";
    case At::kQueuedAsking:
      return "queued_asking";
    case At::kQueuedSettling:
      return "queued_settling";
    case At::kQueuedSettled:
      return "queued_settled";
    case At::kSendingLast:
      return "sending_1_of_1";
    case At::kSendingMore:
      return "sending_1_of_3";
    case At::kSendingStop:
      return "sending_stop_pressed";
    case At::kSendingCap:
      return "sending_at_throttle_cap";
    case At::kWritingNext:
      return "writing_next";
    case At::kWaiting:
      return "waiting";
    case At::kWaitOver:
      return "wait_over";
    case At::kWaitingStop:
      return "waiting_stop_pressed";
    case At::kDone:
      return "done";
    case At::kStopped:
      return "stopped";
    case At::kFailed:
      return "failed";
    case At::kOutcomeUnknown:
      return "outcome_unknown";
  }
  return "?";
}

PurchaseRun run_at(At at) {
  PurchaseRun run;
  run.request = BuyRequest{"FC100000001", 1, "杭州", "", std::nullopt};
  run.quantity = 1;
  const auto sending = [&run](int quantity) {
    run.phase = RunPhase::kSending;
    run.lock_held = true;
    run.attempt_id = "attempt-1";
    run.quantity = quantity;
  };
  const auto waiting = [&run](std::int64_t until) {
    run.phase = RunPhase::kWaiting;
    run.lock_held = true;
    run.throttle_streak = 1;
    run.wait_until_ms = until;
  };
  switch (at) {
    case At::kIdle:
      break;
    case At::kConfirming:
      run.phase = RunPhase::kConfirming;
      break;
    case At::kConfirmingLockHeld:
      run.phase = RunPhase::kConfirming;
      run.lock_held = true;
      run.lock_held_since_ms = kNow;
      break;
    case At::kQueuedAsked:
      run.phase = RunPhase::kQueued;
      break;
    case At::kQueuedAsking:
      run.phase = RunPhase::kQueued;
      run.queued_behind_tab = true;
      break;
    case At::kQueuedSettling:
      run.phase = RunPhase::kQueued;
      run.lock_held = true;
      run.lock_held_since_ms = kNow - 100;
      break;
    case At::kQueuedSettled:
      run.phase = RunPhase::kQueued;
      run.lock_held = true;
      run.lock_held_since_ms = kNow - kLedgerSettleMs;
      break;
    case At::kSendingLast:
      sending(1);
      break;
    case At::kSendingMore:
      sending(3);
      break;
    case At::kSendingStop:
      sending(3);
      run.stop_requested = true;
      break;
    case At::kSendingCap:
      sending(1);
      run.throttle_streak = kMaxThrottleWaits;
      break;
    case At::kWritingNext:
      sending(3);
      run.attempt_id.clear();
      run.bought = 1;
      break;
    case At::kWaiting:
      waiting(kNow + 500);
      break;
    case At::kWaitOver:
      waiting(kNow);
      break;
    case At::kWaitingStop:
      waiting(kNow + 500);
      run.stop_requested = true;
      break;
    case At::kDone:
      run.phase = RunPhase::kDone;
      break;
    case At::kStopped:
      run.phase = RunPhase::kStopped;
      break;
    case At::kFailed:
      run.phase = RunPhase::kFailed;
      break;
    case At::kOutcomeUnknown:
      run.phase = RunPhase::kOutcomeUnknown;
      break;
  }
  return run;
}

// ---------------------------------------------------------------- what happens

// One kind of answer to BuySecretNo, as it arrives. `reached` is the relay contract's "did the
// request reach the upstream?" column, for the reader (docs/contracts.md).
struct Reply {
  const char* name;
  int status;  // 0: no answer at all
  const char* body;
  const char* acs_retry_after_ms = nullptr;
  const char* retry_after_s = nullptr;
};

const Reply kReplies[] = {
    {"OK_with_number", 200,
     R"({"RequestId":"r","Code":"OK","SecretBuyInfoDTO":{"SecretNo":"17100000001"}})"},
    {"OK_without_number", 200, R"({"RequestId":"r","Code":"OK"})"},
    {"OK_with_empty_number", 200,
     R"({"RequestId":"r","Code":"OK","SecretBuyInfoDTO":{"SecretNo":""}})"},
    {"isv.NO_AVAILABLE_NUMBER", 200, R"({"Code":"isv.NO_AVAILABLE_NUMBER","Message":"none"})"},
    {"isv.BUY_NUM_OVER_LIMIT", 200, R"({"Code":"isv.BUY_NUM_OVER_LIMIT","Message":"limit"})"},
    {"isv.POOLKEY_NOT_EXISTS", 200, R"({"Code":"isv.POOLKEY_NOT_EXISTS","Message":"pool"})"},
    {"isv.FLOW_LIMIT", 200, R"({"Code":"isv.FLOW_LIMIT","Message":"slow down"})"},
    {"isp.SYSTEM_ERROR_200", 200, R"({"Code":"isp.SYSTEM_ERROR","Message":"oops"})"},
    {"Throttling_acs_2500ms", 400, R"({"Code":"Throttling.User","Message":"slow"})", "2500"},
    {"Throttling_no_wait", 400, R"({"Code":"Throttling.User","Message":"slow"})"},
    {"Throttling_429_acs_10ms", 429, R"({"Code":"Throttling","Message":"slow"})", "10"},
    {"Throttling_acs_huge", 400, R"({"Code":"Throttling.Api","Message":"slow"})", "99999999"},
    {"Throttling_retry_after_3s", 400, R"({"Code":"Throttling","Message":"slow"})", nullptr, "3"},
    {"SignatureDoesNotMatch_400", 400,
     R"({"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched"})"},
    {"InvalidAccessKeyId.NotFound_404", 404,
     R"({"Code":"InvalidAccessKeyId.NotFound","Message":"no key"})"},
    {"InvalidSecurityToken.Expired_400", 400,
     R"({"Code":"InvalidSecurityToken.Expired","Message":"expired"})"},
    {"RamPermissionDenied_400", 400, R"({"Code":"RamPermissionDenied","Message":"deny"})"},
    {"Forbidden.RAM_403", 403, R"({"Code":"Forbidden.RAM","Message":"deny"})"},
    {"Forbidden.Action_403", 403, R"({"Code":"Forbidden.Action","Message":"no"})"},
    {"InternalError_500", 500, R"({"Code":"InternalError","Message":"oops"})"},
    {"ServiceUnavailable_503", 503, R"({"Code":"ServiceUnavailable","Message":"later"})"},
    {"status_0", 0, ""},
    {"unreadable_200", 200, "{\"Code\":\"OK\",\"Secret"},
    {"html_502", 502, "<html><body>502 Bad Gateway</body></html>"},
    {"empty_400", 400, ""},
    // The relay's own codes; reached the upstream: no.
    {"Relay.OriginNotAllowed", 403, R"({"Code":"Relay.OriginNotAllowed","Message":"m"})"},
    {"Relay.ActionNotAllowed", 403, R"({"Code":"Relay.ActionNotAllowed","Message":"m"})"},
    {"Relay.VersionNotAllowed", 403, R"({"Code":"Relay.VersionNotAllowed","Message":"m"})"},
    {"Relay.BadRequest", 400, R"({"Code":"Relay.BadRequest","Message":"m"})"},
    {"Relay.NotFound", 404, R"({"Code":"Relay.NotFound","Message":"m"})"},
    {"Relay.MisdirectedHost", 421, R"({"Code":"Relay.MisdirectedHost","Message":"m"})"},
    {"Relay.PayloadTooLarge", 413, R"({"Code":"Relay.PayloadTooLarge","Message":"m"})"},
    {"Relay.RateLimited", 429, R"({"Code":"Relay.RateLimited","Message":"m"})", nullptr, "2"},
    {"Relay.Busy", 503, R"({"Code":"Relay.Busy","Message":"m"})", nullptr, "1"},
    {"Relay.UpstreamUnreachable", 502, R"({"Code":"Relay.UpstreamUnreachable","Message":"m"})"},
    // Reached the upstream: unknown.
    {"Relay.UpstreamTimeout", 504, R"({"Code":"Relay.UpstreamTimeout","Message":"m"})"},
    {"Relay.UpstreamConnectionLost", 502,
     R"({"Code":"Relay.UpstreamConnectionLost","Message":"m","HostId":"nginx"})"},
    {"Relay.UpstreamBadAnswer", 502, R"({"Code":"Relay.UpstreamBadAnswer","Message":"m"})"},
    {"Relay.InternalError", 500, R"({"Code":"Relay.InternalError","Message":"m"})"},
};

std::optional<std::string> header(const char* value) {
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

RunEvent reply_event(const Reply& reply) {
  RunEvent event = RunEvent::of(RunEventKind::kReply);
  if (reply.status == 0) {
    event.answer.error = transport_error("timeout");
  } else {
    event.answer = parse_buy_answer(
        reply.status, reply.body,
        RetryAfterHeaders{header(reply.acs_retry_after_ms), header(reply.retry_after_s)});
  }
  event.log_id = 7;
  return event;
}

struct Happening {
  std::string name;
  RunEvent event;
};

Happening on(RunEventKind kind, const char* name) {
  return {name, RunEvent::of(kind)};
}

Happening reply(const char* name) {
  if (std::string(name) == kEveryReply) return {name, {}};
  for (const Reply& r : kReplies) {
    if (std::string(r.name) == name) return {std::string("reply_") + name, reply_event(r)};
  }
  std::cerr << "no reply named " << name << " in kReplies\n";
  std::abort();
}

Happening expired(Happening happening) {
  happening.name += "_credentials_expired";
  happening.event.credentials_problem = kExpired;
  return happening;
}

Happening submit(const char* name, bool blocked = false, bool bad_form = false) {
  Happening happening = on(RunEventKind::kSubmit, name);
  happening.event.request = BuyRequest{"FC100000002", 2, "上海", "", std::nullopt};
  happening.event.quantity = 2;
  happening.event.pool_blocked = blocked;
  if (bad_form) happening.event.form_errors.push_back({"City", {"City is empty.", "城市为空。"}});
  return happening;
}

Happening confirm(bool blocked) {
  Happening happening = on(RunEventKind::kConfirm, blocked ? "confirm_pool_blocked" : "confirm");
  happening.event.pool_blocked = blocked;
  return happening;
}

Happening pool(bool blocked, bool fresh_pending) {
  Happening happening = on(RunEventKind::kPoolChecked, blocked         ? "pool_blocked"
                                                       : fresh_pending ? "pool_fresh_pending"
                                                                       : "pool_clear");
  happening.event.pool_blocked = blocked;
  happening.event.pool_fresh_pending = fresh_pending;
  return happening;
}

Happening written() {
  Happening happening = on(RunEventKind::kAttemptWritten, "attempt_written");
  happening.event.attempt_id = "attempt-2";
  return happening;
}

// ---------------------------------------------------------------- what must come of it

// What a row checks beyond the phase and the commands.
enum class Also {
  kNothing,
  kStopRequested,
  kBuyInConsole,
  kLockHeld,
  kNewRun,
  kToldQueued,
  kNotToldQueued
};

struct Row {
  At at;
  Happening happening;
  RunPhase phase;             // expected
  const char* commands;       // expected, as describe() writes them
  std::int64_t wait_ms = -1;  // expected run.wait_ms when >= 0
  Also also = Also::kNothing;
};

std::string describe(const std::vector<RunCommand>& commands) {
  std::string out;
  for (const RunCommand& c : commands) {
    if (!out.empty()) out += ' ';
    switch (c.kind) {
      case RunCommandKind::kAcquireLock:
        out += "acquire";
        break;
      case RunCommandKind::kCheckPool:
        out += "check";
        break;
      case RunCommandKind::kWriteAttempt:
        out += "write";
        break;
      case RunCommandKind::kSendBuy:
        out += "send";
        break;
      case RunCommandKind::kRecordOutcome:
        out += c.outcome == RecordedOutcome::kBought      ? "record:bought"
               : c.outcome == RecordedOutcome::kNotBought ? "record:not-bought"
                                                          : "record:unknown";
        break;
      case RunCommandKind::kNoteBought:
        out += "note:" + c.secret_no;
        break;
      case RunCommandKind::kShowUnknown:
        out += "unknown";
        break;
      case RunCommandKind::kReleaseLock:
        out += "release";
        break;
      case RunCommandKind::kStatus:
        out += c.level == StatusLevel::kInfo      ? "status:info"
               : c.level == StatusLevel::kSuccess ? "status:success"
               : c.level == StatusLevel::kWarning ? "status:warning"
                                                  : "status:error";
        break;
    }
  }
  return out;
}

constexpr const char* kBoughtLast = "record:bought note:17100000001 release status:success";
constexpr const char* kNotBought = "record:not-bought release status:error";
constexpr const char* kUnknown = "record:unknown unknown release status:warning";
constexpr const char* kThrottled = "record:not-bought status:warning";
constexpr const char* kEnded = "release status:error";

using P = RunPhase;

// clang-format off
const Row kRows[] = {
    // Submit; a second submit while one runs changes nothing.
    {At::kIdle, submit("submit"), P::kConfirming, "", -1, Also::kNewRun},
    {At::kIdle, submit("submit_pool_blocked", true), P::kIdle, "status:warning"},
    {At::kIdle, submit("submit_bad_form", false, true), P::kIdle, "status:error"},
    {At::kIdle, expired(submit("submit")), P::kIdle, "status:error"},
    {At::kDone, submit("submit"), P::kConfirming, "", -1, Also::kNewRun},
    {At::kStopped, submit("submit"), P::kConfirming, "", -1, Also::kNewRun},
    {At::kFailed, submit("submit"), P::kConfirming, "", -1, Also::kNewRun},
    {At::kOutcomeUnknown, submit("submit_pool_blocked", true), P::kOutcomeUnknown, "status:warning"},
    {At::kConfirming, submit("double_submit"), P::kConfirming, ""},
    {At::kQueuedAsking, submit("double_submit"), P::kQueued, ""},
    {At::kSendingLast, submit("double_submit"), P::kSending, ""},
    {At::kWaiting, submit("double_submit"), P::kWaiting, ""},
    {At::kWritingNext, submit("double_submit"), P::kSending, ""},
    // Cancel.
    {At::kConfirming, on(RunEventKind::kCancel, "cancel"), P::kIdle, ""},
    {At::kQueuedAsking, on(RunEventKind::kCancel, "cancel"), P::kQueued, ""},
    {At::kSendingLast, on(RunEventKind::kCancel, "cancel"), P::kSending, ""},
    // Confirm: the lock first; a second confirm (double click) sends nothing more.
    {At::kConfirming, confirm(false), P::kConfirming, "acquire"},
    {At::kConfirming, confirm(true), P::kConfirming, ""},
    {At::kQueuedAsking, confirm(false), P::kQueued, ""},
    {At::kConfirmingLockHeld, confirm(false), P::kConfirming, "check"},
    {At::kSendingLast, confirm(false), P::kSending, ""},
    {At::kWritingNext, confirm(false), P::kSending, ""},
    {At::kWaiting, confirm(false), P::kWaiting, ""},
    {At::kIdle, confirm(false), P::kIdle, ""},
    {At::kDone, confirm(false), P::kDone, ""},
    {At::kOutcomeUnknown, confirm(false), P::kOutcomeUnknown, ""},
    // The cross-tab lock.
    // navigator.locks answers later: asked and not answered is queued, and says nothing; once
    // another tab is seen to hold the lock the person is told, once.
    {At::kConfirming, on(RunEventKind::kLockAsked, "lock_asked"), P::kQueued, "", -1, Also::kNotToldQueued},
    {At::kQueuedAsked, on(RunEventKind::kLockAsked, "lock_asked"), P::kQueued, "", -1, Also::kNotToldQueued},
    {At::kQueuedAsking, on(RunEventKind::kLockAsked, "lock_asked"), P::kQueued, "", -1, Also::kToldQueued},
    {At::kSendingLast, on(RunEventKind::kLockAsked, "lock_asked"), P::kSending, ""},
    {At::kIdle, on(RunEventKind::kLockAsked, "lock_asked"), P::kIdle, ""},
    {At::kConfirming, on(RunEventKind::kLockWaiting, "lock_waiting"), P::kQueued, "status:info", -1, Also::kToldQueued},
    {At::kQueuedAsked, on(RunEventKind::kLockWaiting, "lock_waiting"), P::kQueued, "status:info", -1, Also::kToldQueued},
    {At::kQueuedAsking, on(RunEventKind::kLockWaiting, "lock_waiting"), P::kQueued, ""},
    {At::kQueuedAsked, on(RunEventKind::kLockGranted, "lock_granted"), P::kQueued, "check", -1, Also::kLockHeld},
    {At::kConfirming, on(RunEventKind::kLockGranted, "lock_granted"), P::kConfirming, "check", -1, Also::kLockHeld},
    {At::kQueuedAsking, on(RunEventKind::kLockGranted, "lock_granted"), P::kQueued, "check", -1, Also::kLockHeld},
    {At::kIdle, on(RunEventKind::kLockGranted, "lock_granted"), P::kIdle, "release"},
    {At::kStopped, on(RunEventKind::kLockGranted, "lock_granted"), P::kStopped, "release"},
    {At::kSendingLast, on(RunEventKind::kLockWaiting, "lock_waiting"), P::kSending, ""},
    // The ledger read again under the lock.
    {At::kConfirmingLockHeld, pool(false, false), P::kConfirming, "write"},
    {At::kConfirmingLockHeld, expired(pool(false, false)), P::kFailed, kEnded},
    {At::kConfirmingLockHeld, pool(true, false), P::kFailed, "release status:warning"},
    {At::kConfirmingLockHeld, pool(false, true), P::kQueued, "", -1, Also::kToldQueued},
    {At::kQueuedSettling, pool(false, false), P::kQueued, "write"},
    {At::kQueuedSettling, pool(false, true), P::kQueued, ""},
    {At::kQueuedSettling, pool(true, false), P::kFailed, "release status:warning"},
    {At::kQueuedSettled, pool(false, true), P::kFailed, "release status:warning"},
    {At::kQueuedAsking, pool(false, false), P::kQueued, ""},
    {At::kConfirming, pool(false, false), P::kConfirming, ""},
    {At::kIdle, pool(false, false), P::kIdle, ""},
    // Written ahead: only a written attempt is sent, and only one at a time.
    {At::kConfirmingLockHeld, written(), P::kSending, "send"},
    {At::kQueuedSettling, written(), P::kSending, "send"},
    {At::kWritingNext, written(), P::kSending, "send"},
    {At::kWaitOver, written(), P::kSending, "send"},
    {At::kSendingLast, written(), P::kSending, ""},
    {At::kIdle, written(), P::kIdle, ""},
    {At::kDone, written(), P::kDone, ""},
    {At::kConfirmingLockHeld, on(RunEventKind::kWriteRefused, "write_refused"), P::kFailed, kEnded},
    {At::kWritingNext, on(RunEventKind::kWriteRefused, "write_refused"), P::kFailed, kEnded},
    {At::kWaitOver, on(RunEventKind::kWriteRefused, "write_refused"), P::kFailed, kEnded},
    {At::kSendingLast, on(RunEventKind::kWriteRefused, "write_refused"), P::kSending, ""},
    {At::kSendingLast, on(RunEventKind::kSendRefused, "send_refused"), P::kFailed, kNotBought},
    {At::kSendingLast, expired(on(RunEventKind::kSendRefused, "send_refused")), P::kFailed, kNotBought},
    {At::kWaiting, on(RunEventKind::kSendRefused, "send_refused"), P::kWaiting, ""},
    // Time passing.
    {At::kQueuedAsking, on(RunEventKind::kTick, "tick"), P::kQueued, "acquire"},
    {At::kQueuedSettling, on(RunEventKind::kTick, "tick"), P::kQueued, "check"},
    {At::kWaiting, on(RunEventKind::kTick, "tick"), P::kWaiting, ""},
    {At::kWaitOver, on(RunEventKind::kTick, "tick"), P::kWaiting, "write"},
    {At::kWaitOver, expired(on(RunEventKind::kTick, "tick")), P::kFailed, kEnded},
    {At::kWaitingStop, on(RunEventKind::kTick, "tick"), P::kStopped, "release status:info"},
    {At::kSendingLast, on(RunEventKind::kTick, "tick"), P::kSending, ""},
    {At::kConfirming, on(RunEventKind::kTick, "tick"), P::kConfirming, ""},
    {At::kIdle, on(RunEventKind::kTick, "tick"), P::kIdle, ""},
    {At::kOutcomeUnknown, on(RunEventKind::kTick, "tick"), P::kOutcomeUnknown, ""},
    // Stop: at once while waiting; after the answer while one is in flight.
    {At::kWaiting, on(RunEventKind::kStop, "stop"), P::kStopped, "release status:info"},
    {At::kQueuedAsking, on(RunEventKind::kStop, "stop"), P::kStopped, "release status:info"},
    {At::kQueuedSettling, on(RunEventKind::kStop, "stop"), P::kStopped, "release status:info"},
    {At::kSendingLast, on(RunEventKind::kStop, "stop"), P::kSending, "", -1, Also::kStopRequested},
    {At::kConfirming, on(RunEventKind::kStop, "stop"), P::kConfirming, ""},
    {At::kIdle, on(RunEventKind::kStop, "stop"), P::kIdle, ""},
    {At::kDone, on(RunEventKind::kStop, "stop"), P::kDone, ""},
    // Every kind of answer to the last purchase of a run.
    {At::kSendingLast, reply("OK_with_number"), P::kDone, kBoughtLast},
    {At::kSendingLast, reply("OK_without_number"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingLast, reply("OK_with_empty_number"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingLast, reply("isv.NO_AVAILABLE_NUMBER"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("isv.BUY_NUM_OVER_LIMIT"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("isv.POOLKEY_NOT_EXISTS"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("isv.FLOW_LIMIT"), P::kWaiting, kThrottled, 1000},
    {At::kSendingLast, reply("isp.SYSTEM_ERROR_200"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("Throttling_acs_2500ms"), P::kWaiting, kThrottled, 2500},
    {At::kSendingLast, reply("Throttling_no_wait"), P::kWaiting, kThrottled, 1000},
    {At::kSendingLast, reply("Throttling_429_acs_10ms"), P::kWaiting, kThrottled, kMinThrottleWaitMs},
    {At::kSendingLast, reply("Throttling_acs_huge"), P::kWaiting, kThrottled, kMaxThrottleWaitMs},
    {At::kSendingLast, reply("Throttling_retry_after_3s"), P::kWaiting, kThrottled, 3000},
    {At::kSendingLast, reply("SignatureDoesNotMatch_400"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("InvalidAccessKeyId.NotFound_404"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("InvalidSecurityToken.Expired_400"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("RamPermissionDenied_400"), P::kFailed, kNotBought, -1, Also::kBuyInConsole},
    {At::kSendingLast, reply("Forbidden.RAM_403"), P::kFailed, kNotBought, -1, Also::kBuyInConsole},
    {At::kSendingLast, reply("Forbidden.Action_403"), P::kFailed, kNotBought, -1, Also::kBuyInConsole},
    {At::kSendingLast, reply("InternalError_500"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingLast, reply("ServiceUnavailable_503"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("status_0"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingLast, reply("unreadable_200"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingLast, reply("html_502"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingLast, reply("empty_400"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingLast, reply("Relay.OriginNotAllowed"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("Relay.ActionNotAllowed"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("Relay.VersionNotAllowed"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("Relay.BadRequest"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("Relay.NotFound"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("Relay.MisdirectedHost"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("Relay.PayloadTooLarge"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("Relay.RateLimited"), P::kWaiting, kThrottled, 2000},
    {At::kSendingLast, reply("Relay.Busy"), P::kWaiting, kThrottled, 1000},
    {At::kSendingLast, reply("Relay.UpstreamUnreachable"), P::kFailed, kNotBought},
    {At::kSendingLast, reply("Relay.UpstreamTimeout"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingLast, reply("Relay.UpstreamConnectionLost"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingLast, reply("Relay.UpstreamBadAnswer"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingLast, reply("Relay.InternalError"), P::kOutcomeUnknown, kUnknown},
    // More to buy: the next attempt is written (then signed afresh), never the old one resent.
    {At::kSendingMore, reply("OK_with_number"), P::kSending, "record:bought note:17100000001 write"},
    {At::kSendingMore, expired(reply("OK_with_number")), P::kFailed, "record:bought note:17100000001 release status:error"},
    {At::kSendingMore, reply("isv.NO_AVAILABLE_NUMBER"), P::kFailed, kNotBought},
    {At::kSendingMore, reply("Throttling_acs_2500ms"), P::kWaiting, kThrottled, 2500},
    {At::kSendingMore, reply("status_0"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingMore, reply("Relay.UpstreamTimeout"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingMore, reply("Relay.UpstreamUnreachable"), P::kFailed, kNotBought},
    // Stop pressed while one was in flight: its answer is recorded, nothing more is sent.
    {At::kSendingStop, reply("OK_with_number"), P::kStopped, "record:bought note:17100000001 release status:info"},
    {At::kSendingStop, reply("Throttling_acs_2500ms"), P::kStopped, kNotBought},
    {At::kSendingStop, reply("Relay.Busy"), P::kStopped, kNotBought},
    {At::kSendingStop, reply("isv.NO_AVAILABLE_NUMBER"), P::kStopped, kNotBought},
    {At::kSendingStop, reply("status_0"), P::kOutcomeUnknown, kUnknown},
    {At::kSendingStop, reply("OK_without_number"), P::kOutcomeUnknown, kUnknown},
    // The throttle-wait cap: one more throttled answer ends the run.
    {At::kSendingCap, reply("Throttling_acs_2500ms"), P::kFailed, kNotBought},
    {At::kSendingCap, reply("Throttling_no_wait"), P::kFailed, kNotBought},
    {At::kSendingCap, reply("isv.FLOW_LIMIT"), P::kFailed, kNotBought},
    {At::kSendingCap, reply("Relay.RateLimited"), P::kFailed, kNotBought},
    {At::kSendingCap, reply("Relay.Busy"), P::kFailed, kNotBought},
    {At::kSendingCap, reply("OK_with_number"), P::kDone, kBoughtLast},
    {At::kSendingCap, reply("status_0"), P::kOutcomeUnknown, kUnknown},
    // No purchase in flight: an answer changes nothing (every reply, each phase).
    {At::kIdle, reply(kEveryReply), P::kIdle, ""},
    {At::kConfirming, reply(kEveryReply), P::kConfirming, ""},
    {At::kConfirmingLockHeld, reply(kEveryReply), P::kConfirming, ""},
    {At::kQueuedAsking, reply(kEveryReply), P::kQueued, ""},
    {At::kQueuedSettling, reply(kEveryReply), P::kQueued, ""},
    {At::kWritingNext, reply(kEveryReply), P::kSending, ""},
    {At::kWaiting, reply(kEveryReply), P::kWaiting, ""},
    {At::kWaitOver, reply(kEveryReply), P::kWaiting, ""},
    {At::kDone, reply(kEveryReply), P::kDone, ""},
    {At::kStopped, reply(kEveryReply), P::kStopped, ""},
    {At::kFailed, reply(kEveryReply), P::kFailed, ""},
    {At::kOutcomeUnknown, reply(kEveryReply), P::kOutcomeUnknown, ""},
};
// clang-format on

// One case per row; a kEveryReply row becomes one case per reply.
std::vector<Row> cases() {
  std::vector<Row> out;
  for (const Row& row : kRows) {
    if (row.happening.name != kEveryReply) {
      out.push_back(row);
      continue;
    }
    for (const Reply& r : kReplies) {
      Row one = row;
      one.happening = reply(r.name);
      out.push_back(one);
    }
  }
  return out;
}

void PrintTo(const Row& row, std::ostream* os) {
  *os << name_of(row.at) << " + " << row.happening.name << " -> phase "
      << static_cast<int>(row.phase) << ", commands \"" << row.commands << "\"";
}

std::string case_name(const ::testing::TestParamInfo<Row>& info) {
  std::string name =
      std::to_string(info.index) + "_" + name_of(info.param.at) + "__" + info.param.happening.name;
  for (char& c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!plain) c = '_';
  }
  return name;
}

class PurchaseRunTable : public ::testing::TestWithParam<Row> {};

TEST_P(PurchaseRunTable, GoesWhereTheTableSays) {
  const Row& row = GetParam();
  const PurchaseRun before = run_at(row.at);
  const RunStep step = advance(before, row.happening.event, kNow);
  EXPECT_EQ(step.run.phase, row.phase);
  EXPECT_EQ(describe(step.commands), row.commands);
  if (row.wait_ms >= 0) {
    EXPECT_EQ(step.run.wait_ms, row.wait_ms);
    EXPECT_EQ(step.run.wait_until_ms, kNow + row.wait_ms);
  }
  switch (row.also) {
    case Also::kNothing:
      break;
    case Also::kStopRequested:
      EXPECT_TRUE(step.run.stop_requested);
      break;
    case Also::kBuyInConsole:
      EXPECT_TRUE(step.run.buy_in_console);
      break;
    case Also::kLockHeld:
      EXPECT_TRUE(step.run.lock_held);
      EXPECT_EQ(step.run.lock_held_since_ms, kNow);
      break;
    case Also::kToldQueued:
      EXPECT_TRUE(step.run.queued_behind_tab);
      break;
    case Also::kNotToldQueued:
      EXPECT_FALSE(step.run.queued_behind_tab);
      break;
    case Also::kNewRun:
      EXPECT_EQ(step.run.request.pool_key, "FC100000002");
      EXPECT_EQ(step.run.quantity, 2);
      EXPECT_EQ(step.run.bought, 0);
      EXPECT_TRUE(step.run.attempts.empty());
      break;
  }
  // Whatever happened: the lock is held only while a run is under way, an attempt is in
  // flight only while sending, and an answer is sent for only after its attempt was written.
  if (!run_active(step.run.phase)) {
    EXPECT_FALSE(step.run.lock_held);
  }
  if (!step.run.attempt_id.empty()) {
    EXPECT_EQ(step.run.phase, RunPhase::kSending);
  }
  for (const RunCommand& c : step.commands) {
    if (c.kind == RunCommandKind::kSendBuy) {
      EXPECT_EQ(row.happening.event.kind, RunEventKind::kAttemptWritten);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, PurchaseRunTable, ::testing::ValuesIn(cases()), case_name);

TEST(PurchaseRunTableSize, Printed) {
  const std::size_t rows = sizeof kRows / sizeof kRows[0];
  const std::size_t expanded = cases().size();
  std::cout << "purchase transition table: " << rows << " rows, " << expanded << " cases ("
            << sizeof kReplies / sizeof kReplies[0] << " kinds of reply)\n";
  EXPECT_GT(expanded, rows);
}

// ---------------------------------------------------------------- whole runs, event by event

// Drives advance() the way the console does: a command that asks something is answered at once.
struct Driver {
  PurchaseRun run;
  std::int64_t now = kNow;
  std::vector<std::string> log;  // every command, in order
  int written = 0;

  void feed(RunEvent event) {
    RunStep step = advance(run, event, now);
    run = step.run;
    for (const RunCommand& c : step.commands) {
      log.push_back(describe({c}));
      if (c.kind == RunCommandKind::kAcquireLock) feed(RunEvent::of(RunEventKind::kLockGranted));
      if (c.kind == RunCommandKind::kCheckPool) feed(RunEvent::of(RunEventKind::kPoolChecked));
      if (c.kind == RunCommandKind::kWriteAttempt) {
        RunEvent done = RunEvent::of(RunEventKind::kAttemptWritten);
        done.attempt_id = "attempt-" + std::to_string(++written);
        feed(done);
      }
    }
  }
  int count(const std::string& what) const {
    int n = 0;
    for (const std::string& line : log) n += line == what ? 1 : 0;
    return n;
  }
};

TEST(PurchaseRunWhole, ThrottlingIsWaitedOutAtMostTheCapThenTheRunEnds) {
  Driver d;
  d.feed(submit("submit").event);
  d.feed(confirm(false).event);
  ASSERT_EQ(d.run.phase, RunPhase::kSending);
  const Happening throttled = reply("Throttling_no_wait");
  for (int i = 0; i < kMaxThrottleWaits; ++i) {
    d.feed(throttled.event);
    ASSERT_EQ(d.run.phase, RunPhase::kWaiting) << "wait " << i;
    EXPECT_GE(d.run.wait_ms, kMinThrottleWaitMs);
    EXPECT_LE(d.run.wait_ms, kMaxThrottleWaitMs);
    d.feed(RunEvent::of(RunEventKind::kTick));  // not yet
    ASSERT_EQ(d.run.phase, RunPhase::kWaiting);
    d.now = d.run.wait_until_ms;
    d.feed(RunEvent::of(RunEventKind::kTick));
    ASSERT_EQ(d.run.phase, RunPhase::kSending);
  }
  d.feed(throttled.event);
  EXPECT_EQ(d.run.phase, RunPhase::kFailed);
  EXPECT_FALSE(d.run.lock_held);
  // One write ahead per send, and never a send without one.
  EXPECT_EQ(d.count("send"), kMaxThrottleWaits + 1);
  EXPECT_EQ(d.count("write"), kMaxThrottleWaits + 1);
  EXPECT_EQ(d.count("record:not-bought"), kMaxThrottleWaits + 1);
  EXPECT_EQ(d.count("release"), 1);
}

TEST(PurchaseRunWhole, TwoBoughtThenDoneWithEachAttemptWrittenAhead) {
  Driver d;
  d.feed(submit("submit").event);  // quantity 2
  d.feed(confirm(false).event);
  d.feed(reply("OK_with_number").event);
  EXPECT_EQ(d.run.phase, RunPhase::kSending);
  EXPECT_EQ(d.run.attempt_id, "attempt-2");
  d.feed(reply("OK_with_number").event);
  EXPECT_EQ(d.run.phase, RunPhase::kDone);
  EXPECT_EQ(d.run.bought, 2);
  EXPECT_EQ(d.log, (std::vector<std::string>{"acquire", "check", "write", "send", "record:bought",
                                             "note:17100000001", "write", "send", "record:bought",
                                             "note:17100000001", "release", "status:success"}));
}

TEST(PurchaseRunWhole, AnAnswerDeliveredTwiceIsCountedOnce) {
  Driver d;
  d.feed(submit("submit").event);
  d.feed(confirm(false).event);
  d.feed(reply("OK_with_number").event);
  d.feed(reply("OK_with_number").event);
  d.feed(reply("OK_with_number").event);  // nothing is in flight any more
  EXPECT_EQ(d.run.bought, 2);
  EXPECT_EQ(d.count("send"), 2);
}

TEST(PurchaseRunWhole, UnknownOutcomeBlocksTheNextSubmitUntilReconciled) {
  Driver d;
  d.feed(submit("submit").event);
  d.feed(confirm(false).event);
  d.feed(reply("Relay.UpstreamConnectionLost").event);
  ASSERT_EQ(d.run.phase, RunPhase::kOutcomeUnknown);
  EXPECT_EQ(d.run.attempts.back().result, AttemptResult::kUnknown);
  d.feed(submit("submit_pool_blocked", true).event);
  d.feed(confirm(false).event);
  EXPECT_EQ(d.run.phase, RunPhase::kOutcomeUnknown);
  EXPECT_EQ(d.count("send"), 1);
}

}  // namespace
}  // namespace dypls
