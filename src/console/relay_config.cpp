#include "relay_config.h"

#include <nlohmann/json.hpp>

namespace dypls::console {

RelayConfig read_relay_config(const HttpResponse& response) {
  RelayConfig relay;
  const auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (response.status != 200 || !json.is_object()) {
    relay.failed = true;
    return relay;
  }
  relay.loaded = true;
  if (auto it = json.find("sandbox"); it != json.end() && it->is_boolean()) {
    relay.sandbox = it->get<bool>();
  }
  if (auto it = json.find("signHost"); it != json.end() && it->is_string()) {
    relay.sign_host = it->get<std::string>();
  }
  if (auto it = json.find("version"); it != json.end() && it->is_string()) {
    relay.version = it->get<std::string>();
  }
  if (auto it = json.find("actions"); it != json.end() && it->is_array()) {
    for (const auto& action : *it) {
      if (action.is_string()) relay.actions.push_back(action.get<std::string>());
    }
  }
  return relay;
}

}  // namespace dypls::console
