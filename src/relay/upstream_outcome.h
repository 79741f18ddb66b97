// What the page is told when the upstream call did not give a usable answer. The distinction
// that matters is whether the request may have been carried out: a purchase must never be
// retried blindly after a timeout or a dropped connection.
#pragma once
#include <optional>

#include "relay/relay_error.h"

namespace dypls::relay {

enum class UpstreamFailure {
  kNone,            // an HTTP answer arrived in full
  kConnect,         // TCP connect failed or timed out: nothing was sent
  kTls,             // TLS handshake or certificate check failed: nothing was sent
  kWrite,           // failed while sending the request
  kRead,            // sent, then no (complete) answer
  kDeadline,        // the relay's total deadline passed while reading the answer
  kAnswerTooLarge,  // the answer exceeded the relay's caps (body, status line, headers)
  kBadAnswer,       // the answer was not HTTP/1.1
  kOther,
};

struct UpstreamResult {
  UpstreamFailure failure = UpstreamFailure::kNone;
  int status = 0;
  double elapsed_ms = 0;
};

// nullopt: pass the upstream's answer through (including its 4xx/5xx). Otherwise the refusal the
// relay answers with. A read failure that lasted as long as the read timeout is a timeout; a
// quicker one is a dropped connection.
std::optional<Refusal> judge_upstream(const UpstreamResult& result, double read_timeout_ms);

}  // namespace dypls::relay
