#include "sandbox/state_codec.h"

#include <limits>
#include <set>
#include <string_view>

#include "sandbox/catalog.h"

namespace dypls::sandbox {
namespace {

constexpr int kFormatVersion = 1;
constexpr std::int64_t kMaxSavedCount = 1'000'000'000;
constexpr std::int64_t kMaxSavedTime = 32'503'680'000;  // year 3000, in seconds
using nlohmann::json;

std::string kind_of(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean (" + value.dump() + ")";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "the number " + value.dump();
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "something else";
  }
}

// Reads the saved document field by field without exceptions. The first problem is kept, naming
// the field ("numbers[2].vendor") and what was expected; later reads then return defaults.
class FieldReader {
 public:
  explicit FieldReader(std::string& error) : error_(error) {}
  bool ok() const { return error_.empty(); }

  static std::string item(std::string_view list, std::size_t index) {
    return std::string(list) + "[" + std::to_string(index) + "]";
  }

  bool object(const json& value, const std::string& at) {
    if (value.is_object()) return true;
    fail(at, "an object", &value);
    return false;
  }
  const json* array(const json& parent, const std::string& at, std::string_view name) {
    const json* value = find(parent, at, name, "an array");
    if (value == nullptr) return nullptr;
    if (value->is_array()) return value;
    fail(path(at, name), "an array", value);
    return nullptr;
  }
  std::string text(const json& parent, const std::string& at, std::string_view name) {
    const json* value = find(parent, at, name, "a string");
    if (value == nullptr) return {};
    if (value->is_string()) return value->get<std::string>();
    fail(path(at, name), "a string", value);
    return {};
  }
  bool boolean(const json& parent, const std::string& at, std::string_view name) {
    const json* value = find(parent, at, name, "true or false");
    if (value == nullptr) return false;
    if (value->is_boolean()) return value->get<bool>();
    fail(path(at, name), "true or false", value);
    return false;
  }
  std::int64_t integer(const json& parent, const std::string& at, std::string_view name,
                       std::int64_t low, std::int64_t high) {
    const std::string expected =
        "a whole number from " + std::to_string(low) + " to " + std::to_string(high);
    const json* value = find(parent, at, name, expected);
    if (value == nullptr) return low;
    if (value->is_number_unsigned()) {
      const std::uint64_t number = value->get<std::uint64_t>();
      if (number <= static_cast<std::uint64_t>(high) && static_cast<std::int64_t>(number) >= low) {
        return static_cast<std::int64_t>(number);
      }
    } else if (value->is_number_integer()) {
      const std::int64_t number = value->get<std::int64_t>();
      if (number >= low && number <= high) return number;
    }
    fail(path(at, name), expected, value);
    return low;
  }
  std::uint64_t unsigned_integer(const json& parent, const std::string& at, std::string_view name) {
    const json* value = find(parent, at, name, "a whole number of at least 0");
    if (value == nullptr) return 0;
    if (value->is_number_unsigned()) return value->get<std::uint64_t>();
    fail(path(at, name), "a whole number of at least 0", value);
    return 0;
  }
  int spec_id(const json& parent, const std::string& at, std::string_view name) {
    const json* value = find(parent, at, name, "a SpecId the sandbox sells (1, 2 or 3)");
    if (value == nullptr) return 1;
    if (value->is_number_integer() && value->get<std::int64_t>() >= 0 &&
        value->get<std::int64_t>() <= std::numeric_limits<int>::max() &&
        spec_profile(value->get<int>()) != nullptr) {
      return value->get<int>();
    }
    fail(path(at, name), "a SpecId the sandbox sells", value);
    return 1;
  }
  std::set<std::string, std::less<>> text_set(const json& parent, const std::string& at,
                                              std::string_view name) {
    std::set<std::string, std::less<>> out;
    const json* list = array(parent, at, name);
    if (list == nullptr) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& value = (*list)[i];
      if (!value.is_string()) {
        fail(item(path(at, name), i), "a string", &value);
        return out;
      }
      out.insert(value.get<std::string>());
    }
    return out;
  }

 private:
  static std::string path(const std::string& at, std::string_view name) {
    return at.empty() ? std::string(name) : at + "." + std::string(name);
  }
  const json* find(const json& parent, const std::string& at, std::string_view name,
                   const std::string& expected) {
    if (!ok()) return nullptr;
    const auto it = parent.find(name);
    if (it == parent.end()) {
      fail_missing(path(at, name), expected);
      return nullptr;
    }
    return &*it;
  }
  void fail(const std::string& field, const std::string& expected, const json* found) {
    if (!ok()) return;
    error_ = "\"" + field + "\" should be " + expected + ", found " + kind_of(*found);
  }
  void fail_missing(const std::string& field, const std::string& expected) {
    if (!ok()) return;
    error_ = "\"" + field + "\" is missing (expected " + expected + ")";
  }

  std::string& error_;
};

}  // namespace

json encode_state(const SandboxState& state) {
  json accounts = json::array();
  for (const Account& a : state.keys.accounts()) {
    accounts.push_back({{"keyId", a.key_id}, {"secret", a.secret}, {"uid", a.uid}});
  }
  json temporary = json::array();
  for (const auto& [id, c] : state.keys.temporary()) {
    temporary.push_back({{"keyId", c.key_id},
                         {"secret", c.secret},
                         {"token", c.token},
                         {"owner", c.owner_key_id},
                         {"roleArn", c.role_arn},
                         {"assumedRoleId", c.assumed_role_id},
                         {"expiresAt", c.expires_at}});
  }
  json overrides = json::array();
  for (const StockOverride& o : state.inventory.overrides()) {
    overrides.push_back({{"specId", o.spec_id}, {"city", o.city}, {"amount", o.amount}});
  }
  json numbers = json::array();
  for (const auto& [secret_no, n] : state.inventory.numbers()) {
    numbers.push_back({{"secretNo", n.secret_no},
                       {"poolKey", n.pool_key},
                       {"specId", n.spec_id},
                       {"city", n.city},
                       {"province", n.province},
                       {"vendor", static_cast<int>(n.vendor)},
                       {"purchasedAt", n.purchased_at},
                       {"bindings", n.bindings},
                       {"locked", n.locked},
                       {"frozen", n.frozen},
                       {"certified", n.certified}});
  }
  return {{"format", "dypls-sandbox-state"},
          {"version", kFormatVersion},
          {"seed", state.seed},
          {"rng", state.rng.state()},
          {"stockOverrides", overrides},
          {"accounts", accounts},
          {"temporaryCredentials", temporary},
          {"pools", state.inventory.pools()},
          {"numbers", numbers},
          {"retired", state.inventory.retired()}};
}

std::unique_ptr<SandboxState> decode_state(const json& document, std::string& error) {
  error.clear();
  if (!document.is_object() || !document.contains("format") ||
      document["format"] != "dypls-sandbox-state") {
    error = "not a dypls-sandbox state file (no \"format\": \"dypls-sandbox-state\")";
    return nullptr;
  }
  if (!document.contains("version") || document["version"] != kFormatVersion) {
    error = "state file version " +
            (document.contains("version") ? document["version"].dump() : "(none)") +
            " is not supported (expected " + std::to_string(kFormatVersion) + ")";
    return nullptr;
  }
  FieldReader read(error);
  std::vector<StockOverride> overrides;
  if (const json* list = read.array(document, "", "stockOverrides")) {
    for (std::size_t i = 0; i < list->size() && read.ok(); ++i) {
      const std::string at = read.item("stockOverrides", i);
      const json& o = (*list)[i];
      if (!read.object(o, at)) break;
      StockOverride entry;
      entry.spec_id = read.spec_id(o, at, "specId");
      entry.city = read.text(o, at, "city");
      entry.amount = read.integer(o, at, "amount", 0, kMaxSavedCount);
      overrides.push_back(std::move(entry));
    }
  }
  const std::uint64_t seed = read.unsigned_integer(document, "", "seed");
  const std::uint64_t rng_state = read.unsigned_integer(document, "", "rng");

  std::vector<Account> accounts;
  if (const json* list = read.array(document, "", "accounts")) {
    for (std::size_t i = 0; i < list->size() && read.ok(); ++i) {
      const std::string at = read.item("accounts", i);
      const json& a = (*list)[i];
      if (!read.object(a, at)) break;
      accounts.push_back(
          {read.text(a, at, "keyId"), read.text(a, at, "secret"), read.text(a, at, "uid")});
    }
  }
  std::vector<TemporaryCredential> temporary;
  if (const json* list = read.array(document, "", "temporaryCredentials")) {
    for (std::size_t i = 0; i < list->size() && read.ok(); ++i) {
      const std::string at = read.item("temporaryCredentials", i);
      const json& c = (*list)[i];
      if (!read.object(c, at)) break;
      TemporaryCredential credential;
      credential.key_id = read.text(c, at, "keyId");
      credential.secret = read.text(c, at, "secret");
      credential.token = read.text(c, at, "token");
      credential.owner_key_id = read.text(c, at, "owner");
      credential.role_arn = read.text(c, at, "roleArn");
      credential.assumed_role_id = read.text(c, at, "assumedRoleId");
      credential.expires_at = read.integer(c, at, "expiresAt", 0, kMaxSavedTime);
      temporary.push_back(std::move(credential));
    }
  }
  std::vector<OwnedNumber> numbers;
  if (const json* list = read.array(document, "", "numbers")) {
    for (std::size_t i = 0; i < list->size() && read.ok(); ++i) {
      const std::string at = read.item("numbers", i);
      const json& n = (*list)[i];
      if (!read.object(n, at)) break;
      OwnedNumber number;
      number.secret_no = read.text(n, at, "secretNo");
      number.pool_key = read.text(n, at, "poolKey");
      number.spec_id = read.spec_id(n, at, "specId");
      number.city = read.text(n, at, "city");
      number.province = read.text(n, at, "province");
      number.vendor = static_cast<Vendor>(read.integer(n, at, "vendor", 1, 3));
      number.purchased_at = read.integer(n, at, "purchasedAt", 0, kMaxSavedTime);
      number.bindings = static_cast<int>(read.integer(n, at, "bindings", 0, kMaxSavedCount));
      number.locked = read.boolean(n, at, "locked");
      number.frozen = read.boolean(n, at, "frozen");
      number.certified = read.boolean(n, at, "certified");
      numbers.push_back(std::move(number));
    }
  }
  auto pools = read.text_set(document, "", "pools");
  auto retired = read.text_set(document, "", "retired");
  if (!read.ok()) {
    error = "the state file is damaged: " + error +
            "; restore a backup, fix that field, or move the file away to start afresh";
    return nullptr;
  }
  auto state = std::make_unique<SandboxState>(seed, std::move(overrides));
  state->rng.restore(rng_state);
  state->keys.restore(std::move(accounts), std::move(temporary));
  state->inventory.restore(std::move(pools), std::move(numbers), std::move(retired));
  return state;
}

}  // namespace dypls::sandbox
