// One error model for everything that can go wrong with a call.
#pragma once
#include <cstdint>
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

// What a code means for the person, whatever HTTP status it came with (the API sends
// business-style codes with 200 and with 400 alike: classify by code first, status second).
enum class ErrorFamily {
  kOther,          // read the Code and Message
  kThrottled,      // slow down: refused for load, not carried out
  kCredentials,    // the key id, secret or token is wrong, dropped or expired
  kPermission,     // the RAM user or role may not do this (not carried out)
  kActionRefused,  // the action itself is refused for this account (not carried out)
  kRefused,        // refused for a stated reason (a parameter, stock, a limit, the account's
                   // state): not carried out
  kServer,         // a failure on Alibaba's side: for a purchase, maybe carried out on 5xx
};

// The two headers that ask a client to wait, as received (either may be absent).
struct RetryAfterHeaders {
  std::optional<std::string> acs_ms;      // x-acs-retry-after: MILLISECONDS (the vendor's SDKs)
  std::optional<std::string> standard_s;  // Retry-After: seconds (RFC 9110; Relay.RateLimited/Busy)
};

// The wait the headers ask for, in milliseconds: x-acs-retry-after first, then Retry-After.
// nullopt when neither holds a whole non-negative number (an HTTP-date or garbage is ignored).
// Very large values are kept as asked (up to a day); throttle_wait_ms() bounds them.
std::optional<std::int64_t> parse_retry_after(const RetryAfterHeaders& headers);

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
  ErrorFamily family = ErrorFamily::kOther;
  std::optional<std::int64_t> retry_after_ms;        // as the answer asked, see parse_retry_after
  std::optional<std::string> server_string_to_sign;  // SignatureDoesNotMatch only
};

// Builds the error for an answer that is not a success, with the answer's wait headers.
ApiError classify_error(int http_status, std::string_view body,
                        const RetryAfterHeaders& retry_after = {});

// How long to wait before trying a throttled call again: what the answer asked for, or an
// exponential backoff by `streak` (1, 2, 4, 8, 16 s) when it asked nothing; never less than
// kMinThrottleWaitMs, never more than kMaxThrottleWaitMs (a person watches the countdown: a wait
// of minutes would look like a hang, and a misread header must not freeze a run for hours).
inline constexpr std::int64_t kMinThrottleWaitMs = 100;
inline constexpr std::int64_t kMaxThrottleWaitMs = std::int64_t{60} * 1000;
std::int64_t throttle_wait_ms(const ApiError& error, int streak);

// For a transport failure (status 0 in the browser, connection refused, timeout).
ApiError transport_error(std::string_view what);

// The hint for a known code, or a generic one.
Message hint_for_code(std::string_view code, int http_status);
// The hint as people meet it: some codes say more in their Message (an InvalidParameter about
// "SecurityToken.Expired", a MissingParameter naming SecurityToken).
Message hint_for(std::string_view code, std::string_view message, int http_status);
// The hint for a query that changes nothing (a stock or number lookup): without the sentence
// that the request may have been carried out, which is about purchases.
Message hint_for_a_read(const ApiError& error);
// The family of a code (see ErrorFamily), from the code alone; kOther when unknown.
ErrorFamily family_of_code(std::string_view code, std::string_view message = {});

struct SignatureDiagnosis {
  bool same_string_to_sign = false;  // true: wrong secret; false: canonicalisation differs
  std::size_t first_difference = 0;  // byte offset where ours and theirs part
  Message explanation;
};
SignatureDiagnosis diagnose_signature_mismatch(std::string_view server_string_to_sign,
                                               std::string_view our_string_to_sign);

}  // namespace dypls
