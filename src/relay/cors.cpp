#include "relay/cors.h"

#include <algorithm>
#include <cctype>

#include "core/ascii_text.h"

namespace dypls::relay {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

OriginVerdict judge_origin(const std::vector<std::string>& allowed_origins,
                           std::optional<std::string_view> origin, std::string_view host) {
  if (!origin) return OriginVerdict::kAbsent;
  if (*origin == "null" || origin->empty()) return OriginVerdict::kRefused;
  if (std::find(allowed_origins.begin(), allowed_origins.end(), *origin) != allowed_origins.end()) {
    return OriginVerdict::kAllowed;
  }
  // A browser's Host header is truthful, so "scheme://<Host>" is the relay's own page (served
  // over plain HTTP or behind a TLS terminator).
  if (!host.empty()) {
    const std::string host_lower = lower(host);
    const std::string origin_lower = lower(*origin);
    if (origin_lower == "http://" + host_lower || origin_lower == "https://" + host_lower) {
      return OriginVerdict::kSameOrigin;
    }
  }
  return OriginVerdict::kRefused;
}

const std::vector<std::string>& allowed_request_headers() {
  static const std::vector<std::string> kHeaders = {
      "authorization",        "content-type",         "x-acs-action",
      "x-acs-version",        "x-acs-date",           "x-acs-signature-nonce",
      "x-acs-content-sha256", "x-acs-security-token", "x-acs-accesskey-id"};
  return kHeaders;
}

std::string_view exposed_response_headers() {
  return "Date, Retry-After, x-acs-retry-after, x-acs-request-id";
}

HeaderList cors_headers(OriginVerdict verdict, std::optional<std::string_view> origin) {
  HeaderList headers = {{"Vary", "Origin"}};
  if (origin && (verdict == OriginVerdict::kAllowed || verdict == OriginVerdict::kSameOrigin)) {
    headers.emplace_back("Access-Control-Allow-Origin", std::string(*origin));
    headers.emplace_back("Access-Control-Expose-Headers", std::string(exposed_response_headers()));
  }
  return headers;
}

PreflightAnswer answer_preflight(OriginVerdict verdict, std::optional<std::string_view> origin,
                                 std::string_view method, std::string_view request_headers) {
  PreflightAnswer answer;
  answer.headers = {
      {"Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"}};
  if (verdict != OriginVerdict::kAllowed && verdict != OriginVerdict::kSameOrigin) {
    answer.problem = "this origin may not call the relay";
    return answer;
  }
  if (method != "GET" && method != "POST") {
    answer.problem = "only GET and POST are forwarded";
    return answer;
  }
  const auto& allowed = allowed_request_headers();
  std::string_view rest = request_headers;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string name = lower(trim_ows(rest.substr(0, comma)));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (name.empty()) continue;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      answer.problem = "request header '" + name.substr(0, 64) + "' is not allowed";
      return answer;
    }
  }
  answer.allowed = true;
  std::string allow_headers;
  for (const auto& name : allowed) {
    if (!allow_headers.empty()) allow_headers += ", ";
    allow_headers += name;
  }
  answer.headers.emplace_back("Access-Control-Allow-Origin", std::string(origin.value_or("")));
  answer.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST");
  answer.headers.emplace_back("Access-Control-Allow-Headers", allow_headers);
  answer.headers.emplace_back("Access-Control-Max-Age", "600");
  return answer;
}

}  // namespace dypls::relay
