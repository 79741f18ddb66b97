#include "sandbox/inventory.h"

#include <algorithm>

namespace dypls::sandbox {
namespace {

constexpr std::int64_t kMaxShelfSize = 50000;
constexpr std::size_t kBlockDigits = 7;  // a number is a 7-digit block plus a 4/5-digit suffix

Outcome fail(std::string code, std::string message) {
  return {std::move(code), std::move(message)};
}

// The seeded stock of one shelf: bigger cities have more numbers; some small cities have none
// of the virtual-operator numbers, so 全国列表 has something to leave out.
std::int64_t seeded_amount(int spec_id, const City& city, Rng& rng) {
  switch (city.size) {
    case 4:
      return rng.between(300, 600);
    case 3:
      return rng.between(150, 300);
    case 2:
      return rng.between(40, 150);
    default:
      return (spec_id == 1 && rng.chance(0.3)) ? 0 : rng.between(3, 40);
  }
}

Vendor vendor_of(int spec_id, std::string_view secret_no) {
  const SpecProfile* profile = spec_profile(spec_id);
  if (profile != nullptr) {
    for (const Segment& segment : profile->segments) {
      if (secret_no.substr(0, segment.prefix.size()) == segment.prefix) return segment.vendor;
    }
  }
  return Vendor::kChinaMobile;
}

std::string province_of(std::string_view city) {
  if (city == kNationwideGeneric) return std::string(kNationwide);
  const City* info = find_city(city);
  return info == nullptr ? std::string() : std::string(info->province);
}

}  // namespace

SecretStatus OwnedNumber::status() const {
  if (frozen) return SecretStatus::kFrozen;
  if (locked) return SecretStatus::kLocked;
  return bindings > 0 ? SecretStatus::kBound : SecretStatus::kUnbound;
}

Inventory::Inventory(std::uint64_t seed, std::vector<StockOverride> overrides)
    : seed_(seed), overrides_(std::move(overrides)) {
  seed_shelves();
}

void Inventory::seed_shelves() {
  Rng rng(seed_ ^ 0x5EEDC0DE5EEDC0DEULL);
  std::set<std::string> issued;
  const auto fill = [&](int spec_id, const std::string& city, std::int64_t amount) {
    const SpecProfile& profile = *spec_profile(spec_id);
    amount = std::clamp<std::int64_t>(amount, 0, kMaxShelfSize);
    Shelf& shelf = shelves_[{spec_id, city}];
    // A city gets a few number blocks, as a carrier assigns ranges to a region.
    std::vector<std::string> blocks;
    const std::int64_t block_count = 2 + amount / 4000;
    for (std::int64_t i = 0; i < block_count; ++i) {
      const Segment& segment = profile.segments[rng.below(profile.segments.size())];
      blocks.push_back(std::string(segment.prefix) +
                       rng.digits(kBlockDigits - std::min(kBlockDigits, segment.prefix.size())));
    }
    const std::size_t suffix_digits = static_cast<std::size_t>(profile.digits) - kBlockDigits;
    while (static_cast<std::int64_t>(shelf.size()) < amount) {
      std::string number = blocks[rng.below(blocks.size())] + rng.digits(suffix_digits);
      if (issued.insert(number).second) shelf.push_back(std::move(number));
    }
    std::sort(shelf.begin(), shelf.end());
  };
  const auto override_for = [&](int spec_id, std::string_view city) -> const StockOverride* {
    for (const StockOverride& o : overrides_) {
      if (o.spec_id == spec_id && o.city == city) return &o;
    }
    return nullptr;
  };
  for (int spec_id = kMinSpecId; spec_id <= kMaxSpecId; ++spec_id) {
    const SpecProfile& profile = *spec_profile(spec_id);
    if (profile.nationwide_only) {
      const std::int64_t seeded = rng.between(200, 500);
      const StockOverride* o = override_for(spec_id, kNationwideGeneric);
      fill(spec_id, std::string(kNationwideGeneric), o != nullptr ? o->amount : seeded);
      continue;
    }
    for (const City& city : mainland_cities()) {
      const std::int64_t seeded = seeded_amount(spec_id, city, rng);
      const StockOverride* o = override_for(spec_id, city.name);
      fill(spec_id, std::string(city.name), o != nullptr ? o->amount : seeded);
    }
  }
}

std::pair<Inventory::Shelf::const_iterator, Inventory::Shelf::const_iterator>
Inventory::prefix_range(const Shelf& shelf, std::string_view prefix) {
  const auto first =
      std::lower_bound(shelf.begin(), shelf.end(), prefix,
                       [](const std::string& a, std::string_view b) { return a < b; });
  auto last = first;
  while (last != shelf.end() && std::string_view(*last).substr(0, prefix.size()) == prefix) ++last;
  return {first, last};
}

std::vector<const Inventory::ShelfKey*> Inventory::shelves_for(int spec_id,
                                                               std::string_view city) const {
  std::vector<const ShelfKey*> keys;
  for (const auto& entry : shelves_) {
    if (entry.first.first != spec_id) continue;
    if (city == kNationwide || city == kNationwideList || entry.first.second == city) {
      keys.push_back(&entry.first);
    }
  }
  return keys;
}

namespace {

// The rules on SpecId and City shared by the stock query and the purchase.
Outcome check_spec_and_city(int spec_id, std::string_view city, bool for_purchase) {
  const SpecProfile* profile = spec_profile(spec_id);
  if (profile == nullptr) {
    return fail(
        "isv.INVALID_PARAMETERS",
        "SpecId " + std::to_string(spec_id) +
            " is not valid: use 1 (170/171 numbers), 2 (carrier numbers) or 3 (95 numbers).");
  }
  if (profile->nationwide_only && city != kNationwideGeneric) {
    return fail("isv.INVALID_PARAMETERS", "SpecId 3 (95 numbers) requires City=全国通用.");
  }
  if (!profile->nationwide_only && city == kNationwideGeneric) {
    return fail("isv.INVALID_PARAMETERS",
                "City=全国通用 is only for SpecId 3 (95 numbers); give a city name or 全国.");
  }
  if (for_purchase && city == kNationwideList) {
    return fail("isv.INVALID_PARAMETERS",
                "City=全国列表 is for QuerySecretNoRemain only; buy with a city name or 全国.");
  }
  return {};
}

}  // namespace

Outcome Inventory::query_remain(int spec_id, std::string_view city, std::string_view prefix,
                                StockReport& report) const {
  if (Outcome check = check_spec_and_city(spec_id, city, false); !check.ok()) return check;
  report = StockReport{};
  report.city = std::string(city);
  report.listed = city == kNationwideList;
  for (const ShelfKey* key : shelves_for(spec_id, city)) {
    const auto [first, last] = prefix_range(shelves_.at(*key), prefix);
    const auto amount = static_cast<std::int64_t>(last - first);
    report.amount += amount;
    if (report.listed && amount > 0) report.per_city.emplace_back(key->second, amount);
  }
  return {};
}

Outcome Inventory::buy(std::string_view pool_key, int spec_id, std::string_view city,
                       std::string_view prefix, std::int64_t now, Rng& rng, OwnedNumber& bought) {
  if (!has_pool(pool_key)) {
    return fail("isv.POOLKEY_NOT_EXISTS", "PoolKey " + std::string(pool_key) + " does not exist.");
  }
  if (Outcome check = check_spec_and_city(spec_id, city, true); !check.ok()) return check;
  std::vector<std::pair<const ShelfKey*, std::int64_t>> candidates;
  std::int64_t total = 0;
  for (const ShelfKey* key : shelves_for(spec_id, city)) {
    const auto [first, last] = prefix_range(shelves_.at(*key), prefix);
    if (last != first) {
      candidates.emplace_back(key, last - first);
      total += last - first;
    }
  }
  if (total == 0) {
    std::string what =
        "No number is available in " + std::string(city) + " for SpecId " + std::to_string(spec_id);
    if (!prefix.empty()) what += " starting with " + std::string(prefix);
    return fail("isv.NO_AVAILABLE_NUMBER", what + ".");
  }
  auto pick = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(total)));
  for (const auto& [key, count] : candidates) {
    if (pick >= count) {
      pick -= count;
      continue;
    }
    Shelf& shelf = shelves_.at(*key);
    const auto first = prefix_range(shelf, prefix).first - shelf.cbegin();
    const auto it = shelf.begin() + first + pick;
    OwnedNumber number;
    number.secret_no = *it;
    number.pool_key = std::string(pool_key);
    number.spec_id = spec_id;
    number.city = key->second;
    number.province = province_of(key->second);
    number.vendor = vendor_of(spec_id, number.secret_no);
    number.purchased_at = now;
    shelf.erase(it);
    bought = number;
    numbers_.emplace(number.secret_no, std::move(number));
    return {};
  }
  return fail("isp.SYSTEM_ERROR", "Stock changed while buying; try again.");  // not reached
}

Outcome Inventory::check_owned(std::string_view pool_key, std::string_view secret_no) const {
  if (!has_pool(pool_key)) {
    return fail("isv.POOLKEY_NOT_EXISTS", "PoolKey " + std::string(pool_key) + " does not exist.");
  }
  const auto it = numbers_.find(secret_no);
  if (it == numbers_.end() || it->second.pool_key != pool_key) {
    return fail("isv.NO_NOT_EXIST", "SecretNo " + std::string(secret_no) +
                                        " is not a number of pool " + std::string(pool_key) + ".");
  }
  return {};
}

Outcome Inventory::release(std::string_view pool_key, std::string_view secret_no) {
  if (Outcome found = check_owned(pool_key, secret_no); !found.ok()) return found;
  OwnedNumber* number = &numbers_.find(secret_no)->second;
  if (number->bindings > 0) {
    return fail("isv.ILLEGAL_ARGUMENT", "SecretNo " + std::string(secret_no) +
                                            " still has bindings; only a number without bindings "
                                            "can be released. Unbind it first.");
  }
  retired_.insert(number->secret_no);
  numbers_.erase(numbers_.find(secret_no));
  return {};
}

Outcome Inventory::lock(std::string_view pool_key, std::string_view secret_no) {
  if (Outcome found = check_owned(pool_key, secret_no); !found.ok()) return found;
  OwnedNumber* number = &numbers_.find(secret_no)->second;
  number->locked = true;
  return {};
}

Outcome Inventory::unlock(std::string_view pool_key, std::string_view secret_no) {
  if (Outcome found = check_owned(pool_key, secret_no); !found.ok()) return found;
  OwnedNumber* number = &numbers_.find(secret_no)->second;
  number->locked = false;
  return {};
}

Outcome Inventory::detail(std::string_view pool_key, std::string_view secret_no,
                          OwnedNumber& out) const {
  if (Outcome found = check_owned(pool_key, secret_no); !found.ok()) return found;
  out = numbers_.find(secret_no)->second;
  return {};
}

Outcome Inventory::bind(std::string_view pool_key, std::string_view secret_no) {
  if (Outcome found = check_owned(pool_key, secret_no); !found.ok()) return found;
  OwnedNumber* number = &numbers_.find(secret_no)->second;
  if (number->locked) {
    return fail("isv.ILLEGAL_ARGUMENT", "SecretNo " + std::string(secret_no) +
                                            " is locked; a locked number takes no new bindings.");
  }
  ++number->bindings;
  return {};
}

Outcome Inventory::unbind(std::string_view pool_key, std::string_view secret_no) {
  if (Outcome found = check_owned(pool_key, secret_no); !found.ok()) return found;
  OwnedNumber* number = &numbers_.find(secret_no)->second;
  if (number->bindings > 0) --number->bindings;
  return {};
}

std::int64_t Inventory::stock(int spec_id, std::string_view city) const {
  const auto it = shelves_.find({spec_id, std::string(city)});
  return it == shelves_.end() ? 0 : static_cast<std::int64_t>(it->second.size());
}

std::vector<std::pair<std::pair<int, std::string>, std::int64_t>> Inventory::stock_levels() const {
  std::vector<std::pair<std::pair<int, std::string>, std::int64_t>> out;
  out.reserve(shelves_.size());
  for (const auto& [key, shelf] : shelves_) {
    out.emplace_back(key, static_cast<std::int64_t>(shelf.size()));
  }
  return out;
}

void Inventory::remove_from_shelves(const std::string& secret_no) {
  for (auto& [key, shelf] : shelves_) {
    const auto it = std::lower_bound(shelf.begin(), shelf.end(), secret_no);
    if (it != shelf.end() && *it == secret_no) {
      shelf.erase(it);
      return;
    }
  }
}

void Inventory::restore(std::set<std::string, std::less<>> pools, std::vector<OwnedNumber> numbers,
                        std::set<std::string, std::less<>> retired) {
  pools_ = std::move(pools);
  numbers_.clear();
  for (OwnedNumber& number : numbers) {
    remove_from_shelves(number.secret_no);
    std::string key = number.secret_no;
    numbers_.emplace(std::move(key), std::move(number));
  }
  retired_ = std::move(retired);
  for (const std::string& secret_no : retired_) remove_from_shelves(secret_no);
}

}  // namespace dypls::sandbox
