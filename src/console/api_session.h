// Signs, sends and logs the console's API calls, and reads each answer once: its status, Code,
// RequestId, the error classified (with the SecurityToken masked out of everything kept), and
// the body as the panels may show it. Handlers act on that one reading (answer_of() adds the
// typed payload of a success) instead of parsing and classifying the answer again.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/actions.h"
#include "core/api_error.h"
#include "core/signer.h"
#include "ports.h"
#include "request_log.h"

namespace dypls::console {

struct ApiReply {
  std::size_t log_id = 0;
  int status = 0;    // 0: no answer came
  std::string code;  // the answer's Code; "(no answer)" when none came
  std::string request_id;
  std::optional<ApiError> error;  // nullopt for an OK answer
  HttpResponse response;          // as received, the SecurityToken masked out of the body
  std::int64_t sent_ms = 0;       // local clock, for the clock offset
  std::int64_t done_ms = 0;
};

// The wait headers of an answer: x-acs-retry-after (ms) and Retry-After (seconds).
RetryAfterHeaders retry_after_headers(const HttpResponse& response);

// The typed answer, from the one reading: an error as the session classified it, or the payload
// of a success (which may still be missing: an OK without the expected fields).
template <typename T>
Answer<T> answer_of(const ApiReply& reply,
                    Answer<T> (*parse)(int, std::string_view, const RetryAfterHeaders&)) {
  if (reply.error) return Answer<T>{reply.request_id, std::nullopt, reply.error};
  return parse(reply.status, reply.response.body, retry_after_headers(reply.response));
}

class ApiSession {
 public:
  using ReplyHandler = std::function<void(const ApiReply&, LogEntry&)>;

  ApiSession(Transport& transport, Clock& clock, RequestLog& log)
      : transport_(transport), clock_(clock), log_(log) {}

  // Signs `spec` (method, style and host already set) with `key` at `context`, logs it and sends
  // it to `base` + "/api". `on_reply` gets the answer with its log entry; returns the entry's id.
  std::size_t send(const RequestSpec& spec, const AccessKey& key, const SigningContext& context,
                   const std::string& base, ReplyHandler on_reply);

 private:
  ApiReply read(std::size_t log_id, const HttpResponse& response, const std::string& token) const;

  Transport& transport_;
  Clock& clock_;
  RequestLog& log_;
};

}  // namespace dypls::console
