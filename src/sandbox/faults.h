// Fault injection for tests, off by default: added latency, a share of 5xx or throttled answers,
// and "commit then drop the connection" for purchases.
#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sandbox/rng.h"

namespace dypls::sandbox {

struct FaultConfig {
  int latency_ms = 0;              // added before every API answer
  double error_rate = 0.0;         // share of API calls answered 500 InternalError (not executed)
  double throttle_rate = 0.0;      // share answered 400 Throttling.User with x-acs-retry-after
  double drop_after_commit = 0.0;  // share of successful BuySecretNo whose answer is dropped
  bool any() const {
    return latency_ms > 0 || error_rate > 0 || throttle_rate > 0 || drop_after_commit > 0;
  }
};

enum class InjectedFault { kNone, kThrottle, kServerError };

// Decides, before an action runs, whether it is refused by an injected fault.
InjectedFault pick_fault(const FaultConfig& config, Rng& rng);

// {"latencyMs", "errorRate", "throttleRate", "dropAfterCommit"}; fields left out keep their
// value. False with a message on bad input (and `config` untouched).
bool apply_faults_json(std::string_view text, FaultConfig& config, std::string& error);
nlohmann::json faults_json(const FaultConfig& config);

}  // namespace dypls::sandbox
