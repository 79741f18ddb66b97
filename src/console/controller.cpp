#include "controller.h"

#include <utility>

#include "activity_store.h"
#include "core/time_format.h"
#include "curl_command.h"
#include "http_date.h"
#include "relay_config.h"
#include "trimmed.h"

namespace dypls::console {

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
      durable_(durable),
      lock_(lock),
      numbers_(
          state_.numbers, clock_,
          [this](RequestSpec spec, ApiSession::ReplyHandler on_reply) {
            return send_for_flow(std::move(spec), std::move(on_reply));
          },
          [this](const std::string& secret_no, const std::string& pool_key, const std::string& city,
                 NumberEventKind kind) {
            tell(ledger_.note_number(secret_no, pool_key, city, kind, ""));
          },
          [this](Notice notice) { tell(std::move(notice)); }) {}

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
  return purchase_.in_flight() || state_.unknown.has_value();
}

void Controller::tick() {
  if (ledger_.changed_elsewhere()) {
    reload_ledger();
  } else if (ledger_.others_buying() || reconcile_.shows_pending()) {
    // Another tab's purchase becomes unknown once its tab is gone (the lock let go, or too old):
    // no storage event says so.
    ledger_.show_unresolved();
  }
  numbers_.advance_import();
  // The stock after an unknown purchase is fetched by itself when it can be signed and nothing
  // is being bought.
  if (reconcile_.wants_stock_after() && !run_active(state_.run.phase) && !stock_.busy() &&
      state_.relay.loaded && !credentials_problem()) {
    reconcile_.fetch_stock_after_once();
  }
  purchase_.tick();
}

// ---------------------------------------------------------------- settings and relay

std::string Controller::api_base() const {
  std::string base = trimmed(state_.settings.relay_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

std::int64_t Controller::corrected_now_ms() const {
  return clock_.now_ms() + state_.clock_offset_ms;
}

void Controller::fetch_relay_config() {
  if (ledger_origin() != ledger_.origin() && !purchase_.under_way()) reload_ledger();
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

std::optional<Notice> Controller::send_api(RequestSpec spec, ApiSession::ReplyHandler on_reply) {
  if (std::optional<Message> problem = credentials_problem()) {
    return Notice{std::move(*problem), StatusLevel::kError};
  }
  api_.send(prepare(std::move(spec)), state_.credentials.active->key, fresh_context(), api_base(),
            [this, on_reply = std::move(on_reply)](const ApiReply& reply, LogEntry& entry) {
              observe_date(reply.response, reply.sent_ms, reply.done_ms);
              on_reply(reply, entry);
              save_activity(state_.log, storage_);
            });
  return std::nullopt;
}

bool Controller::send_for_flow(RequestSpec spec, ApiSession::ReplyHandler on_reply) {
  std::optional<Notice> refusal = send_api(std::move(spec), std::move(on_reply));
  const bool sent = !refusal;
  tell(std::move(refusal));
  return sent;
}

std::optional<std::string> Controller::curl_for(std::size_t log_id) {
  const LogEntry* entry = state_.log.find(log_id);
  if (entry == nullptr) return std::nullopt;
  if (std::optional<Message> problem = credentials_problem()) {
    set_status(std::move(*problem), StatusLevel::kError);
    return std::nullopt;
  }
  RequestSpec spec = prepare(entry->spec);
  spec.style = entry->style;  // the entry's own signature version, whatever Settings say now
  const SignedRequest fresh = sign(spec, state_.credentials.active->key, fresh_context());
  std::string base = api_base();
  if (base.empty()) base = state_.page_origin;
  return curl_command(fresh, base + "/api" + fresh.path_and_query);
}

bool Controller::show(FlowResult result) {
  tell(std::move(result.notice));
  return result.ok;
}

void Controller::tell(std::optional<Notice> notice) {
  if (notice) set_status(std::move(notice->text), notice->level);
}

void Controller::set_status(Message text, StatusLevel level) {
  state_.status.text = std::move(text);
  state_.status.level = level;
  state_.status.at_ms = clock_.now_ms();
  ++state_.status.seq;
}

// ---------------------------------------------------------------- stock

void Controller::query_stock() {
  send_stock_query({});
}

bool Controller::send_stock_query(std::function<void(bool ok)> then, bool say_result) {
  StockFlow::Query query = stock_.next_query();
  if (say_result) tell(std::move(query.refusal));
  if (!query.request) return false;
  const QueryRemainRequest request = std::move(*query.request);
  const bool sent = send_for_flow(
      to_spec(request),
      [this, request, then = std::move(then), say_result](const ApiReply& reply, LogEntry& entry) {
        FlowResult read = stock_.take_reply(request, reply, entry, corrected_now_ms());
        if (then) then(read.ok);  // an unknown purchase's reconciliation reads the table
        if (say_result) show(std::move(read));
      });
  stock_.sent(sent);
  return sent;
}

void Controller::sort_stock(StockSort sort) {
  stock_.sort(sort);
}

void Controller::fill_buy_from_stock(std::string city) {
  if (purchase_.sending()) return;
  fill_buy_form(state_.stock, std::move(city), state_.buy);
}

// ---------------------------------------------------------------- purchase

std::vector<FieldError> Controller::buy_form_errors() const {
  return console::buy_form_errors(state_.buy);
}

bool Controller::purchase_blocked() const {
  return purchase_.blocked(state_.buy);
}

bool Controller::submit_purchase() {
  return purchase_.submit(state_.buy);
}

void Controller::cancel_purchase() {
  purchase_.cancel();
}

bool Controller::confirm_purchase() {
  return purchase_.confirm(state_.buy);
}

void Controller::stop_run() {
  purchase_.stop();
}

// ---------------------------------------------------------------- reconcile and ledger

void Controller::reconcile_unknown() {
  show(reconcile_.reconcile());
}

void Controller::resolve_unknown(bool bought, std::string secret_no) {
  show(reconcile_.resolve(bought, std::move(secret_no)));
}

bool Controller::record_missing_number(std::string attempt_id, std::string secret_no) {
  return show(ledger_.record_missing_number(std::move(attempt_id), std::move(secret_no)));
}

bool Controller::forget_history(std::string typed) {
  return show(ledger_.forget(std::move(typed), purchase_.under_way()));
}

std::string Controller::numbers_csv() const {
  return console::numbers_csv(state_.numbers);
}

std::string Controller::numbers_json() const {
  return console::numbers_json(state_.numbers);
}

std::string Controller::ledger_origin() const {
  const std::string base = api_base();
  return base.empty() ? state_.page_origin : base;
}

void Controller::reload_ledger() {
  tell(ledger_.reload());
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
