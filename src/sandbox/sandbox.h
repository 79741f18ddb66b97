// The whole emulator behind one lock: authenticates, injects faults, runs actions, serves the
// sandbox extras, and hands out snapshots for saving. No I/O and no clock: the HTTP edge passes
// the request and "now" in and writes the Reply out.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sandbox/authenticator.h"
#include "sandbox/faults.h"
#include "sandbox/nonce_window.h"
#include "sandbox/request.h"
#include "sandbox/sandbox_state.h"

namespace dypls::sandbox {

class Sandbox {
 public:
  Sandbox(std::unique_ptr<SandboxState> state, AuthPolicy policy, FaultConfig faults);

  // An API call at "/": V1 or V3, any of the six actions.
  Reply handle_api(const IncomingRequest& request, std::int64_t now);
  // GET /sandbox/assume-role[?DurationSeconds=N]: temporary credentials for the first account.
  Reply assume_role(std::optional<std::string_view> duration_seconds, std::int64_t now);
  // GET /sandbox/state: accounts (key ids only), pools, stock, numbers with status, faults.
  Reply state_dump(std::int64_t now) const;
  // POST /sandbox/faults with a JSON body; answers the faults now in force.
  Reply set_faults(std::string_view body);
  // POST /sandbox/bind?PoolKey=…&SecretNo=…[&Bound=false]: what BindAxb/unbind do to a number.
  Reply bind(const ParamList& params);

  int latency_ms() const;
  // A fresh RequestId, for answers the HTTP edge gives itself (unknown path, unreadable body).
  std::string new_request_id();
  // The state as saved to disk, and a counter that grows with every change.
  nlohmann::json snapshot(std::uint64_t& version) const;
  std::uint64_t version() const;

 private:
  Reply gateway_reply(const GatewayError& error, bool xml = false);
  Reply scripted_reply(const ScriptedAnswer& scripted, bool xml);

  mutable std::mutex mutex_;
  std::unique_ptr<SandboxState> state_;
  AuthPolicy policy_;
  FaultConfig faults_;
  Rng fault_rng_;  // apart from the state's generator, so faults do not change what is bought
  NonceWindow nonces_;
  std::uint64_t version_ = 0;
};

}  // namespace dypls::sandbox
