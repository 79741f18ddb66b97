// One JSON line per request on stderr. Carries what an operator needs (who, which action, what
// came back, how long) and nothing secret: no query, no body, no signature, no token, and key ids
// masked.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace dypls::relay {

struct AccessLogEntry {
  std::string time;    // ISO 8601 UTC with milliseconds
  std::string client;  // peer address
  std::string method;
  std::string path;    // the path only: queries carry signatures and tokens
  std::string action;  // empty when not an API call
  int status = 0;
  std::optional<int> upstream_status;
  std::string request_id;  // the upstream's RequestId, or the relay's for its own answers
  std::string relay_code;  // "Relay.*" when the relay refused or failed
  std::string key_id;      // raw; masked when written
  double latency_ms = 0;
};

// The same fields as views into the caller's strings, for a line written at once (nothing is
// copied into an entry first).
struct AccessLogView {
  std::string_view time;
  std::string_view client;
  std::string_view method;
  std::string_view path;
  std::string_view action;
  int status = 0;
  std::optional<int> upstream_status;
  std::string_view request_id;
  std::string_view relay_code;
  std::string_view key_id;
  double latency_ms = 0;
};

// "LTAI5t…01": the first 4 and last 2 characters of a long id; "***" for short ones.
std::string mask_identifier(std::string_view id);

std::string format_access_log(const AccessLogEntry& entry);
// The same line at the end of `out` (which keeps its room: no allocation once it is large enough).
void append_access_log(std::string& out, const AccessLogEntry& entry);
void append_access_log(std::string& out, const AccessLogView& entry);

// RequestId of an Alibaba answer: the JSON body's "RequestId", else the x-acs-request-id header.
std::string extract_request_id(std::string_view body, std::string_view header_value);

// "2026-11-28T07:59:11.123Z" from milliseconds since the epoch.
std::string log_timestamp(long long epoch_ms);

}  // namespace dypls::relay
