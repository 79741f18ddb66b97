#include "api_session.h"

#include <utility>

#include <nlohmann/json.hpp>

namespace dypls::console {

RetryAfterHeaders retry_after_headers(const HttpResponse& response) {
  return {response.header("x-acs-retry-after"), response.header("retry-after")};
}

std::size_t ApiSession::send(const RequestSpec& spec, const AccessKey& key,
                             const SigningContext& context, const std::string& base,
                             ReplyHandler on_reply) {
  const SignedRequest signed_request = sign(spec, key, context);

  LogEntry entry;
  entry.sent_at_ms = clock_.now_ms();
  entry.action = spec.action;
  entry.style = spec.style;
  entry.spec = spec;
  entry.canonical = mask_token(signed_request.canonical, key.security_token);
  entry.string_to_sign = mask_token(signed_request.string_to_sign, key.security_token);
  entry.signature = signed_request.signature;
  const std::size_t id = log_.add(std::move(entry));

  HttpRequest request;
  request.method = std::string(method_name(signed_request.method));
  request.url = base + "/api" + signed_request.path_and_query;
  request.headers = signed_request.headers;
  if (!signed_request.body.empty()) {
    request.headers.emplace_back("Content-Type", signed_request.content_type);
    request.body = signed_request.body;
  }
  // Our string to sign is kept unmasked only until the answer: a SignatureDoesNotMatch is
  // diagnosed against it.
  transport_.send(std::move(request), [this, id, sent = clock_.now_ms(), token = key.security_token,
                                       ours = signed_request.string_to_sign,
                                       on_reply =
                                           std::move(on_reply)](const HttpResponse& response) {
    ApiReply reply = read(id, response, token);
    reply.sent_ms = sent;
    reply.done_ms = clock_.now_ms();
    LogEntry* logged = log_.find(id);
    if (logged == nullptr) return;
    logged->pending = false;
    logged->http_status = reply.status;
    logged->latency_ms = reply.done_ms - sent;
    logged->response_body = reply.response.body;
    logged->code = reply.code;
    logged->request_id = reply.request_id;
    logged->error = reply.error;
    if (reply.error && reply.error->server_string_to_sign) {
      // Diagnosed against the unmasked strings, shown masked.
      logged->signature_diagnosis =
          diagnose_signature_mismatch(*reply.error->server_string_to_sign, ours);
      logged->error->server_string_to_sign = mask_token(*reply.error->server_string_to_sign, token);
      reply.error->server_string_to_sign = logged->error->server_string_to_sign;
    }
    on_reply(reply, *logged);
  });
  return id;
}

// The one reading of an answer. The server may echo what we signed (SignatureDoesNotMatch; a V1
// refusal echoes the token): the token goes no further than this point.
ApiReply ApiSession::read(std::size_t log_id, const HttpResponse& response,
                          const std::string& token) const {
  ApiReply reply;
  reply.log_id = log_id;
  reply.status = response.status;
  reply.response = response;
  reply.response.body = mask_token(response.body, token);
  if (response.status == 0) {
    reply.code = "(no answer)";
    reply.error = transport_error(response.transport_error);
    return reply;
  }
  const auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (json.is_object()) {
    if (auto it = json.find("Code"); it != json.end() && it->is_string()) {
      reply.code = it->get<std::string>();
    }
    if (auto it = json.find("RequestId"); it != json.end() && it->is_string()) {
      reply.request_id = it->get<std::string>();
    }
  }
  // What the typed parsers take for a success (actions.cpp, open_envelope).
  const bool ok =
      response.status >= 200 && response.status < 300 && (reply.code == "OK" || reply.code == "ok");
  if (!ok) {
    ApiError error = classify_error(response.status, response.body, retry_after_headers(response));
    error.message = mask_token(error.message, token);
    error.recommend = mask_token(error.recommend, token);
    reply.error = std::move(error);
  }
  return reply;
}

}  // namespace dypls::console
