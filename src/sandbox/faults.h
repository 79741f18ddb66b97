// Fault injection for tests and walkthroughs, off by default: added latency, a share of 5xx or
// throttled answers, "commit then drop the connection" for purchases, and scripted answers: the
// next N calls of an action get a chosen code, HTTP status and retry-after, so every variant the
// live API sends can be shown on demand.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/rng.h"

namespace dypls::sandbox {

// The retry-after the throttling faults send, in milliseconds (x-acs-retry-after is ms, as the
// vendor's SDK runtime reads it).
inline constexpr int kDefaultRetryAfterMs = 1000;

// One scripted answer: the next `count` calls of `action` (of any action when empty) are
// answered with `code` and `status` instead of running.
struct ScriptedAnswer {
  std::string action;
  std::string code;
  int status = 400;
  std::string message;                // empty: the API's usual message for the code
  int count = 1;                      // calls still to answer this way
  std::optional<int> retry_after_ms;  // sent as x-acs-retry-after
};

struct FaultConfig {
  int latency_ms = 0;              // added before every API answer
  double error_rate = 0.0;         // share of API calls answered 500 InternalError (not executed)
  double throttle_rate = 0.0;      // share answered 400 Throttling.User with x-acs-retry-after
  double drop_after_commit = 0.0;  // share of successful BuySecretNo whose answer is dropped
  std::vector<ScriptedAnswer> scripted;  // first match wins
  bool any() const {
    return latency_ms > 0 || error_rate > 0 || throttle_rate > 0 || drop_after_commit > 0 ||
           !scripted.empty();
  }
};

enum class InjectedFault { kNone, kThrottle, kServerError };

// Decides, before an action runs, whether it is refused by an injected fault.
InjectedFault pick_fault(const FaultConfig& config, Rng& rng);

// The scripted answer for a call of `action`, if one is queued; counts it down (and drops it at
// zero).
std::optional<ScriptedAnswer> take_scripted(FaultConfig& config, std::string_view action);

// The message the live API gives with a code, or a neutral one for codes it does not document.
std::string default_message(std::string_view code);

// The body of POST /sandbox/faults. Fields left out keep their value:
//   "latencyMs": 0..60000; "errorRate", "throttleRate", "dropAfterCommit": a share 0..1, or a
//   boolean (true = every call, false = none);
//   "action", "code", "status", "count", "retryAfterMs", "message": queue one scripted answer;
//   "answers": [{…}, …] replaces the queue of scripted answers ([] clears it).
// False with a message on bad input (and `config` untouched).
bool apply_faults_json(std::string_view text, FaultConfig& config, std::string& error);
nlohmann::json faults_json(const FaultConfig& config);

}  // namespace dypls::sandbox
