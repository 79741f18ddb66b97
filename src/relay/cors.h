// CORS: who may read the relay's answers. Exact-match origins only (no wildcards, no "null"),
// same-origin always allowed, never credentials mode.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/signer.h"

namespace dypls::relay {

enum class OriginVerdict {
  kAbsent,      // no Origin header: not a cross-origin browser request
  kSameOrigin,  // the page the relay serves itself
  kAllowed,     // listed in --origins
  kRefused,
};

// `origin` is the Origin header (nullopt when absent); `host` is the request's Host header.
OriginVerdict judge_origin(const std::vector<std::string>& allowed_origins,
                           std::optional<std::string_view> origin, std::string_view host);

// The request headers V3 needs; nothing else is allowed cross-origin.
const std::vector<std::string>& allowed_request_headers();
// The answer headers the page may read.
std::string_view exposed_response_headers();

// Headers for any answer (success or error): Vary always; Allow-Origin and Expose only for an
// origin that may read the answer.
HeaderList cors_headers(OriginVerdict verdict, std::optional<std::string_view> origin);

struct PreflightAnswer {
  bool allowed = false;
  std::string problem;  // why not, when refused
  HeaderList headers;
};
// `method` and `request_headers` are Access-Control-Request-Method and -Headers.
PreflightAnswer answer_preflight(OriginVerdict verdict, std::optional<std::string_view> origin,
                                 std::string_view method, std::string_view request_headers);

}  // namespace dypls::relay
