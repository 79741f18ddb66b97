// Reconciling an unknown purchase: which one is shown, the stock after it (fetched by itself
// once, or by Check now), checking a typed number with QuerySecretNoDetail (a number of the
// attempt's pool bought at or after it started settles it as bought, "checked by number"), and the
// person's verdict. Owns ConsoleState::unknown and reconcile_note. Every verdict is written to
// the ledger (through Settle, read again first: another tab may have settled it) before the page
// says it; the purchase run that ended on it shows the same verdict in its row.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api_session.h"
#include "console_state.h"
#include "flow_result.h"
#include "ledger.h"
#include "number_check.h"

namespace dypls::console {

class ReconcileFlow {
 public:
  // The stock for the purchase's city after it, and when it was read; nullopt when the query
  // failed, and then `why_not` says why.
  struct StockAfter {
    std::int64_t amount = 0;
    std::int64_t read_ms = 0;
  };
  using StockDone = std::function<void(std::optional<StockAfter> after, Message why_not)>;

  struct Hooks {
    // Signs and sends; false when it cannot be signed (the sender has said why).
    std::function<bool(RequestSpec spec, ApiSession::ReplyHandler on_reply)> send;
    // Queries the stock for `purchase`'s type, city and prefix; false when none was sent (one
    // is in flight, or it cannot be signed). A query sent by itself (`on_its_own`) says nothing
    // on the status line, which still tells of the purchase.
    std::function<bool(const BuyRequest& purchase, bool on_its_own, StockDone done)> query_stock;
    // The ledger's attempt `id`, read again from storage, while still unresolved.
    std::function<std::optional<LedgerAttempt>(const std::string& id)> unresolved_attempt;
    std::function<NumberCheck(const LedgerAttempt& attempt, const std::string& secret_no,
                              const Answer<NumberDetail>& answer)>
        judge;
    // Writes the verdict (and a number it names) to the ledger; false when storage refused it.
    std::function<bool(const LedgerAttempt& settled)> settle;
    // The detail a check by number found, for the number's row.
    std::function<void(const std::string& secret_no, const std::optional<NumberDetail>& detail)>
        number_detail;
    // Whether this tab's run ended on an unknown outcome, and the verdict for its row.
    std::function<bool()> run_awaits_verdict;
    std::function<void(bool run_ended_unknown, bool bought, const std::string& secret_no,
                       const Message& why)>
        run_verdict;
    std::function<std::int64_t()> now;  // ledger time
    std::function<void(Notice notice)> tell;
  };

  ReconcileFlow(std::optional<UnknownPurchase>& unknown, Message& note, Hooks hooks);

  // The ledger's unknown outcomes, oldest first: the one shown stays shown (with what the person
  // typed and fetched) while it is among them, else the first is. False when none is left.
  bool show(std::vector<UnknownPurchase> unknowns);
  // The answer to this tab's purchase came on log line `log_id`.
  void answered_on(const std::string& attempt_id, std::size_t log_id);
  // The shown outcome has no record at all (a page went away, or another tab still waits).
  bool shows_pending() const { return unknown_ && unknown_->no_outcome_recorded; }

  // Queries the stock after and, if a number was typed, checks it.
  FlowResult reconcile();
  // Without a number the stock difference is the hint: the figure after is fetched by itself,
  // once per unknown purchase shown. Whether it still wants it; then fetch it (the caller says
  // when a query may go out by itself).
  bool wants_stock_after() const;
  void fetch_stock_after_once();
  // The person's verdict: bought (with the number, if known) or not bought.
  FlowResult resolve(bool bought, std::string secret_no);

 private:
  void fetch_stock_after(bool on_its_own);
  FlowResult check_number(const std::string& attempt_id, const std::string& pool_key,
                          const std::string& secret_no);
  void settle_by_number(const std::string& attempt_id, const std::string& secret_no,
                        const Answer<NumberDetail>& answer);

  std::optional<UnknownPurchase>& unknown_;
  Message& note_;
  Hooks hooks_;
};

}  // namespace dypls::console
