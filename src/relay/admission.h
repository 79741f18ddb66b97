// Which requests the relay forwards, decided without sockets: the path is fixed, the action and
// version must each appear exactly once and be allowed, sizes are capped, and only the headers
// the API needs go on. Everything else is refused with a message saying what to fix.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/signer.h"
#include "relay/form.h"
#include "relay/relay_error.h"

namespace dypls::relay {

struct AdmissionPolicy {
  std::vector<std::string> allowed_actions;
  std::string version = "2017-05-25";
  std::vector<std::string> allowed_origins;
  std::size_t max_body_bytes = 8192;
  std::size_t max_query_bytes = 7168;
  std::size_t max_header_bytes = 16384;  // names and values together
  std::size_t max_header_count = 48;
};

// The request as received, before its body is read.
struct RequestHead {
  std::string method;
  std::string target;  // the raw request target, "/api/?Action=..."
  HeaderList headers;  // as received, duplicates kept
};

// A request head's parts as the decisions below read them: views of strings the caller keeps (a
// RequestHead's, or the server's request's: lent for the call, neither copied nor moved).
struct RequestHeadRef {
  // NOLINTNEXTLINE(google-explicit-constructor): a head is read through its parts
  RequestHeadRef(const RequestHead& head)
      : method(head.method), target(head.target), headers(head.headers) {}
  RequestHeadRef(std::string_view head_method, std::string_view head_target,
                 const HeaderList& head_headers)
      : method(head_method), target(head_target), headers(head_headers) {}
  std::string_view method;
  std::string_view target;
  const HeaderList& headers;
};

// What goes to the upstream.
struct ForwardPlan {
  std::string path_and_query;  // "/" or "/?<the query exactly as received>"
  HeaderList headers;          // Authorization, Content-Type and x-acs-* only
  std::string action;
  std::string key_id;  // for the log, which masks it; may be empty
  bool v3 = false;
};

struct Admission {
  std::optional<Refusal> refusal;
  ForwardPlan plan;  // meaningful when refusal is empty
};

// Checks that need no body: method, path, query, headers, sizes, origin. Run before the body
// is read so that an oversize or hostile request costs nothing. When the head is accepted and
// `query` is given, it receives the query's parameters, for admit_checked_api_call (a list kept
// from call to call parses without allocating). On a refusal it holds nothing meaningful.
std::optional<Refusal> check_api_head(const AdmissionPolicy& policy, const RequestHeadRef& head,
                                      FormParams* query = nullptr);

// Query*, Describe*, List* and Get* actions only read (Alibaba's naming): sending one twice is
// harmless, so it may be retried when a kept-alive upstream connection dies under it.
bool is_read_only_action(std::string_view action);

// The decision on the body and the whole call, for a head check_api_head already accepted.
// `query`: the parameters check_api_head gave for this head (null: decoded here).
Admission admit_checked_api_call(const AdmissionPolicy& policy, const RequestHeadRef& head,
                                 std::string_view body, const FormParams* query = nullptr);
// The full decision: check_api_head, then admit_checked_api_call.
Admission admit_api_call(const AdmissionPolicy& policy, const RequestHeadRef& head,
                         std::string_view body);

// Headers the relay forwards or reads must each come once: two x-acs-signature-nonce, x-acs-date,
// Authorization... would let the gateway check one and the relay another. Refuses Host,
// Content-Length, Content-Type, Origin, Authorization and every x-acs-* header that appears more
// than once (names compare without case), whatever the values. `headers` as received.
std::optional<Refusal> check_repeated_headers(const HeaderList& headers);

// Every parameter name in the query and the form body must be plain (see form.h) and appear once
// across both (names compare without case): Action, Version, Signature, SignatureNonce and the
// rest are each read once by the gateway, so a second copy is refused, not guessed at.
// `query` and `form` as decoded by parse_api_params, or as FormParams.
std::optional<Refusal> check_param_names(const ParamList& query, const ParamList& form);
std::optional<Refusal> check_param_names(const FormParams& query, const FormParams& form);

// Sandbox mode: GET /sandbox/assume-role?DurationSeconds=N is the only other path forwarded.
std::optional<Refusal> check_assume_role(const RequestHeadRef& head);

// Helpers shared with the edge.
std::optional<std::string_view> find_header(const HeaderList& headers, std::string_view name);
std::size_t count_header(const HeaderList& headers, std::string_view name);
// Inline: every request's path is looked at several times.
inline std::string_view target_path(std::string_view target) {  // before '?'
  return target.substr(0, target.find('?'));
}
inline std::string_view target_query(std::string_view target) {  // after '?', may be empty
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

}  // namespace dypls::relay
