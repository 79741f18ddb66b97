#include "stock_hint.h"

#include <string>

namespace dypls::console {

StockReading read_stock_change(std::optional<std::int64_t> before,
                               std::optional<std::int64_t> after) {
  const std::string caveat_en = " Other customers may buy from the same stock: a hint, not proof.";
  const std::string caveat_zh = "其他客户也可能从同一库存购买：这只是线索，不是证明。";
  if (!after) {
    return {StockHint::kNoAfter,
            {"Press Check now to fetch the stock for this city and type.",
             "点击“立即核对”查询该城市和类型的库存。"}};
  }
  if (!before) {
    return {StockHint::kNoBefore,
            {"This browser saw no stock figure for this city and type before the purchase, so "
             "the stock cannot tell whether it went through. Check by number instead (for "
             "example from Alibaba Cloud console's list of your numbers).",
             "本浏览器在购买前没有看到该城市和类型的库存数字，所以库存无法说明是否已购买。"
             "请改为按号码核对（例如从阿里云控制台的号码列表中找到号码）。"}};
  }
  const std::int64_t change = *before - *after;
  if (change == 1) {
    return {StockHint::kOneLess,
            {"One less than before: this suggests the purchase went through." + caveat_en,
             "比之前少一个：说明很可能已购买。" + caveat_zh}};
  }
  if (change == 0) {
    return {StockHint::kSame,
            {"The same as before: this suggests the purchase did not go through." + caveat_en,
             "与之前相同：说明很可能未购买。" + caveat_zh}};
  }
  return {StockHint::kOtherChange,
          {"The stock moved by " + std::to_string(-change) +
               ": others bought from it or it was refilled, so it cannot tell. Check by number.",
           "库存变化了 " + std::to_string(-change) +
               "：有其他购买或补充了库存，无法据此判断。请按号码核对。"}};
}

std::optional<StockFigure> stock_figure_for(const BuyRequest& purchase,
                                            const QueryRemainRequest& answered,
                                            const std::vector<CityStock>& rows,
                                            std::int64_t read_ms) {
  if (answered.spec_id != purchase.spec_id ||
      answered.secret_no_prefix != purchase.secret_no_prefix) {
    return std::nullopt;
  }
  for (const CityStock& row : rows) {
    if (row.city == purchase.city) {
      return StockFigure{purchase.city, purchase.spec_id, purchase.secret_no_prefix, row.amount,
                         read_ms};
    }
  }
  return std::nullopt;
}

std::optional<bool> stock_suggests_bought(StockHint hint) {
  if (hint == StockHint::kOneLess) return true;
  if (hint == StockHint::kSame) return false;
  return std::nullopt;
}

}  // namespace dypls::console
