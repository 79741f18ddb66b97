// The gateway's checks, run before any action: signature V1 or V3 (recomputed with the core
// signer, byte for byte), known key, timestamp window, nonce reuse, STS token rules.
// Pure: the caller supplies "now" and owns the nonce window.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/signer.h"
#include "sandbox/key_store.h"
#include "sandbox/nonce_window.h"
#include "sandbox/request.h"

namespace dypls::sandbox {

struct AuthPolicy {
  std::int64_t time_window_seconds = std::int64_t{15} * 60;  // ± around the server's clock
  bool check_nonce = true;  // off only for load tests that cannot sign per request
};

// An answer the gateway gives itself, with its real HTTP status.
struct GatewayError {
  int status = 400;
  std::string code;
  std::string message;
};

// Who called, and what they asked for.
struct Caller {
  SignatureStyle style = SignatureStyle::kV1;
  std::string key_id;
  std::string account_key_id;  // the owner's long-term key id (the key itself when not STS)
  bool temporary = false;
  std::string action;
  std::string version;
  ParamList params;  // business parameters only
};

struct AuthResult {
  std::optional<Caller> caller;  // set when accepted
  GatewayError error;            // set otherwise
};

AuthResult authenticate(const IncomingRequest& request, const KeyStore& keys, NonceWindow& nonces,
                        const AuthPolicy& policy, std::int64_t now);

// The gateway's common error texts, shared with the action layer.
GatewayError missing_parameter(std::string_view name);
GatewayError invalid_parameter(std::string_view name, std::string_view why);

}  // namespace dypls::sandbox
