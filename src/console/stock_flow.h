// The stock table: the query the form asks for, its answer read once into the table (rows in
// the chosen order, the live list of cities a 全国列表 answer names), the sort, and filling the
// Buy form from a row. Owns ConsoleState::stock: a purchase counts a number bought out of the
// table and a reconciliation aims the form at its purchase through the methods here, never by
// writing the rows or the form. Pure transitions: the Controller sends the query it gets here and
// hands the answer back.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "api_session.h"
#include "console_state.h"
#include "flow_result.h"

namespace dypls::console {

class StockFlow {
 public:
  explicit StockFlow(StockState& state) : state_(state) {}

  // The query the form describes. Nothing while one is in flight (no refusal either: the button
  // is busy); a refusal saying which field is wrong when the form is.
  struct Query {
    std::optional<QueryRemainRequest> request;
    std::optional<Notice> refusal;
  };
  Query next_query() const;
  // The query went out (or could not be signed): busy until its answer.
  void sent(bool sent);
  // Reads the answer to `request`, answered at `now_ms`, into the table. ok when it brought
  // stock; the notice is what to tell the person either way.
  FlowResult take_reply(const QueryRemainRequest& request, const ApiReply& reply, LogEntry& entry,
                        std::int64_t now_ms);
  void sort(StockSort sort);
  // Forgets the last error (it described credentials no longer in use).
  void clear_error() { state_.error.reset(); }

  bool busy() const { return state_.busy; }
  // Points the form at a purchase's type, city and prefix, to query the stock it bought from.
  // False (and the form unchanged) while a query is in flight: its answer would be another's.
  bool aim_at(int spec_id, std::string city, std::string prefix);
  // A number was bought in `city`: that city's row is one less (never below 0) until the next
  // query says otherwise.
  void note_bought(const std::string& city);
  // What the last answer says for `city`: its row, or the answer's total when it has none.
  std::optional<std::int64_t> amount_in(const std::string& city) const;
  std::int64_t answered_ms() const { return state_.answered_ms; }
  // The stock known now for `purchase` (same type and prefix), to keep with its attempt as the
  // figure before it.
  std::optional<StockFigure> figure_before(const BuyRequest& purchase) const;

 private:
  void apply_sort();
  StockState& state_;
};

// The Buy form for `city`, with the stock form's type and prefix.
void fill_buy_form(const StockState& stock, std::string city, BuyForm& form);

}  // namespace dypls::console
