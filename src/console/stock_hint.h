// What the stock before and after an unknown purchase suggest, in words. A hint, never proof:
// other customers buy from the same stock. Pure.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/actions.h"
#include "core/message.h"
#include "ledger.h"

namespace dypls::console {

enum class StockHint {
  kNoBefore,     // no figure from before the purchase: the stock cannot tell
  kNoAfter,      // not checked yet
  kOneLess,      // suggests it was bought
  kSame,         // suggests it was not bought
  kOtherChange,  // moved by more than one (or up): others are buying or stock was added
};

struct StockReading {
  StockHint hint = StockHint::kNoAfter;
  Message text;
};

StockReading read_stock_change(std::optional<std::int64_t> before,
                               std::optional<std::int64_t> after);

// The figure a stock answer gives for a purchase's city, when the answer was for the same type
// and prefix (another type's count cannot be compared); nullopt otherwise.
std::optional<StockFigure> stock_figure_for(const BuyRequest& purchase,
                                            const QueryRemainRequest& answered,
                                            const std::vector<CityStock>& rows,
                                            std::int64_t read_ms);

// The verdict the stock supports: true bought, false not bought, nullopt no support.
std::optional<bool> stock_suggests_bought(StockHint hint);

}  // namespace dypls::console
