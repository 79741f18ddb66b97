// The stock table: the query the form asks for, its answer read once into the table (rows in
// the chosen order, the live list of cities a 全国列表 answer names), the sort, and filling the
// Buy form from a row. Owns ConsoleState::stock. Pure transitions: the Controller sends the
// query it gets here and hands the answer back (an unknown purchase's reconciliation reads the
// table after that, in the Controller).
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

 private:
  void apply_sort();
  StockState& state_;
};

// The Buy form for `city`, with the stock form's type and prefix.
void fill_buy_form(const StockState& stock, std::string city, BuyForm& form);

}  // namespace dypls::console
