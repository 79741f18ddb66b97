#include "stock_flow.h"

#include <algorithm>
#include <utility>

#include "stock_hint.h"
#include "trimmed.h"

namespace dypls::console {
StockFlow::Query StockFlow::next_query() const {
  if (state_.busy) return {};
  QueryRemainRequest request{state_.spec_id, trimmed(state_.city), trimmed(state_.prefix)};
  if (auto errors = validate(request); !errors.empty()) {
    return {std::nullopt, Notice{errors.front().message, StatusLevel::kError}};
  }
  return {std::move(request), std::nullopt};
}

void StockFlow::sent(bool sent) {
  state_.busy = sent;
  if (sent) state_.error.reset();
}

FlowResult StockFlow::take_reply(const QueryRemainRequest& request, const ApiReply& reply,
                                 LogEntry& entry, std::int64_t now_ms) {
  StockState& s = state_;
  s.busy = false;
  Answer<StockAnswer> answer = answer_of(reply, &parse_stock_answer);
  if (!answer.ok()) {
    s.error = answer.error;
    // An OK without its payload is an error only the typed reading sees: the log shows it too.
    if (!entry.error) entry.error = answer.error;
    return FlowResult::refused(answer.error->hint.en.empty()
                                   ? Message{answer.error->message, answer.error->message}
                                   : answer.error->hint);
  }
  s.error.reset();
  s.answer = std::move(answer.value);
  s.answered_for = request;
  s.answered_ms = now_ms;
  s.rows = s.answer->per_city;
  if (request.city == kCityNationwideList) {
    for (const CityStock& row : s.rows) {
      if (std::find(s.cities.begin(), s.cities.end(), row.city) == s.cities.end()) {
        s.cities.push_back(row.city);
      }
    }
  }
  if (s.rows.empty() && !s.answer->city.empty()) {
    s.rows.push_back({s.answer->city, s.answer->amount});
  }
  apply_sort();
  const std::string amount = std::to_string(s.answer->amount);
  return FlowResult::done(Notice{{"Stock: " + amount, "库存：" + amount}, StatusLevel::kSuccess});
}

void StockFlow::sort(StockSort sort) {
  state_.sort = sort;
  apply_sort();
}

void StockFlow::apply_sort() {
  const StockSort sort = state_.sort;
  std::stable_sort(state_.rows.begin(), state_.rows.end(),
                   [sort](const CityStock& a, const CityStock& b) {
                     switch (sort) {
                       case StockSort::kCityAsc:
                         return a.city < b.city;
                       case StockSort::kCityDesc:
                         return a.city > b.city;
                       case StockSort::kAmountAsc:
                         return a.amount < b.amount;
                       case StockSort::kAmountDesc:
                         return a.amount > b.amount;
                     }
                     return false;
                   });
}

bool StockFlow::aim_at(int spec_id, std::string city, std::string prefix) {
  if (state_.busy) return false;
  state_.spec_id = spec_id;
  state_.city = std::move(city);
  state_.prefix = std::move(prefix);
  return true;
}

void StockFlow::note_bought(const std::string& city) {
  for (CityStock& row : state_.rows) {
    if (row.city == city && row.amount > 0) --row.amount;
  }
}

std::optional<std::int64_t> StockFlow::amount_in(const std::string& city) const {
  if (!state_.answer) return std::nullopt;
  for (const CityStock& row : state_.rows) {
    if (row.city == city) return row.amount;
  }
  return state_.answer->amount;
}

std::optional<StockFigure> StockFlow::figure_before(const BuyRequest& purchase) const {
  if (!state_.answer) return std::nullopt;
  return stock_figure_for(purchase, state_.answered_for, state_.rows, state_.answered_ms);
}

void fill_buy_form(const StockState& stock, std::string city, BuyForm& form) {
  form.city = std::move(city);
  form.spec_id = stock.spec_id;
  form.prefix = stock.prefix;
}

}  // namespace dypls::console
