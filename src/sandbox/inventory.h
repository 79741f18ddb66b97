// Pools, stock and bought numbers, with the rules of the real service: stock per city and SpecId,
// the special cities 全国 / 全国列表 / 全国通用, prefix matching, and the states a number moves
// through. Pure: the caller supplies "now" and the generator.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sandbox/catalog.h"
#include "sandbox/rng.h"

namespace dypls::sandbox {

inline constexpr std::string_view kNationwide = "全国";
inline constexpr std::string_view kNationwideList = "全国列表";
inline constexpr std::string_view kNationwideGeneric = "全国通用";

// A business outcome: Code "OK" or an isv.* code with its message (sent as HTTP 200).
struct Outcome {
  std::string code = "OK";
  std::string message = "OK";
  bool ok() const { return code == "OK"; }
};

enum class SecretStatus { kUnbound = 0, kBound = 1, kLocked = 2, kFrozen = 3 };

struct OwnedNumber {
  std::string secret_no;
  std::string pool_key;
  int spec_id = 1;
  std::string city;
  std::string province;
  Vendor vendor = Vendor::kChinaMobile;
  std::int64_t purchased_at = 0;  // epoch seconds
  int bindings = 0;               // bound while > 0
  bool locked = false;
  bool frozen = false;
  bool certified = false;
  SecretStatus status() const;
};

struct StockReport {
  std::string city;
  std::int64_t amount = 0;
  std::vector<std::pair<std::string, std::int64_t>> per_city;  // 全国列表 only
  bool listed = false;                                         // City was 全国列表
};

// A stock level chosen by hand (`--stock SPEC:CITY:N`) instead of the seeded one.
struct StockOverride {
  int spec_id = 1;
  std::string city;
  std::int64_t amount = 0;
};

class Inventory {
 public:
  // Seeds stock for every city and SpecId from `seed`, then applies the overrides.
  Inventory(std::uint64_t seed, std::vector<StockOverride> overrides);

  void add_pool(const std::string& pool_key) { pools_.insert(pool_key); }
  bool has_pool(std::string_view pool_key) const { return pools_.count(pool_key) > 0; }
  const std::set<std::string, std::less<>>& pools() const { return pools_; }

  // Arguments are already type-checked; these apply the service's own rules.
  Outcome query_remain(int spec_id, std::string_view city, std::string_view prefix,
                       StockReport& report) const;
  Outcome buy(std::string_view pool_key, int spec_id, std::string_view city,
              std::string_view prefix, std::int64_t now, Rng& rng, OwnedNumber& bought);
  Outcome release(std::string_view pool_key, std::string_view secret_no);
  Outcome lock(std::string_view pool_key, std::string_view secret_no);
  Outcome unlock(std::string_view pool_key, std::string_view secret_no);
  Outcome detail(std::string_view pool_key, std::string_view secret_no, OwnedNumber& out) const;
  // What a binding (BindAxb and friends, not emulated) does to a number: lets tests and demos
  // reach the "bound" state.
  Outcome bind(std::string_view pool_key, std::string_view secret_no);
  Outcome unbind(std::string_view pool_key, std::string_view secret_no);

  // Read access for the state dump and persistence.
  std::uint64_t seed() const { return seed_; }
  const std::vector<StockOverride>& overrides() const { return overrides_; }
  const std::map<std::string, OwnedNumber, std::less<>>& numbers() const { return numbers_; }
  const std::set<std::string, std::less<>>& retired() const { return retired_; }
  std::int64_t stock(int spec_id, std::string_view city) const;
  // (SpecId, City) -> amount, for every seeded shelf.
  std::vector<std::pair<std::pair<int, std::string>, std::int64_t>> stock_levels() const;

  // For loading saved state: numbers owned and numbers sold then released (never restocked).
  void restore(std::set<std::string, std::less<>> pools, std::vector<OwnedNumber> numbers,
               std::set<std::string, std::less<>> retired);

 private:
  using ShelfKey = std::pair<int, std::string>;
  using Shelf = std::vector<std::string>;  // sorted, so a prefix is one contiguous range

  static std::pair<Shelf::const_iterator, Shelf::const_iterator> prefix_range(
      const Shelf& shelf, std::string_view prefix);
  std::vector<const ShelfKey*> shelves_for(int spec_id, std::string_view city) const;
  // isv.POOLKEY_NOT_EXISTS or isv.NO_NOT_EXIST unless the pool owns the number.
  Outcome check_owned(std::string_view pool_key, std::string_view secret_no) const;
  void seed_shelves();
  void remove_from_shelves(const std::string& secret_no);

  std::uint64_t seed_;
  std::vector<StockOverride> overrides_;
  std::map<ShelfKey, Shelf> shelves_;
  std::set<std::string, std::less<>> pools_;
  std::map<std::string, OwnedNumber, std::less<>> numbers_;
  std::set<std::string, std::less<>> retired_;
};

}  // namespace dypls::sandbox
