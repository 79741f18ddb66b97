// The dispatcher panels call: it owns the ports, the ApiSession and the flows, routes each panel
// call to the flow that owns that slice of ConsoleState, signs and sends for them, and writes what
// they return (or tell, when an answer comes later) to the status line, which only it writes.
// The flows, each on its slice:
// - credentials_flow: pasting, remembering in this tab, profiles, whether they can sign now;
// - stock_flow: the stock query and table (a purchase counts a number out of it, a
//   reconciliation aims its form, both through its methods);
// - numbers_flow: looking up, importing, locking, releasing numbers;
// - purchase_flow: the purchase run (core/purchase_run.h's transition, carried out);
// - ledger_flow: the durable ledger, and the numbers list and unknown outcomes as views of it;
// - reconcile_flow: the unknown outcome shown, its stock after, the check by number, the verdict.
// Flows reach each other only through the small hooks wired here, with values. Tests call this
// class too, with fake ports, and assert on state().
//
// Strings are taken by value (or copied first): panels pass text that lives in state(), which
// these methods change (resolve_unknown() clears the very field the typed number sits in).
//
// The purchase run's rules live in core/purchase_run.h, a pure transition function; purchase_flow
// carries out the commands it returns and feeds what came of them back as events. They are:
// - one purchase in flight; a second submit or confirm while one runs is ignored;
// - a Buy is never retried automatically: any error stops the run, except throttling, which is
//   a definite "not done" and is waited out before the next attempt (fresh nonce and time);
// - an answer that never came (status 0, timeout, dropped, unreadable) makes the outcome
//   unknown, and no purchase starts until the person reconciles and resolves it;
// - every attempt is written to the durable ledger before its request leaves (a refused write
//   sends nothing); an attempt the ledger has no outcome for (the page closed) is unknown too;
// - one purchase at a time across the tabs of a browser profile (the PurchaseLock), and the
//   ledger is read again once the lock is held, so another tab's unknown outcome blocks this one.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api_session.h"
#include "console_state.h"
#include "credentials_flow.h"
#include "flow_result.h"
#include "ledger_flow.h"
#include "numbers_flow.h"
#include "ports.h"
#include "purchase_flow.h"
#include "reconcile_flow.h"
#include "stock_flow.h"

namespace dypls::console {

using dypls::kLedgerSettleMs;
using dypls::kMaxThrottleWaits;

class Controller {
 public:
  Controller(Transport& transport, Clock& clock, NonceSource& nonces, Storage& storage,
             DurableStorage& durable, PurchaseLock& lock);

  ConsoleState& state() { return state_; }
  const ConsoleState& state() const { return state_; }

  // Restores credentials remembered in this tab (if the person opted in), the ledger and the
  // tab's activity, and asks the relay for its configuration.
  void start();
  // Advances timed work (throttle waits, waiting for another tab) and picks up ledger changes
  // other tabs made. Call every frame.
  void tick();
  // Leaving now could lose track of a purchase: one is in flight or an outcome is unknown.
  bool leave_warning() const;

  // ---- Settings and relay ----
  void fetch_relay_config();
  std::string api_base() const;  // relay URL without trailing slash ("" = same origin)
  std::int64_t corrected_now_ms() const;

  // ---- Credentials ----
  // Parses any shape the core knows; on success replaces the active credentials.
  bool paste_credentials(std::string text);
  void set_remember_in_tab(bool remember);
  void forget_credentials();
  void use_demo_credentials();  // sandbox only: GET /sandbox/assume-role through the relay
  std::int64_t credentials_pasted_at() const { return credentials_.pasted_at_s(); }
  // Named profiles (memory only; Forget wipes them too).
  bool save_profile(std::string name);
  bool use_profile(std::string name);
  void delete_profile(std::string name);

  // ---- Stock ----
  void query_stock();
  void sort_stock(StockSort sort);
  void fill_buy_from_stock(std::string city);

  // ---- Purchase ----
  std::vector<FieldError> buy_form_errors() const;
  // Validates the form and asks for confirmation. False (and nothing changes) when a purchase
  // is already running or awaiting confirmation, or an unknown outcome is unresolved.
  bool submit_purchase();
  void cancel_purchase();
  // Starts the run confirmed on screen. Ignored unless awaiting confirmation (double clicks).
  bool confirm_purchase();
  void stop_run();
  // An unknown outcome in the form's pool waits for the person.
  bool purchase_blocked() const;
  // Queries stock for the unknown purchase's city and type and, if a number was typed, checks
  // it with QuerySecretNoDetail: a number of the attempt's pool bought at or after the attempt
  // started settles it as bought ("checked by number") without asking.
  void reconcile_unknown();
  // The person's verdict: bought (with the number, if known) or not bought.
  void resolve_unknown(bool bought, std::string secret_no);
  // The number of an attempt settled as bought without one.
  bool record_missing_number(std::string attempt_id, std::string secret_no);
  // Forgets this browser's ledger for the relay; only with `typed` == kForgetWord and nothing
  // unresolved.
  bool forget_history(std::string typed);
  // The ledger's numbers, for taking away.
  std::string numbers_csv() const;
  std::string numbers_json() const;

  // ---- Numbers ----
  void lookup_number(std::string pool_key, std::string secret_no);
  // Reads a pasted list (one a line, separated, or a CSV export) and looks each number up in
  // `pool_key`, one at a time (tick() sends them). False when nothing could be read or an
  // import is still running.
  bool import_numbers(std::string pool_key, std::string text_in);
  void refresh_number(std::string secret_no);
  void lock_number(std::string secret_no, bool lock);
  // Sends ReleaseSecretNo only when `typed` equals the number.
  bool release_number(std::string secret_no, std::string typed);
  NumberRecord* find_number(const std::string& secret_no);

  // ---- Activity ----
  // Signs the logged request afresh (new time and nonce) and renders it as curl.
  std::optional<std::string> curl_for(std::size_t log_id);
  void set_status(Message text, StatusLevel level);

 private:
  // Writes a flow's notice, if any, to the status line; returns whether the flow did it.
  bool show(FlowResult result);
  void tell(std::optional<Notice> notice);
  // Signs `spec` with the active credentials and sends it; the refusal when it cannot be signed.
  std::optional<Notice> send_api(RequestSpec spec, ApiSession::ReplyHandler on_reply);
  // send_api() for a flow: a refusal goes to the status line; false when nothing was sent.
  bool send_for_flow(RequestSpec spec, ApiSession::ReplyHandler on_reply);
  // Sends the stock form's query; `then` hears whether its answer brought stock.
  // `then` reads the answer first; with `say_result` false (a query sent by itself) neither its
  // refusal nor its answer takes the status line.
  bool send_stock_query(std::function<void(bool ok)> then, bool say_result = true);
  void send_plain_get(const std::string& path, ResponseHandler on_answer);
  void observe_date(const HttpResponse& response, std::int64_t sent_ms, std::int64_t done_ms);
  // Why nothing may be signed now (no credentials, or expired); nullopt when they are usable.
  std::optional<Message> credentials_problem() const;
  RequestSpec prepare(RequestSpec spec) const;
  SigningContext fresh_context();
  std::string ledger_origin() const;
  void reload_ledger();

  // The hooks that join the flows (controller_hooks.cpp).
  LedgerFlow::Hooks ledger_hooks();
  PurchaseFlow::Hooks purchase_hooks();
  ReconcileFlow::Hooks reconcile_hooks();

  Transport& transport_;
  Clock& clock_;
  NonceSource& nonces_;
  Storage& storage_;
  DurableStorage& durable_;
  PurchaseLock& lock_;
  ConsoleState state_;
  // After state_: each works on its slice.
  ApiSession api_{transport_, clock_, state_.log};
  CredentialsFlow credentials_{state_.credentials, storage_};
  StockFlow stock_{state_.stock};
  LedgerFlow ledger_{ledger_slice(state_), durable_, ledger_hooks()};
  NumbersFlow numbers_;
  PurchaseFlow purchase_{state_.run, clock_, nonces_, lock_, purchase_hooks()};
  ReconcileFlow reconcile_{state_.unknown, state_.reconcile_note, reconcile_hooks()};
  std::uint64_t config_generation_ = 0;
};

}  // namespace dypls::console
