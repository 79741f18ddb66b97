#include "relay/relay_error.h"

#include <nlohmann/json.hpp>

namespace dypls::relay {

std::string_view code_name(RelayCode code) {
  switch (code) {
    case RelayCode::kOriginNotAllowed:
      return "Relay.OriginNotAllowed";
    case RelayCode::kActionNotAllowed:
      return "Relay.ActionNotAllowed";
    case RelayCode::kVersionNotAllowed:
      return "Relay.VersionNotAllowed";
    case RelayCode::kBadRequest:
      return "Relay.BadRequest";
    case RelayCode::kPayloadTooLarge:
      return "Relay.PayloadTooLarge";
    case RelayCode::kRateLimited:
      return "Relay.RateLimited";
    case RelayCode::kBusy:
      return "Relay.Busy";
    case RelayCode::kUpstreamUnreachable:
      return "Relay.UpstreamUnreachable";
    case RelayCode::kUpstreamTimeout:
      return "Relay.UpstreamTimeout";
    case RelayCode::kUpstreamConnectionLost:
      return "Relay.UpstreamConnectionLost";
    case RelayCode::kUpstreamBadAnswer:
      return "Relay.UpstreamBadAnswer";
    case RelayCode::kNotFound:
      return "Relay.NotFound";
    case RelayCode::kMisdirectedHost:
      return "Relay.MisdirectedHost";
    case RelayCode::kInternalError:
      return "Relay.InternalError";
  }
  return "Relay.InternalError";
}

int http_status(RelayCode code) {
  switch (code) {
    case RelayCode::kOriginNotAllowed:
    case RelayCode::kActionNotAllowed:
    case RelayCode::kVersionNotAllowed:
      return 403;
    case RelayCode::kBadRequest:
      return 400;
    case RelayCode::kPayloadTooLarge:
      return 413;
    case RelayCode::kRateLimited:
      return 429;
    case RelayCode::kBusy:
      return 503;
    case RelayCode::kUpstreamUnreachable:
    case RelayCode::kUpstreamConnectionLost:
    case RelayCode::kUpstreamBadAnswer:
      return 502;
    case RelayCode::kUpstreamTimeout:
      return 504;
    case RelayCode::kNotFound:
      return 404;
    case RelayCode::kMisdirectedHost:
      return 421;
    case RelayCode::kInternalError:
      return 500;
  }
  return 500;
}

std::string_view recommendation(RelayCode code) {
  switch (code) {
    case RelayCode::kOriginNotAllowed:
      return "Open the console from an origin the relay allows (its --origins list), or add this "
             "origin there.";
    case RelayCode::kActionNotAllowed:
      return "This relay forwards only the Dyplsapi actions the console uses; send exactly one "
             "allowed Action.";
    case RelayCode::kVersionNotAllowed:
      return "Send exactly one Version, 2017-05-25.";
    case RelayCode::kBadRequest:
      return "Fix the request as the message says and send it again.";
    case RelayCode::kPayloadTooLarge:
      return "Send a smaller request; the relay caps its size.";
    case RelayCode::kRateLimited:
      return "Wait for the Retry-After seconds, then try again.";
    case RelayCode::kBusy:
      return "The relay is busy: wait for the Retry-After seconds, then retry.";
    case RelayCode::kUpstreamUnreachable:
      return "The request was not delivered; it is safe to sign it afresh and try again.";
    case RelayCode::kUpstreamTimeout:
    case RelayCode::kUpstreamConnectionLost:
      return "The outcome is unknown: check (for a purchase, list your numbers) before trying "
             "again.";
    case RelayCode::kUpstreamBadAnswer:
      return "The upstream answered with something the relay does not pass on; try again later.";
    case RelayCode::kNotFound:
      return "API calls go to /api/; the page is at /.";
    case RelayCode::kMisdirectedHost:
      return "Open the relay by one of its own names (its --public-host list), or ask its "
             "operator to add this one.";
    case RelayCode::kInternalError:
      return "Nothing was forwarded; report this to the relay's operator.";
  }
  return "";
}

Refusal refuse(RelayCode code, std::string message) {
  Refusal refusal;
  refusal.code = code;
  refusal.message = std::move(message);
  return refusal;
}

std::string error_body(const Refusal& refusal, std::string_view request_id) {
  const nlohmann::json body = {
      {"RequestId", std::string(request_id)},
      {"HostId", "dypls-relay"},
      {"Code", std::string(code_name(refusal.code))},
      {"Message", refusal.message},
      {"Recommend", std::string(recommendation(refusal.code))},
  };
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dypls::relay
