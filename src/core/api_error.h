// One error model for everything that can go wrong with a call.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "message.h"

namespace dypls {

enum class ErrorKind {
  kBusiness,   // HTTP 200 with Code != "OK"
  kGateway,    // HTTP 4xx/5xx with the gateway's JSON body
  kTransport,  // no answer: network, relay down, timeout (outcome unknown for purchases)
  kRelay,      // the relay refused or could not forward (Code "Relay.*")
  kMalformed,  // an answer we could not read
};

struct ApiError {
  ErrorKind kind = ErrorKind::kMalformed;
  int http_status = 0;
  std::string code;
  std::string message;
  std::string request_id;
  std::string recommend;
  Message hint;                  // what it means and what to do
  bool retryable = false;        // safe to try again (never decides alone for purchases)
  bool outcome_unknown = false;  // the request may have been carried out (timeout, dropped)
  bool throttled = false;        // wait, then try again
  std::optional<int> retry_after_seconds;
  std::optional<std::string> server_string_to_sign;  // SignatureDoesNotMatch only
};

// Builds the error for an answer that is not a success. `retry_after` is the value of the
// Retry-After or x-acs-retry-after header, if any.
ApiError classify_error(int http_status, std::string_view body,
                        std::optional<std::string_view> retry_after = std::nullopt);

// For a transport failure (status 0 in the browser, connection refused, timeout).
ApiError transport_error(std::string_view what);

// The hint for a known code, or a generic one.
Message hint_for_code(std::string_view code, int http_status);

struct SignatureDiagnosis {
  bool same_string_to_sign = false;  // true: wrong secret; false: canonicalisation differs
  std::size_t first_difference = 0;  // byte offset where ours and theirs part
  Message explanation;
};
SignatureDiagnosis diagnose_signature_mismatch(std::string_view server_string_to_sign,
                                               std::string_view our_string_to_sign);

}  // namespace dypls
