// How the Controller joins its flows: each flow reaches what another owns only through these
// hooks, with values, and whatever a flow tells goes to the status line here.
#include <utility>

#include "controller.h"

namespace dypls::console {

LedgerFlow::Hooks Controller::ledger_hooks() {
  LedgerFlow::Hooks hooks;
  hooks.now = [this] { return corrected_now_ms(); };
  hooks.origin = [this] { return ledger_origin(); };
  hooks.sight_lock = [this](const std::string& pool) { return purchase_.lock_sighting(pool); };
  hooks.own_attempt = [this] { return purchase_.own_attempt(); };
  hooks.unknowns = [this](std::vector<UnknownPurchase> unknowns) {
    if (!reconcile_.show(std::move(unknowns))) purchase_.nothing_unknown();
  };
  return hooks;
}

PurchaseFlow::Hooks Controller::purchase_hooks() {
  PurchaseFlow::Hooks hooks;
  hooks.clock_offset = [this] { return state_.clock_offset_ms; };
  hooks.credentials_problem = [this] { return credentials_problem(); };
  hooks.masked_key_id = [this] {
    return state_.credentials.active ? mask_key_id(state_.credentials.active->key.id)
                                     : std::string();
  };
  hooks.stock_before = [this](const BuyRequest& purchase) {
    return stock_.figure_before(purchase);
  };
  hooks.ledger_origin = [this] { return ledger_.origin(); };
  hooks.unknown_in_pool = [this](const std::string& pool) { return ledger_.unknown_in_pool(pool); };
  hooks.check_pool = [this](const std::string& pool) {
    reload_ledger();
    return ledger_.check_pool(pool);
  };
  hooks.write_attempt = [this](const LedgerAttempt& attempt) { return ledger_.write(attempt); };
  hooks.note_bought = [this](const std::string& secret_no, const BuyRequest& purchase,
                             const std::string& attempt_id) {
    tell(ledger_.note_number(secret_no, purchase.pool_key, purchase.city, NumberEventKind::kBought,
                             attempt_id));
    // Stock for that city is one less now; keep the table honest until the next query.
    stock_.note_bought(purchase.city);
  };
  hooks.show_unknown = [this](const std::string& attempt_id, std::size_t log_id) {
    ledger_.project();
    reconcile_.answered_on(attempt_id, log_id);
  };
  hooks.send = [this](RequestSpec spec, ApiSession::ReplyHandler on_reply) {
    return send_for_flow(std::move(spec), std::move(on_reply));
  };
  hooks.tell = [this](Notice notice) { tell(std::move(notice)); };
  return hooks;
}

ReconcileFlow::Hooks Controller::reconcile_hooks() {
  ReconcileFlow::Hooks hooks;
  hooks.send = [this](RequestSpec spec, ApiSession::ReplyHandler on_reply) {
    return send_for_flow(std::move(spec), std::move(on_reply));
  };
  hooks.query_stock = [this](const BuyRequest& purchase, bool on_its_own,
                             ReconcileFlow::StockDone done) {
    if (!stock_.aim_at(purchase.spec_id, purchase.city, purchase.secret_no_prefix)) return false;
    const auto then = [this, city = purchase.city, done = std::move(done)](bool ok) {
      std::optional<ReconcileFlow::StockAfter> after;
      const std::optional<std::int64_t> amount = ok ? stock_.amount_in(city) : std::nullopt;
      if (amount) after = ReconcileFlow::StockAfter{*amount, stock_.answered_ms()};
      Message why_not;
      if (!after && state_.stock.error) why_not = hint_for_a_read(*state_.stock.error);
      if (!after && why_not.en.empty()) {
        why_not = {"the answer has no figure for " + city + ".",
                   "应答中没有 " + city + " 的库存。"};
      }
      done(after, std::move(why_not));
    };
    return send_stock_query(then, /*say_result=*/!on_its_own);
  };
  hooks.unresolved_attempt = [this](const std::string& id) {
    reload_ledger();  // another tab may have settled it meanwhile
    return ledger_.unresolved_attempt(id);
  };
  hooks.judge = [this](const LedgerAttempt& attempt, const std::string& secret_no,
                       const Answer<NumberDetail>& answer) {
    return ledger_.judge(attempt, secret_no, answer);
  };
  hooks.settle = [this](const LedgerAttempt& settled) { return ledger_.settle(settled); };
  hooks.number_detail = [this](const std::string& secret_no,
                               const std::optional<NumberDetail>& detail) {
    numbers_.take_detail(secret_no, detail);
  };
  hooks.run_awaits_verdict = [this] { return purchase_.awaits_verdict(); };
  hooks.run_verdict = [this](bool run_ended_unknown, bool bought, const std::string& secret_no,
                             const Message& why) {
    purchase_.take_verdict(run_ended_unknown, bought, secret_no, why);
  };
  hooks.now = [this] { return corrected_now_ms(); };
  hooks.tell = [this](Notice notice) { tell(std::move(notice)); };
  return hooks;
}

}  // namespace dypls::console
