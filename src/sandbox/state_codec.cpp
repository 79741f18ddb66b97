#include "sandbox/state_codec.h"

#include <stdexcept>

namespace dypls::sandbox {
namespace {

constexpr int kFormatVersion = 1;
using nlohmann::json;

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
  if (!document.is_object() || document.value("format", "") != "dypls-sandbox-state") {
    error = "not a dypls-sandbox state file (no \"format\": \"dypls-sandbox-state\")";
    return nullptr;
  }
  if (document.value("version", 0) != kFormatVersion) {
    error = "state file version " + document.value("version", json()).dump() +
            " is not supported (expected " + std::to_string(kFormatVersion) + ")";
    return nullptr;
  }
  // Field access throws on a wrong type; the message names the place.
  try {
    std::vector<StockOverride> overrides;
    for (const json& o : document.at("stockOverrides")) {
      overrides.push_back({o.at("specId").get<int>(), o.at("city").get<std::string>(),
                           o.at("amount").get<std::int64_t>()});
    }
    auto state =
        std::make_unique<SandboxState>(document.at("seed").get<std::uint64_t>(), overrides);
    state->rng.restore(document.at("rng").get<std::uint64_t>());

    std::vector<Account> accounts;
    for (const json& a : document.at("accounts")) {
      accounts.push_back({a.at("keyId").get<std::string>(), a.at("secret").get<std::string>(),
                          a.at("uid").get<std::string>()});
    }
    std::vector<TemporaryCredential> temporary;
    for (const json& c : document.at("temporaryCredentials")) {
      temporary.push_back({c.at("keyId").get<std::string>(), c.at("secret").get<std::string>(),
                           c.at("token").get<std::string>(), c.at("owner").get<std::string>(),
                           c.at("roleArn").get<std::string>(),
                           c.at("assumedRoleId").get<std::string>(),
                           c.at("expiresAt").get<std::int64_t>()});
    }
    state->keys.restore(std::move(accounts), std::move(temporary));

    std::vector<OwnedNumber> numbers;
    for (const json& n : document.at("numbers")) {
      OwnedNumber number;
      number.secret_no = n.at("secretNo").get<std::string>();
      number.pool_key = n.at("poolKey").get<std::string>();
      number.spec_id = n.at("specId").get<int>();
      number.city = n.at("city").get<std::string>();
      number.province = n.at("province").get<std::string>();
      number.vendor = static_cast<Vendor>(n.at("vendor").get<int>());
      number.purchased_at = n.at("purchasedAt").get<std::int64_t>();
      number.bindings = n.at("bindings").get<int>();
      number.locked = n.at("locked").get<bool>();
      number.frozen = n.at("frozen").get<bool>();
      number.certified = n.at("certified").get<bool>();
      numbers.push_back(std::move(number));
    }
    state->inventory.restore(document.at("pools").get<std::set<std::string, std::less<>>>(),
                             std::move(numbers),
                             document.at("retired").get<std::set<std::string, std::less<>>>());
    return state;
  } catch (const nlohmann::json::exception& e) {
    error = std::string("the state file is damaged: ") + e.what();
    return nullptr;
  }
}

}  // namespace dypls::sandbox
