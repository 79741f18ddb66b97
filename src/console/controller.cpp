#include "controller.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "activity_store.h"
#include "core/purchase_run.h"
#include "core/time_format.h"
#include "curl_command.h"
#include "http_date.h"
#include "number_check.h"
#include "relay_config.h"
#include "stock_hint.h"

namespace dypls::console {
namespace {

std::string trim_copy(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::string trimmed(std::string text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t end = text.size();
  while (end > 0 && is_space(text[end - 1])) --end;
  text.erase(end);
  std::size_t start = 0;
  while (start < text.size() && is_space(text[start])) ++start;
  text.erase(0, start);
  return text;
}

Message fmt(const char* en, const char* zh, const std::string& arg) {
  return {std::string(en) + arg, std::string(zh) + arg};
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

Controller::Controller(Transport& transport, Clock& clock, NonceSource& nonces, Storage& storage,
                       DurableStorage& durable, PurchaseLock& lock)
    : transport_(transport),
      clock_(clock),
      nonces_(nonces),
      storage_(storage),
      lock_(lock),
      ledger_store_(durable),
      numbers_(
          state_.numbers, clock_,
          [this](RequestSpec spec, ApiSession::ReplyHandler on_reply) {
            return send_api(std::move(spec), std::move(on_reply));
          },
          [this](const std::string& secret_no, const std::string& pool_key, const std::string& city,
                 NumberEventKind kind) { note_number(secret_no, pool_key, city, kind, ""); },
          [this](Notice notice) { set_status(std::move(notice.text), notice.level); }) {}

void Controller::start() {
  if (std::optional<FlowResult> restored = credentials_.restore(corrected_now_ms() / 1000)) {
    if (restored->ok) stock_.clear_error();
    show(std::move(*restored));
  }
  reload_ledger();
  restore_activity(storage_, state_.log);
  fetch_relay_config();
}

bool Controller::leave_warning() const {
  const RunPhase phase = state_.run.phase;
  return phase == RunPhase::kSending || phase == RunPhase::kWaiting || phase == RunPhase::kQueued ||
         state_.unknown.has_value();
}

void Controller::tick() {
  if (ledger_store_.changed_elsewhere()) {
    reload_ledger();
  } else if (!state_.buying_elsewhere.empty() ||
             (state_.unknown && state_.unknown->no_outcome_recorded)) {
    // Another tab's purchase becomes unknown once its tab is gone (the lock let go, or too old):
    // no storage event says so.
    show_unresolved();
  }
  numbers_.advance_import();
  fetch_stock_after_once();
  // Only a queued or waiting run has anything to do as time passes.
  if (state_.run.phase == RunPhase::kQueued || state_.run.phase == RunPhase::kWaiting) {
    run_event(RunEvent::of(RunEventKind::kTick));
  }
}

// ---------------------------------------------------------------- settings and relay

std::string Controller::api_base() const {
  std::string base = trim_copy(state_.settings.relay_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

std::int64_t Controller::corrected_now_ms() const {
  return clock_.now_ms() + state_.clock_offset_ms;
}

void Controller::fetch_relay_config() {
  if (ledger_origin() != ledger_store_.origin() && state_.run.attempt_id.empty()) reload_ledger();
  const std::uint64_t generation = ++config_generation_;
  state_.relay = RelayConfig{};
  send_plain_get("/relay/config", [this, generation](const HttpResponse& response) {
    if (generation != config_generation_) return;  // the relay URL changed meanwhile
    state_.relay = read_relay_config(response);
    if (state_.relay.failed) {
      set_status({"The relay did not answer /relay/config: check the relay URL in Settings.",
                  "中转服务没有响应 /relay/config：请在设置中检查中转地址。"},
                 StatusLevel::kError);
    }
  });
}

void Controller::send_plain_get(const std::string& path, ResponseHandler on_answer) {
  HttpRequest request;
  request.method = "GET";
  request.url = api_base() + path;
  request.timeout_ms = 10000;
  const std::int64_t sent = clock_.now_ms();
  transport_.send(std::move(request),
                  [this, sent, on_answer = std::move(on_answer)](const HttpResponse& response) {
                    observe_date(response, sent, clock_.now_ms());
                    on_answer(response);
                  });
}

void Controller::observe_date(const HttpResponse& response, std::int64_t sent_ms,
                              std::int64_t done_ms) {
  const auto date = response.header("date");
  if (!date) return;
  const std::optional<std::int64_t> offset = clock_offset_ms(*date, sent_ms, done_ms);
  if (!offset) return;
  state_.clock_offset_ms = *offset;
  state_.clock_offset_measured = true;
}

// ---------------------------------------------------------------- credentials

bool Controller::paste_credentials(std::string text) {
  FlowResult result = credentials_.paste(std::move(text), corrected_now_ms() / 1000);
  // An error from the old credentials (SignatureDoesNotMatch) no longer describes the panel.
  if (result.ok) stock_.clear_error();
  return show(std::move(result));
}

bool Controller::save_profile(std::string name) {
  return show(credentials_.save_profile(std::move(name)));
}

bool Controller::use_profile(std::string name) {
  return show(credentials_.use_profile(std::move(name)));
}

void Controller::delete_profile(std::string name) {
  credentials_.delete_profile(std::move(name));
}

void Controller::set_remember_in_tab(bool remember) {
  credentials_.set_remember_in_tab(remember);
}

void Controller::forget_credentials() {
  show(credentials_.forget());
}

void Controller::use_demo_credentials() {
  if (!state_.relay.sandbox || state_.demo_loading) return;
  state_.demo_loading = true;
  send_plain_get("/sandbox/assume-role", [this](const HttpResponse& response) {
    state_.demo_loading = false;
    if (response.status != 200) {
      set_status({"Could not get demo credentials from the sandbox.", "无法从沙箱获取演示凭证。"},
                 StatusLevel::kError);
      return;
    }
    paste_credentials(response.body);
    // The sandbox names its demo pool beside the credentials: fill the pool key fields.
    if (std::optional<std::string> pool = demo_pool_key(response.body)) {
      if (state_.buy.pool_key.empty()) state_.buy.pool_key = *pool;
      if (state_.numbers.lookup_pool_key.empty()) state_.numbers.lookup_pool_key = *pool;
    }
  });
}

std::optional<Message> Controller::credentials_problem() const {
  return credentials_.problem(corrected_now_ms() / 1000);
}

bool Controller::credentials_usable() {
  std::optional<Message> problem = credentials_problem();
  if (problem) set_status(std::move(*problem), StatusLevel::kError);
  return !problem;
}

// ---------------------------------------------------------------- signing and sending

RequestSpec Controller::prepare(RequestSpec spec) const {
  spec.method = HttpMethod::kPost;
  spec.style = state_.settings.style;
  // V3 signs the host: it must be the one the relay sends upstream.
  spec.host = state_.relay.sign_host.empty() ? std::string(kApiHost) : state_.relay.sign_host;
  return spec;
}

SigningContext Controller::fresh_context() {
  return {format_iso8601_utc(corrected_now_ms() / 1000), nonces_.next()};
}

bool Controller::send_api(RequestSpec spec, ApiSession::ReplyHandler on_reply) {
  if (!credentials_usable()) return false;
  api_.send(prepare(std::move(spec)), state_.credentials.active->key, fresh_context(), api_base(),
            [this, on_reply = std::move(on_reply)](const ApiReply& reply, LogEntry& entry) {
              observe_date(reply.response, reply.sent_ms, reply.done_ms);
              on_reply(reply, entry);
              save_activity(state_.log, storage_);
            });
  return true;
}

std::optional<std::string> Controller::curl_for(std::size_t log_id) {
  const LogEntry* entry = state_.log.find(log_id);
  if (entry == nullptr || !credentials_usable()) return std::nullopt;
  RequestSpec spec = prepare(entry->spec);
  spec.style = entry->style;  // the entry's own signature version, whatever Settings say now
  const SignedRequest fresh = sign(spec, state_.credentials.active->key, fresh_context());
  std::string base = api_base();
  if (base.empty()) base = state_.page_origin;
  return curl_command(fresh, base + "/api" + fresh.path_and_query);
}

bool Controller::show(FlowResult result) {
  if (result.notice) set_status(std::move(result.notice->text), result.notice->level);
  return result.ok;
}

void Controller::set_status(Message text, StatusLevel level) {
  state_.status.text = std::move(text);
  state_.status.level = level;
  state_.status.at_ms = clock_.now_ms();
  ++state_.status.seq;
}

// ---------------------------------------------------------------- stock

void Controller::query_stock() {
  StockFlow::Query query = stock_.next_query();
  if (query.refusal) set_status(std::move(query.refusal->text), query.refusal->level);
  if (!query.request) return;
  const QueryRemainRequest request = std::move(*query.request);
  const bool sent =
      send_api(to_spec(request), [this, request](const ApiReply& reply, LogEntry& entry) {
        // The unknown purchase's own query; a failed one leaves Check now usable (the figure
        // after still unknown).
        const bool for_unknown = state_.unknown && state_.unknown->reconciling;
        if (for_unknown) state_.unknown->reconciling = false;
        FlowResult read = stock_.take_reply(request, reply, entry, corrected_now_ms());
        // An unknown purchase is being reconciled: compare with the stock before it.
        if (read.ok && for_unknown && state_.unknown) {
          const StockState& s = state_.stock;
          UnknownPurchase& unknown = *state_.unknown;
          unknown.reconciled = true;
          for (const CityStock& row : s.rows) {
            if (row.city == unknown.request.city) unknown.stock_after = row.amount;
          }
          if (!unknown.stock_after) unknown.stock_after = s.answer->amount;
          unknown.stock_after_ms = s.answered_ms;
        }
        show(std::move(read));
      });
  stock_.sent(sent);
}

void Controller::sort_stock(StockSort sort) {
  stock_.sort(sort);
}

void Controller::fill_buy_from_stock(std::string city) {
  if (state_.run.phase == RunPhase::kSending || state_.run.phase == RunPhase::kWaiting) return;
  fill_buy_form(state_.stock, std::move(city), state_.buy);
}

// ---------------------------------------------------------------- purchase

std::vector<FieldError> Controller::buy_form_errors() const {
  const BuyForm& form = state_.buy;
  BuyRequest request{trim_copy(form.pool_key), form.spec_id, trim_copy(form.city),
                     trim_copy(form.prefix), form.display_pool};
  std::vector<FieldError> errors = validate(request);
  if (form.quantity < 1 || form.quantity > kMaxQuantity) {
    errors.push_back(
        {"Quantity", {"Quantity must be between 1 and 100.", "数量须在 1 到 100 之间。"}});
  }
  return errors;
}

// Blocked by what the page shows as unknown in the form's pool; another tab's purchase in flight
// lets the form be confirmed (the run then waits for the lock, and looks again holding it).
bool Controller::purchase_blocked() const {
  const std::string pool = trim_copy(state_.buy.pool_key);
  return std::any_of(state_.ledger.attempts.begin(), state_.ledger.attempts.end(),
                     [&](const LedgerAttempt& a) {
                       return a.pool_key == pool && shown_here(a) == AttemptShown::kUnknownOutcome;
                     });
}

// What this tab knows of the pool's purchase lock, in ledger time.
LockSighting Controller::lock_sighting(const std::string& pool) const {
  const std::string name = lock_name_for(pool);
  const std::int64_t offset = state_.clock_offset_ms;
  if (state_.run.lock_held && held_lock_ == name) {
    return {LockSeen::kHeldHere, state_.run.lock_held_since_ms + offset};
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

AttemptShown Controller::shown_here(const LedgerAttempt& attempt) const {
  if (attempt.id == state_.run.attempt_id) return AttemptShown::kNothing;  // this tab's own
  return attempt_shown(attempt, lock_sighting(attempt.pool_key), corrected_now_ms());
}

// An attempt with no outcome yet may be another tab's purchase in flight (the lock serialises
// those) or one a closed page left behind (unknown). Once this tab holds the lock, any such
// attempt is the latter; before, only an old one surely is.
bool Controller::pool_blocked(const std::string& pool, bool young_pending_blocks) const {
  const std::int64_t now = corrected_now_ms();
  return std::any_of(state_.ledger.attempts.begin(), state_.ledger.attempts.end(),
                     [&](const LedgerAttempt& a) {
                       if (!unresolved(a) || a.pool_key != pool || a.id == state_.run.attempt_id)
                         return false;
                       const bool young_pending =
                           a.outcome == Outcome::kPending && now - a.started_ms < kInFlightGraceMs;
                       return young_pending_blocks || !young_pending;
                     });
}

bool Controller::submit_purchase() {
  const bool was_active = run_active(state_.run.phase);
  const BuyForm& form = state_.buy;
  RunEvent submit = RunEvent::of(RunEventKind::kSubmit);
  submit.request = BuyRequest{trim_copy(form.pool_key), form.spec_id, trim_copy(form.city),
                              trim_copy(form.prefix), form.display_pool};
  submit.quantity = form.quantity;
  submit.form_errors = buy_form_errors();
  submit.pool_blocked = purchase_blocked();
  run_event(std::move(submit));
  return !was_active && state_.run.phase == RunPhase::kConfirming;
}

void Controller::cancel_purchase() {
  run_event(RunEvent::of(RunEventKind::kCancel));
}

bool Controller::confirm_purchase() {
  if (state_.run.phase != RunPhase::kConfirming) return false;  // a double click
  RunEvent confirm = RunEvent::of(RunEventKind::kConfirm);
  confirm.pool_blocked = purchase_blocked();
  run_event(std::move(confirm));
  return state_.run.phase == RunPhase::kSending || state_.run.phase == RunPhase::kQueued;
}

void Controller::stop_run() {
  run_event(RunEvent::of(RunEventKind::kStop));
}

std::string Controller::lock_name() const {
  return lock_name_for(state_.run.request.pool_key);
}

std::string Controller::lock_name_for(const std::string& pool) const {
  return "dypls-buy " + ledger_store_.origin() + " " + pool;
}

bool Controller::save_attempt(const LedgerAttempt& attempt) {
  if (LedgerAttempt* known = find_attempt(state_.ledger, attempt.id)) {
    *known = attempt;
  } else {
    state_.ledger.attempts.push_back(attempt);
  }
  return ledger_store_.put(attempt);
}

// The run's state changes only here, by the pure transition; every command that answers with an
// event comes last, so the events it feeds back see the state it left.
void Controller::run_event(RunEvent event) {
  event.credentials_problem = credentials_problem();
  RunStep step = advance(state_.run, event, clock_.now_ms());
  state_.run = std::move(step.run);
  for (const RunCommand& command : step.commands) carry_out(command);
}

void Controller::carry_out(const RunCommand& command) {
  PurchaseRun& run = state_.run;
  switch (command.kind) {
    case RunCommandKind::kAcquireLock: {
      held_lock_ = lock_name();
      const bool waiting = lock_.acquire(held_lock_) == LockState::kWaiting;
      run_event(RunEvent::of(waiting ? RunEventKind::kLockWaiting : RunEventKind::kLockGranted));
      return;
    }
    case RunCommandKind::kCheckPool: {
      // Another tab may have left an unknown outcome in this pool while this one waited.
      reload_ledger();
      RunEvent checked = RunEvent::of(RunEventKind::kPoolChecked);
      checked.pool_blocked = pool_blocked(run.request.pool_key, /*young_pending_blocks=*/false);
      checked.pool_fresh_pending =
          !checked.pool_blocked &&
          pool_blocked(run.request.pool_key, /*young_pending_blocks=*/true);
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
      current_attempt_.outcome_ms = corrected_now_ms();
      current_attempt_.code = command.code;
      current_attempt_.outcome = command.outcome == RecordedOutcome::kBought ? Outcome::kBought
                                 : command.outcome == RecordedOutcome::kUnknown
                                     ? Outcome::kUnknown
                                     : Outcome::kNotBought;
      if (command.outcome == RecordedOutcome::kBought)
        current_attempt_.secret_no = command.secret_no;
      if (command.outcome == RecordedOutcome::kUnknown) current_attempt_.why = command.why;
      save_attempt(current_attempt_);
      return;
    case RunCommandKind::kNoteBought:
      note_number(command.secret_no, run.request.pool_key, run.request.city,
                  NumberEventKind::kBought, current_attempt_.id);
      // Stock for that city is one less now; keep the table honest until the next query.
      for (CityStock& row : state_.stock.rows) {
        if (row.city == run.request.city && row.amount > 0) --row.amount;
      }
      return;
    case RunCommandKind::kShowUnknown:
      sync_from_ledger();  // the stock before comes from the attempt's record
      if (state_.unknown && state_.unknown->attempt_id == current_attempt_.id) {
        state_.unknown->log_id = command.log_id;
      }
      return;
    case RunCommandKind::kReleaseLock:
      lock_.release(held_lock_);
      return;
    case RunCommandKind::kStatus:
      set_status(command.message, command.level);
      return;
  }
}

// Written ahead: the attempt is in durable storage before its request leaves.
void Controller::write_attempt() {
  const PurchaseRun& run = state_.run;
  LedgerAttempt attempt;
  attempt.started_ms = corrected_now_ms();
  attempt.id = std::to_string(attempt.started_ms) + "-" + nonces_.next().substr(0, 12);
  attempt.pool_key = run.request.pool_key;
  attempt.spec_id = run.request.spec_id;
  attempt.city = run.request.city;
  attempt.prefix = run.request.secret_no_prefix;
  attempt.display_pool = run.request.display_pool.value_or(false);
  if (state_.credentials.active) attempt.key_id = mask_key_id(state_.credentials.active->key.id);
  // The stock known now, kept with the attempt: a reload must not lose the figure "before".
  if (state_.stock.answer) {
    attempt.stock_before = stock_figure_for(run.request, state_.stock.answered_for,
                                            state_.stock.rows, state_.stock.answered_ms);
  }
  if (!save_attempt(attempt)) {
    state_.ledger.attempts.pop_back();
    run_event(RunEvent::of(RunEventKind::kWriteRefused));
    return;
  }
  current_attempt_ = attempt;
  RunEvent written = RunEvent::of(RunEventKind::kAttemptWritten);
  written.attempt_id = attempt.id;
  run_event(std::move(written));
}

void Controller::send_purchase() {
  const bool sent =
      send_api(to_spec(state_.run.request), [this](const ApiReply& reply, LogEntry& entry) {
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

void Controller::reconcile_unknown() {
  if (!state_.unknown) return;
  // The stock query may already be on its way (fetched by itself): the number is checked anyway.
  if (!state_.unknown->reconciling) fetch_stock_after();
  if (!state_.unknown) return;
  UnknownPurchase& unknown = *state_.unknown;
  const std::string number = trim_copy(unknown.lookup_number);
  if (!number.empty() && !unknown.checking_number) {
    check_unknown_number(unknown.attempt_id, unknown.request.pool_key, number);
  }
}

// The stock for the unknown purchase's city, type and prefix: one less than before suggests it
// went through.
void Controller::fetch_stock_after() {
  if (state_.stock.busy) return;  // its answer would be another query's
  UnknownPurchase& unknown = *state_.unknown;
  state_.stock.spec_id = unknown.request.spec_id;
  state_.stock.city = unknown.request.city;
  state_.stock.prefix = unknown.request.secret_no_prefix;
  unknown.reconciling = true;
  query_stock();
  if (!state_.stock.busy) unknown.reconciling = false;
}

// Without a number the stock difference is the hint: the figure after is fetched by itself,
// once per unknown purchase shown, when it can be signed and nothing is being bought. A throttled
// or failed fetch is not repeated: Check now asks again.
void Controller::fetch_stock_after_once() {
  if (!state_.unknown) return;
  const UnknownPurchase& unknown = *state_.unknown;
  if (unknown.stock_fetched || unknown.stock_after || unknown.reconciling) return;
  if (run_active(state_.run.phase) || state_.stock.busy || !state_.relay.loaded ||
      credentials_problem()) {
    return;
  }
  state_.unknown->stock_fetched = true;
  fetch_stock_after();
}

void Controller::check_unknown_number(const std::string& attempt_id, const std::string& pool_key,
                                      const std::string& secret_no) {
  NumberRequest request{Action::kQuerySecretNoDetail, pool_key, secret_no};
  if (auto errors = validate(request); !errors.empty()) {
    state_.unknown->number_check = errors.front().message;
    set_status(errors.front().message, StatusLevel::kError);
    return;
  }
  // Marked before sending: an answer handed back at once settles (and may clear `unknown`).
  state_.unknown->checking_number = true;
  const bool sent = send_api(to_spec(request), [this, attempt_id, number = secret_no](
                                                   const ApiReply& reply, LogEntry& entry) {
    Answer<NumberDetail> answer = answer_of(reply, &parse_detail_answer);
    if (answer.error && !entry.error) entry.error = answer.error;
    settle_by_number(attempt_id, number, answer);
  });
  if (!sent && state_.unknown) state_.unknown->checking_number = false;
}

// The run that ended on the unknown purchase shows the verdict in its own row, count and
// summary, not "no answer" beside a note that says it was settled.
void Controller::settle_run_row(bool bought, const std::string& secret_no, const Message& why) {
  PurchaseRun& run = state_.run;
  run.summary = why;
  if (run.attempts.empty() || run.attempts.back().result != AttemptResult::kUnknown) return;
  PurchaseAttempt& last = run.attempts.back();
  last.result = bought ? AttemptResult::kBought : AttemptResult::kFailed;
  last.secret_no = bought ? secret_no : std::string();
  last.message = why;
  if (bought) ++run.bought;
}

void Controller::settle_by_number(const std::string& attempt_id, const std::string& secret_no,
                                  const Answer<NumberDetail>& answer) {
  if (state_.unknown && state_.unknown->attempt_id == attempt_id) {
    state_.unknown->checking_number = false;
  }
  reload_ledger();  // another tab may have settled it meanwhile
  LedgerAttempt* attempt = find_attempt(state_.ledger, attempt_id);
  if (attempt == nullptr || !unresolved(*attempt)) {
    set_status({"Another tab already settled that purchase.", "另一个标签页已处理这笔购买。"},
               StatusLevel::kInfo);
    return;
  }
  const NumberCheck check = judge_number_check(*attempt, secret_no, answer, state_.ledger);
  if (check.verdict != NumberCheckVerdict::kBoughtByAttempt) {
    if (state_.unknown && state_.unknown->attempt_id == attempt_id) {
      state_.unknown->number_check = check.explanation;
      state_.unknown->number_verdict = number_check_name(check.verdict);
      state_.unknown->reconciled = true;  // the person has looked: the verdict is theirs
    }
    set_status(check.explanation, check.verdict == NumberCheckVerdict::kCheckFailed
                                      ? StatusLevel::kError
                                      : StatusLevel::kWarning);
    return;
  }
  const bool run_ended_unknown = state_.run.phase == RunPhase::kOutcomeUnknown;
  LedgerAttempt settled = *attempt;
  settled.settlement = Settlement::kBought;
  settled.how = SettledHow::kCheckedByNumber;
  settled.settled_ms = corrected_now_ms();
  settled.secret_no = secret_no;
  if (!save_attempt(settled)) {
    set_status({"This browser refused to record the verdict (storage full or disabled).",
                "浏览器拒绝记录这一结论（存储已满或被禁用）。"},
               StatusLevel::kError);
    return;
  }
  note_number(secret_no, settled.pool_key, settled.city, NumberEventKind::kBought, settled.id);
  if (NumberRecord* record = find_number(secret_no)) record->detail = answer.value;
  state_.unknown.reset();
  sync_from_ledger();
  if (state_.run.phase == RunPhase::kOutcomeUnknown) state_.run.phase = RunPhase::kIdle;
  if (run_ended_unknown) settle_run_row(true, secret_no, check.explanation);
  state_.reconcile_note = check.explanation;
  set_status(check.explanation, StatusLevel::kSuccess);
}

void Controller::resolve_unknown(bool bought, std::string secret_no) {
  if (!state_.unknown) return;
  const UnknownPurchase unknown = *state_.unknown;
  const std::string number = trimmed(std::move(secret_no));
  reload_ledger();  // another tab may have settled it meanwhile
  LedgerAttempt* attempt = find_attempt(state_.ledger, unknown.attempt_id);
  if (attempt == nullptr || !unresolved(*attempt)) {
    sync_from_ledger();
    set_status({"Another tab already settled that purchase.", "另一个标签页已处理这笔购买。"},
               StatusLevel::kInfo);
    return;
  }
  const bool run_ended_unknown = state_.run.phase == RunPhase::kOutcomeUnknown;
  LedgerAttempt settled = *attempt;
  settled.settlement = bought ? Settlement::kBought : Settlement::kNotBought;
  // The stock figures on screen backed this verdict, or the person decided on other grounds.
  const std::optional<bool> stock_says =
      stock_suggests_bought(read_stock_change(unknown.stock_before, unknown.stock_after).hint);
  settled.how = stock_says == bought ? SettledHow::kStockDiff : SettledHow::kPersonSaid;
  settled.settled_ms = corrected_now_ms();
  if (bought) settled.secret_no = number;
  if (!save_attempt(settled)) {
    set_status({"This browser refused to record the verdict (storage full or disabled).",
                "浏览器拒绝记录这一结论（存储已满或被禁用）。"},
               StatusLevel::kError);
    return;
  }
  if (bought && !number.empty()) {
    note_number(number, unknown.request.pool_key, unknown.request.city, NumberEventKind::kBought,
                settled.id);
  }
  state_.unknown.reset();
  sync_from_ledger();
  state_.reconcile_note = settled.how == SettledHow::kStockDiff
                              ? Message{"Settled by the stock difference, as you confirmed.",
                                        "已按库存变化处理（经您确认）。"}
                              : Message{"Settled as you said.", "已按您的判断处理。"};
  if (state_.run.phase == RunPhase::kOutcomeUnknown) state_.run.phase = RunPhase::kIdle;
  if (run_ended_unknown) settle_run_row(bought, number, state_.reconcile_note);
  set_status(bought ? (number.empty()
                           ? Message{"Recorded as bought; the number is still needed (Numbers).",
                                     "已记为已购买；仍需填写号码（号码页）。"}
                           : Message{"Recorded as bought.", "已记为已购买。"})
                    : Message{"Recorded as not bought.", "已记为未购买。"},
             StatusLevel::kInfo);
}

bool Controller::record_missing_number(std::string attempt_id_in, std::string secret_no) {
  const std::string attempt_id =
      std::move(attempt_id_in);  // a value: reloading replaces the ledger
  const std::string number = trimmed(std::move(secret_no));
  NumberRequest check{Action::kQuerySecretNoDetail, "x", number};
  if (auto errors = validate(check); !errors.empty()) {
    set_status(errors.front().message, StatusLevel::kError);
    return false;
  }
  reload_ledger();
  LedgerAttempt* attempt = find_attempt(state_.ledger, attempt_id);
  if (attempt == nullptr || !number_missing(*attempt)) return false;
  LedgerAttempt settled = *attempt;
  settled.secret_no = number;
  if (!save_attempt(settled)) return false;
  note_number(number, settled.pool_key, settled.city, NumberEventKind::kBought, settled.id);
  sync_from_ledger();
  set_status(fmt("Recorded the number bought: ", "已记录所购号码：", number),
             StatusLevel::kSuccess);
  return true;
}

// ---------------------------------------------------------------- ledger

std::string Controller::ledger_origin() const {
  const std::string base = api_base();
  return base.empty() ? state_.page_origin : base;
}

void Controller::reload_ledger() {
  ledger_store_.set_origin(ledger_origin());
  LedgerLoad loaded = ledger_store_.load();
  state_.ledger = std::move(loaded.ledger);
  // This tab's attempt in flight is newer than what storage may hand back (a slow write).
  if (!state_.run.attempt_id.empty() &&
      find_attempt(state_.ledger, current_attempt_.id) == nullptr) {
    state_.ledger.attempts.push_back(current_attempt_);
  }
  if (!loaded.problem.en.empty()) {
    state_.ledger_problem = loaded.problem;
    set_status(loaded.problem, StatusLevel::kWarning);
  }
  sync_from_ledger();
}

// The numbers list and the unknown outcome shown are views of the ledger.
void Controller::sync_from_ledger() {
  std::vector<NumberRecord> records;
  for (const LedgerNumber& n : state_.ledger.numbers) {
    NumberRecord record;
    if (const NumberRecord* old = find_number(n.secret_no)) record = *old;
    record.secret_no = n.secret_no;
    record.pool_key = n.pool_key;
    if (!n.city.empty()) record.city = n.city;
    record.origin = was_bought(n) ? NumberOrigin::kBought : NumberOrigin::kLookedUp;
    record.released = was_released(n);
    for (const NumberEvent& e : n.events) {
      if (e.kind == NumberEventKind::kBought) record.bought_at = format_iso8601_utc(e.at_ms / 1000);
    }
    if (!record.detail && record.origin == NumberOrigin::kBought) {
      record.detail = NumberDetail{};
      record.detail->status = NumberStatus::kUnbound;  // a number just bought has no bindings
      record.detail->city = record.city;
    }
    if (record.detail) {
      if (auto locked = last_locked(n)) {
        record.detail->status = *locked ? NumberStatus::kLocked : NumberStatus::kUnbound;
      }
    }
    records.push_back(std::move(record));
  }
  // A number being looked up for the first time is not in the ledger until the API knows it.
  for (const NumberRecord& r : state_.numbers.records) {
    if (r.busy && find_ledger_number(state_.ledger, r.secret_no) == nullptr) records.push_back(r);
  }
  state_.numbers.records = std::move(records);
  show_unresolved();
}

// Another tab's purchase in flight is shown as such, never as an unknown outcome
// (attempt_shown.h); the first unknown one is the one to reconcile.
void Controller::show_unresolved() {
  const LedgerAttempt* first = nullptr;
  bool still_shown = false;
  std::vector<PurchaseElsewhere> elsewhere;
  for (const LedgerAttempt& a : state_.ledger.attempts) {
    const AttemptShown shown = shown_here(a);
    if (shown == AttemptShown::kBuyingElsewhere) {
      elsewhere.push_back({a.id,
                           BuyRequest{a.pool_key, a.spec_id, a.city, a.prefix, a.display_pool},
                           a.started_ms});
    } else if (shown == AttemptShown::kUnknownOutcome) {
      if (state_.unknown && state_.unknown->attempt_id == a.id) still_shown = true;
      if (first == nullptr) first = &a;
    }
  }
  state_.buying_elsewhere = std::move(elsewhere);
  if (still_shown) return;  // the one shown stays, with what the person typed and fetched
  if (first == nullptr) {
    state_.unknown.reset();
    if (state_.run.phase == RunPhase::kOutcomeUnknown) state_.run.phase = RunPhase::kIdle;
    return;
  }
  UnknownPurchase unknown;
  unknown.attempt_id = first->id;
  unknown.no_outcome_recorded = first->outcome == Outcome::kPending;
  unknown.why = unknown.no_outcome_recorded
                    ? "No outcome was recorded: the page was closed or reloaded before the "
                      "answer came, or another tab is still waiting for it."
                    : first->why;
  unknown.request =
      BuyRequest{first->pool_key, first->spec_id, first->city, first->prefix, first->display_pool};
  unknown.at_ms = first->started_ms;
  if (first->stock_before) {
    unknown.stock_before = first->stock_before->amount;
    unknown.stock_before_ms = first->stock_before->read_ms;
  }
  state_.unknown = std::move(unknown);
}

void Controller::note_number(const std::string& secret_no, const std::string& pool_key,
                             const std::string& city, NumberEventKind kind,
                             const std::string& attempt_id) {
  LedgerNumber* number = find_ledger_number(state_.ledger, secret_no);
  if (number == nullptr) {
    // Another tab may know it already: start from its record, not from nothing.
    std::optional<LedgerNumber> stored = ledger_store_.load_number(secret_no);
    state_.ledger.numbers.push_back(stored ? std::move(*stored)
                                           : LedgerNumber{secret_no, pool_key, city, "", {}});
    number = &state_.ledger.numbers.back();
  }
  if (number->pool_key.empty()) number->pool_key = pool_key;
  if (number->city.empty()) number->city = city;
  if (!attempt_id.empty()) number->attempt_id = attempt_id;
  add_event(*number, kind, corrected_now_ms());
  if (!ledger_store_.put(*number)) {
    set_status({"This browser refused to record the number (storage full or disabled).",
                "浏览器拒绝记录该号码（存储已满或被禁用）。"},
               StatusLevel::kError);
  }
  sync_from_ledger();
}

bool Controller::forget_history(std::string typed) {
  reload_ledger();
  if (std::any_of(state_.ledger.attempts.begin(), state_.ledger.attempts.end(),
                  [](const LedgerAttempt& a) { return unresolved(a) || number_missing(a); }) ||
      !state_.run.attempt_id.empty()) {
    set_status({"A purchase is unresolved: settle it before forgetting the history.",
                "有购买尚未处理：请先处理，再清除历史。"},
               StatusLevel::kError);
    return false;
  }
  if (trimmed(std::move(typed)) != kForgetWord) {
    set_status({"Type FORGET to confirm.", "请输入 FORGET 以确认。"}, StatusLevel::kError);
    return false;
  }
  ledger_store_.forget(state_.ledger);
  state_.ledger = Ledger{};
  state_.numbers.records.clear();
  state_.forget_confirmation.clear();
  sync_from_ledger();
  set_status({"This browser's purchase history for this relay is forgotten.",
              "本浏览器在此中转服务的购买历史已清除。"},
             StatusLevel::kInfo);
  return true;
}

std::string Controller::numbers_csv() const {
  return console::numbers_csv(state_.numbers);
}

std::string Controller::numbers_json() const {
  return console::numbers_json(state_.numbers);
}

// ---------------------------------------------------------------- numbers

void Controller::lookup_number(std::string pool_key, std::string secret_no) {
  show(numbers_.lookup(std::move(pool_key), std::move(secret_no)));
}

bool Controller::import_numbers(std::string pool_key, std::string text) {
  return show(numbers_.import_list(std::move(pool_key), std::move(text)));
}

void Controller::refresh_number(std::string secret_no) {
  show(numbers_.refresh(std::move(secret_no)));
}

void Controller::lock_number(std::string secret_no, bool lock) {
  show(numbers_.lock(std::move(secret_no), lock));
}

bool Controller::release_number(std::string secret_no, std::string typed) {
  return show(numbers_.release(std::move(secret_no), std::move(typed)));
}

NumberRecord* Controller::find_number(const std::string& secret_no) {
  return numbers_.find(secret_no);
}

}  // namespace dypls::console
