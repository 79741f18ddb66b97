#include "activity_store.h"

#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace dypls::console {

// The tab's log, without signing stages, in sessionStorage: a reload keeps the history.
void save_activity(const RequestLog& log, Storage& storage) {
  nlohmann::json lines = nlohmann::json::array();
  const auto& entries = log.entries();
  const std::size_t first = entries.size() > kActivityKept ? entries.size() - kActivityKept : 0;
  for (std::size_t i = first; i < entries.size(); ++i) {
    const LogEntry& e = entries[i];
    if (e.pending) continue;
    nlohmann::json params = nlohmann::json::array();
    for (const Param& p : e.spec.params) params.push_back({p.name, p.value});
    lines.push_back({{"action", e.action},
                     {"sentAtMs", e.sent_at_ms},
                     {"httpStatus", e.http_status},
                     {"code", e.code},
                     {"requestId", e.request_id},
                     {"latencyMs", e.latency_ms},
                     {"params", params}});
  }
  storage.set(kActivityKey, lines.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void restore_activity(Storage& storage, RequestLog& log) {
  const auto stored = storage.get(kActivityKey);
  if (!stored) return;
  const auto lines = nlohmann::json::parse(*stored, nullptr, false);
  if (!lines.is_array()) return;
  for (const auto& line : lines) {
    if (!line.is_object()) continue;
    const auto text = [&](const char* name) {
      auto it = line.find(name);
      return it != line.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const auto number = [&](const char* name) {
      auto it = line.find(name);
      return it != line.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
    };
    LogEntry entry;
    entry.pending = false;
    entry.action = text("action");
    entry.sent_at_ms = number("sentAtMs");
    entry.http_status = static_cast<int>(number("httpStatus"));
    entry.code = text("code");
    entry.request_id = text("requestId");
    entry.latency_ms = number("latencyMs");
    entry.spec.action = entry.action;
    if (auto params = line.find("params"); params != line.end() && params->is_array()) {
      for (const auto& p : *params) {
        if (p.is_array() && p.size() == 2 && p[0].is_string() && p[1].is_string()) {
          entry.spec.params.push_back({p[0].get<std::string>(), p[1].get<std::string>()});
        }
      }
    }
    if (!entry.action.empty()) log.add(std::move(entry));
  }
}

}  // namespace dypls::console
