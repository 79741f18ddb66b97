// The relay's own refusals and failures, in the gateway's JSON error shape so that the console
// reads them with the same parser as Alibaba's answers (their Code starts with "Relay.").
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace dypls::relay {

enum class RelayCode {
  kOriginNotAllowed,        // 403
  kActionNotAllowed,        // 403
  kVersionNotAllowed,       // 403
  kBadRequest,              // 400
  kPayloadTooLarge,         // 413
  kRateLimited,             // 429 + Retry-After
  kBusy,                    // 503 + Retry-After
  kUpstreamUnreachable,     // 502: not delivered, safe to retry
  kUpstreamTimeout,         // 504: sent, no answer, outcome unknown
  kUpstreamConnectionLost,  // 502: dropped after sending, outcome unknown
  kUpstreamBadAnswer,       // 502
  kNotFound,                // 404: neither an API path nor a file of the page
  kMisdirectedHost,         // 421: a Host that is not one of --public-host; no CORS
  kInternalError,           // 500: a bug in the relay; nothing was forwarded
};

std::string_view code_name(RelayCode code);
int http_status(RelayCode code);
// What the person (or the console) should do about it.
std::string_view recommendation(RelayCode code);

struct Refusal {
  RelayCode code = RelayCode::kBadRequest;
  std::string message;                     // what was wrong, never echoing secrets
  std::optional<int> retry_after_seconds;  // for kRateLimited and kBusy
  bool close_connection = false;           // the request's body was not read: do not reuse
};

Refusal refuse(RelayCode code, std::string message);

// {"RequestId","HostId":"dypls-relay","Code","Message","Recommend"}
std::string error_body(const Refusal& refusal, std::string_view request_id);

}  // namespace dypls::relay
