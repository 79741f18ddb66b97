#include "sandbox/service.h"

#include <algorithm>
#include <cctype>

namespace dypls::sandbox {
namespace {

constexpr std::string_view kActions[] = {"QuerySecretNoRemain", "BuySecretNo",  "ReleaseSecretNo",
                                         "QuerySecretNoDetail", "LockSecretNo", "UnlockSecretNo"};
constexpr std::size_t kMaxPrefixDigits = 18;

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Reads business parameters the way the gateway checks them before the action runs.
class ParamReader {
 public:
  explicit ParamReader(const ParamList& params) : params_(params) {}

  std::string required(std::string_view name) {
    const auto value = find_param(params_, name);
    if (!value || value->empty()) {
      fail(missing_parameter(name));
      return {};
    }
    return std::string(*value);
  }
  std::string optional_text(std::string_view name) {
    return std::string(find_param(params_, name).value_or(""));
  }
  int required_int(std::string_view name) {
    const std::string text = required(name);
    if (error_ || text.empty()) return 0;
    if (text.size() > 9 || !all_digits(text)) {
      fail(invalid_parameter(name, "it must be an integer, got \"" + text + "\""));
      return 0;
    }
    return std::stoi(text);
  }
  void optional_bool(std::string_view name) {
    const auto value = find_param(params_, name);
    if (value && !value->empty() && *value != "true" && *value != "false") {
      fail(invalid_parameter(name, "it must be true or false"));
    }
  }

  const std::optional<GatewayError>& error() const { return error_; }

 private:
  void fail(GatewayError error) {
    if (!error_) error_ = std::move(error);
  }
  const ParamList& params_;
  std::optional<GatewayError> error_;
};

ActionResult gateway_failure(const GatewayError& error, const std::string& request_id) {
  return {error.status, gateway_error_body(error, request_id), false, false};
}

ActionResult business(const Outcome& outcome, const std::string& request_id, bool changed) {
  return {200, business_body(outcome, request_id), changed && outcome.ok(), false};
}

// SecretNo as a prefix for stock and purchases: digits, at most 18. The metadata documents no
// gateway check for the length, so a long one is refused the way the action refuses a bad
// prefix: a business error with HTTP 200.
Outcome check_prefix(const std::string& prefix) {
  if (!all_digits(prefix)) {
    return {"isv.INVALID_PARAMETERS",
            "SecretNo must be digits (a number prefix), got \"" + prefix + "\"."};
  }
  if (prefix.size() > kMaxPrefixDigits) {
    return {"isv.INVALID_PARAMETERS",
            "SecretNo (a number prefix) may have at most 18 digits, got " +
                std::to_string(prefix.size()) + "."};
  }
  return {};
}

// A full number for Release/Detail/Lock/Unlock: 11 digits (12 for 95 numbers).
Outcome check_full_number(const std::string& secret_no) {
  if (!all_digits(secret_no) || (secret_no.size() != 11 && secret_no.size() != 12)) {
    return {"isv.MOBILE_NUMBER_ILLEGAL",
            "SecretNo \"" + secret_no +
                "\" is not a full number: give all 11 digits (12 for 95 "
                "numbers) as BuySecretNo returned them."};
  }
  return {};
}

ActionResult query_remain(const ParamList& params, const Inventory& inventory,
                          const std::string& request_id) {
  ParamReader read(params);
  const int spec_id = read.required_int("SpecId");
  const std::string city = read.required("City");
  const std::string prefix = read.optional_text("SecretNo");
  if (read.error()) return gateway_failure(*read.error(), request_id);
  if (Outcome bad = check_prefix(prefix); !bad.ok()) return business(bad, request_id, false);
  StockReport report;
  const Outcome outcome = inventory.query_remain(spec_id, city, prefix, report);
  ActionResult result = business(outcome, request_id, false);
  if (outcome.ok()) result.body["SecretRemainDTO"] = stock_payload(report);
  return result;
}

ActionResult buy(const ParamList& params, Inventory& inventory, Rng& rng, std::int64_t now,
                 const std::string& request_id) {
  ParamReader read(params);
  const std::string pool_key = read.required("PoolKey");
  const int spec_id = read.required_int("SpecId");
  const std::string city = read.required("City");
  const std::string prefix = read.optional_text("SecretNo");
  read.optional_bool("DisplayPool");
  if (read.error()) return gateway_failure(*read.error(), request_id);
  if (Outcome bad = check_prefix(prefix); !bad.ok()) return business(bad, request_id, false);
  OwnedNumber bought;
  const Outcome outcome = inventory.buy(pool_key, spec_id, city, prefix, now, rng, bought);
  ActionResult result = business(outcome, request_id, true);
  if (outcome.ok()) {
    result.body["SecretBuyInfoDTO"] = OrderedJson{{"SecretNo", bought.secret_no}};
    result.committed_purchase = true;
  }
  return result;
}

ActionResult on_number(std::string_view action, const ParamList& params, Inventory& inventory,
                       const std::string& request_id) {
  ParamReader read(params);
  const std::string pool_key = read.required("PoolKey");
  const std::string secret_no = read.required("SecretNo");
  if (read.error()) return gateway_failure(*read.error(), request_id);
  if (Outcome bad = check_full_number(secret_no); !bad.ok()) {
    return business(bad, request_id, false);
  }
  if (action == "QuerySecretNoDetail") {
    OwnedNumber number;
    const Outcome outcome = inventory.detail(pool_key, secret_no, number);
    ActionResult result = business(outcome, request_id, false);
    if (outcome.ok()) result.body["SecretNoInfoDTO"] = number_payload(number);
    return result;
  }
  if (action == "ReleaseSecretNo") {
    return business(inventory.release(pool_key, secret_no), request_id, true);
  }
  if (action == "LockSecretNo") {
    return business(inventory.lock(pool_key, secret_no), request_id, true);
  }
  return business(inventory.unlock(pool_key, secret_no), request_id, true);
}

}  // namespace

bool is_known_action(std::string_view action) {
  return std::find(std::begin(kActions), std::end(kActions), action) != std::end(kActions);
}

ActionResult run_action(const Caller& caller, Inventory& inventory, Rng& rng, std::int64_t now,
                        const std::string& request_id) {
  if (caller.version != kSupportedVersion) {
    return gateway_failure({400, "InvalidVersion",
                            "Specified parameter Version \"" + caller.version +
                                "\" is not valid: Dyplsapi answers Version=2017-05-25."},
                           request_id);
  }
  if (!is_known_action(caller.action)) {
    return gateway_failure(
        {404, "InvalidAction.NotFound",
         "Specified api \"" + caller.action + "\" is not found, please check your url and method."},
        request_id);
  }
  if (caller.action == "QuerySecretNoRemain") {
    return query_remain(caller.params, inventory, request_id);
  }
  if (caller.action == "BuySecretNo") return buy(caller.params, inventory, rng, now, request_id);
  return on_number(caller.action, caller.params, inventory, request_id);
}

}  // namespace dypls::sandbox
