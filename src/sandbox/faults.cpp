#include "sandbox/faults.h"

namespace dypls::sandbox {

InjectedFault pick_fault(const FaultConfig& config, Rng& rng) {
  if (rng.chance(config.throttle_rate)) return InjectedFault::kThrottle;
  if (rng.chance(config.error_rate)) return InjectedFault::kServerError;
  return InjectedFault::kNone;
}

bool apply_faults_json(std::string_view text, FaultConfig& config, std::string& error) {
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    error =
        "The body must be a JSON object such as {\"latencyMs\": 200, \"errorRate\": 0.1, "
        "\"throttleRate\": 0, \"dropAfterCommit\": 0}.";
    return false;
  }
  FaultConfig next = config;
  for (const auto& [name, value] : parsed.items()) {
    if (name == "latencyMs") {
      if (!value.is_number_integer() || value.get<long long>() < 0 ||
          value.get<long long>() > 60000) {
        error = "latencyMs must be an integer from 0 to 60000.";
        return false;
      }
      next.latency_ms = value.get<int>();
      continue;
    }
    double* share = name == "errorRate"         ? &next.error_rate
                    : name == "throttleRate"    ? &next.throttle_rate
                    : name == "dropAfterCommit" ? &next.drop_after_commit
                                                : nullptr;
    if (share == nullptr) {
      error = "Unknown field \"" + name +
              "\": use latencyMs, errorRate, throttleRate, dropAfterCommit.";
      return false;
    }
    if (!value.is_number() || value.get<double>() < 0.0 || value.get<double>() > 1.0) {
      error = name + " must be a number from 0 to 1 (a share of calls).";
      return false;
    }
    *share = value.get<double>();
  }
  config = next;
  return true;
}

nlohmann::json faults_json(const FaultConfig& config) {
  return {{"latencyMs", config.latency_ms},
          {"errorRate", config.error_rate},
          {"throttleRate", config.throttle_rate},
          {"dropAfterCommit", config.drop_after_commit}};
}

}  // namespace dypls::sandbox
