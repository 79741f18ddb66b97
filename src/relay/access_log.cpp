#include "relay/access_log.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/time_format.h"

namespace dypls::relay {

std::string mask_identifier(std::string_view id) {
  if (id.empty()) return {};
  if (id.size() < 10) return "***";
  // Keep the "STS." prefix whole: it says what kind of key it was.
  const std::size_t head = id.substr(0, 4) == "STS." ? 8 : 4;
  return std::string(id.substr(0, head)) + "..." + std::string(id.substr(id.size() - 2));
}

std::string format_access_log(const AccessLogEntry& entry) {
  nlohmann::json line = {
      {"time", entry.time},     {"client", entry.client},
      {"method", entry.method}, {"path", entry.path.substr(0, 128)},
      {"status", entry.status},
  };
  if (!entry.action.empty()) line["action"] = entry.action.substr(0, 64);
  if (entry.upstream_status) line["upstreamStatus"] = *entry.upstream_status;
  if (!entry.request_id.empty()) line["requestId"] = entry.request_id.substr(0, 64);
  if (!entry.relay_code.empty()) line["code"] = entry.relay_code;
  if (!entry.key_id.empty()) line["keyId"] = mask_identifier(entry.key_id);
  line["latencyMs"] = static_cast<double>(static_cast<long long>(entry.latency_ms * 10.0)) / 10.0;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string extract_request_id(std::string_view body, std::string_view header_value) {
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_discarded() && parsed.is_object()) {
    const auto it = parsed.find("RequestId");
    if (it != parsed.end() && it->is_string()) return it->get<std::string>();
  }
  return std::string(header_value);
}

std::string log_timestamp(long long epoch_ms) {
  const long long seconds = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  const long long millis = epoch_ms - seconds * 1000;
  std::string text = format_iso8601_utc(seconds);  // "...:ssZ"
  char frac[8];
  (void)std::snprintf(frac, sizeof frac, ".%03lldZ", millis);
  text.pop_back();
  return text + frac;
}

}  // namespace dypls::relay
