#include "relay/upstream_outcome.h"

#include <string>

namespace dypls::relay {

std::optional<Refusal> judge_upstream(const UpstreamResult& result, double read_timeout_ms) {
  switch (result.failure) {
    case UpstreamFailure::kNone:
      if (result.status >= 300 && result.status < 400) {
        return refuse(RelayCode::kUpstreamBadAnswer, "The upstream answered with a redirect (" +
                                                         std::to_string(result.status) +
                                                         "); the relay never follows redirects.");
      }
      if (result.status < 200 || result.status > 599) {
        return refuse(RelayCode::kUpstreamBadAnswer,
                      "The upstream answered with status " + std::to_string(result.status) + ".");
      }
      return std::nullopt;
    case UpstreamFailure::kConnect:
      return refuse(RelayCode::kUpstreamUnreachable,
                    "Could not connect to the upstream; the request was not delivered.");
    case UpstreamFailure::kTls:
      return refuse(RelayCode::kUpstreamUnreachable,
                    "The upstream's TLS certificate could not be verified or the handshake "
                    "failed; the request was not delivered.");
    case UpstreamFailure::kRead:
      if (result.elapsed_ms + 50.0 >= read_timeout_ms) {
        return refuse(RelayCode::kUpstreamTimeout,
                      "The upstream did not answer in time; the request was sent, so its outcome "
                      "is unknown.");
      }
      return refuse(RelayCode::kUpstreamConnectionLost,
                    "The upstream closed the connection before answering; the request was sent, "
                    "so its outcome is unknown.");
    case UpstreamFailure::kDeadline:
      return refuse(RelayCode::kUpstreamTimeout,
                    "The upstream's answer did not complete in time; the request was sent, so its "
                    "outcome is unknown.");
    case UpstreamFailure::kWrite:
      return refuse(RelayCode::kUpstreamConnectionLost,
                    "The connection to the upstream broke while sending; the outcome is unknown.");
    case UpstreamFailure::kAnswerTooLarge:
      return refuse(RelayCode::kUpstreamBadAnswer,
                    "The upstream's answer was larger than the relay passes on.");
    case UpstreamFailure::kBadAnswer:
      return refuse(RelayCode::kUpstreamBadAnswer,
                    "The upstream's answer was not valid HTTP/1.1; the request was sent, so its "
                    "outcome is unknown.");
    case UpstreamFailure::kOther:
      break;
  }
  return refuse(RelayCode::kUpstreamConnectionLost,
                "The upstream call failed after it started; the outcome is unknown.");
}

}  // namespace dypls::relay
