// What the stock before and after an unknown purchase suggest, as a table.
#include "stock_hint.h"

#include <gtest/gtest.h>

namespace dypls::console::testing {
namespace {

struct Row {
  std::optional<std::int64_t> before;
  std::optional<std::int64_t> after;
  StockHint hint;
  std::optional<bool> suggests_bought;
};

TEST(StockHint, Table) {
  const std::vector<Row> rows = {
      {5, 4, StockHint::kOneLess, true},
      {5, 5, StockHint::kSame, false},
      {5, 3, StockHint::kOtherChange, {}},
      {5, 7, StockHint::kOtherChange, {}},
      {std::nullopt, 4, StockHint::kNoBefore, {}},
      {5, std::nullopt, StockHint::kNoAfter, {}},
      {std::nullopt, std::nullopt, StockHint::kNoAfter, {}},
      {1, 0, StockHint::kOneLess, true},
  };
  for (const Row& row : rows) {
    const StockReading reading = read_stock_change(row.before, row.after);
    EXPECT_EQ(reading.hint, row.hint) << row.before.value_or(-1) << "->" << row.after.value_or(-1);
    EXPECT_EQ(stock_suggests_bought(reading.hint), row.suggests_bought);
    EXPECT_FALSE(reading.text.en.empty());
    EXPECT_FALSE(reading.text.zh.empty());
  }
}

TEST(StockHint, AHintSaysItIsNotProof) {
  for (const auto& [before, after] : {std::pair{5, 4}, std::pair{5, 5}}) {
    const StockReading reading = read_stock_change(before, after);
    EXPECT_NE(reading.text.en.find("Other customers may buy from the same stock"),
              std::string::npos);
    EXPECT_NE(reading.text.zh.find("其他客户"), std::string::npos);
  }
  EXPECT_NE(read_stock_change(std::nullopt, 4).text.en.find("cannot tell"), std::string::npos);
}

}  // namespace
}  // namespace dypls::console::testing
