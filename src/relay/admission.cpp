#include "relay/admission.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

#include "core/ascii_text.h"
#include "relay/cors.h"
#include "relay/form.h"

namespace dypls::relay {
namespace {

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals_ascii(text.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

bool has_control_char(std::string_view text, bool allow_tab) {
  return std::any_of(text.begin(), text.end(), [allow_tab](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7F;
  });
}

bool is_forwarded_header(std::string_view name) {
  return iequals_ascii(name, "authorization") || iequals_ascii(name, "content-type") ||
         istarts_with(name, "x-acs-");
}

bool is_form_content_type(std::string_view value) {
  const std::string_view type = trim(value.substr(0, value.find(';')));
  return iequals_ascii(type, "application/x-www-form-urlencoded");
}

std::optional<Refusal> bad(std::string message) {
  return refuse(RelayCode::kBadRequest, std::move(message));
}

std::optional<Refusal> control_char_in(std::string_view where) {
  return bad("A parameter in the " + std::string(where) +
             " contains a control character (CR, LF, NUL...); remove it.");
}

// Every place an API gateway might read `name` from: query and form parameters whose decoded
// name matches case-insensitively (so "action" and "%41ction" count), and the V3 header. The
// first value is a view into the parameters, the headers or `first_decoded`, which outlive it;
// the places are joined as they are found (one place, the usual case, fits in the string without
// allocating). Not copied or moved: `first` may point into it.
struct Occurrences {
  std::size_t count = 0;
  std::string_view first;
  bool all_same = true;
  std::string places;         // "query, x-acs-action"
  std::string first_decoded;  // the first value, when it had escapes to decode
  std::string other_decoded;

  Occurrences() = default;
  Occurrences(const Occurrences&) = delete;
  Occurrences& operator=(const Occurrences&) = delete;

  void add(std::string_view value, std::string_view place) {
    if (count++ == 0) {
      first = value;
    } else {
      all_same = all_same && value == first;
      places += ", ";
    }
    places += place;
  }
  void add(const FormParams& params, std::size_t i, std::string_view place) {
    add(params.value(i, count == 0 ? first_decoded : other_decoded), place);
  }
};

// Every Action and every Version among `params`, in one pass (every call reads both).
void collect(const FormParams& params, std::string_view place, Occurrences& actions,
             Occurrences& versions) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string_view name = params.name(i);
    if (name.size() == 6 && same_param_name(name, "Action")) actions.add(params, i, place);
    if (name.size() == 7 && same_param_name(name, "Version")) versions.add(params, i, place);
  }
}

void collect_header(const HeaderList& headers, std::string_view header, Occurrences& found) {
  for (const auto& [name, value] : headers) {
    if (iequals_ascii(name, header)) found.add(trim(value), header);
  }
}

template <class Text>
std::string join(const std::vector<Text>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// Printable, short, and without quotes: safe to put back in a message.
std::string quoted_for_message(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 48)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7F && c != '"' && c != '\\' ? c : '?');
  }
  return "'" + out + (text.size() > 48 ? "...'" : "'");
}

// A second Action or Version keeps its allow-list's code, so the console explains it the same way.
std::optional<Refusal> repeated(std::string_view name, std::string_view kind) {
  RelayCode code = RelayCode::kBadRequest;
  if (iequals_ascii(name, "Action") || iequals_ascii(name, "x-acs-action")) {
    code = RelayCode::kActionNotAllowed;
  }
  if (iequals_ascii(name, "Version") || iequals_ascii(name, "x-acs-version")) {
    code = RelayCode::kVersionNotAllowed;
  }
  return refuse(code, "The " + std::string(kind) + " " + quoted_for_message(name) +
                          " appears more than once; send it exactly once.");
}

std::string key_id_of(const FormParams& query, const FormParams& form, const HeaderList& headers) {
  for (const auto* params : {&query, &form}) {
    for (std::size_t i = 0; i < params->size(); ++i) {
      if (params->name(i) == "AccessKeyId") return params->value(i);
    }
  }
  if (const auto auth = find_header(headers, "authorization")) {
    const auto start = auth->find("Credential=");
    if (start != std::string_view::npos) {
      const std::string_view rest = auth->substr(start + 11);
      return std::string(rest.substr(0, rest.find(',')));
    }
  }
  return {};
}

bool is_allowed_action(const AdmissionPolicy& policy, std::string_view action) {
  return std::find(policy.allowed_actions.begin(), policy.allowed_actions.end(), action) !=
         policy.allowed_actions.end();
}

std::optional<Refusal> action_not_allowed(const AdmissionPolicy& policy, std::string_view action) {
  return refuse(RelayCode::kActionNotAllowed,
                "The action " + quoted_for_message(action) +
                    " is not forwarded; allowed: " + join(policy.allowed_actions) + ".");
}

std::optional<Refusal> version_not_allowed(const AdmissionPolicy& policy,
                                           std::string_view version) {
  return refuse(RelayCode::kVersionNotAllowed,
                "The version " + quoted_for_message(version) +
                    " is not forwarded; send Version=" + policy.version + ".");
}

// An Action or Version already visible in the head (query, x-acs-action, x-acs-version) that is
// not allowed is refused before the body is read, so it costs neither a wait for a body that may
// never come nor a rate-limit token. Ambiguities are left to the full decision, which sees all.
// Every Action (query, then x-acs-action) before every Version (query, then x-acs-version), read
// where they are: nothing is collected (this runs on every call).
// `params`: the query's, parsed (and found clean) by check_api_head; `control_escape`: whether
// one of its escapes decodes to a control character.
std::optional<Refusal> check_head_action_and_version(const AdmissionPolicy& policy,
                                                     const RequestHeadRef& head,
                                                     const FormParams& params,
                                                     bool control_escape) {
  // Every byte of the query is a query character and every escape well formed: a control
  // character can come from an escape only. Refused before any value is quoted.
  if (control_escape) return control_char_in("query");
  std::string scratch;
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params.name(i).size() != 6 || !same_param_name(params.name(i), "Action")) continue;
    const std::string_view action = params.value(i, scratch);
    if (!is_allowed_action(policy, action)) return action_not_allowed(policy, action);
  }
  for (const auto& [name, value] : head.headers) {
    if (!iequals_ascii(name, "x-acs-action")) continue;
    const std::string_view action = trim(value);
    if (!is_allowed_action(policy, action)) return action_not_allowed(policy, action);
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params.name(i).size() != 7 || !same_param_name(params.name(i), "Version")) continue;
    const std::string_view version = params.value(i, scratch);
    if (version != policy.version) return version_not_allowed(policy, version);
  }
  for (const auto& [name, value] : head.headers) {
    if (!iequals_ascii(name, "x-acs-version")) continue;
    const std::string_view version = trim(value);
    if (version != policy.version) return version_not_allowed(policy, version);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> find_header(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals_ascii(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::size_t count_header(const HeaderList& headers, std::string_view name) {
  return static_cast<std::size_t>(
      std::count_if(headers.begin(), headers.end(),
                    [name](const auto& h) { return iequals_ascii(h.first, name); }));
}

std::optional<Refusal> check_repeated_headers(const HeaderList& headers) {
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const std::string_view name = headers[i].first;
    const bool single = is_forwarded_header(name) || iequals_ascii(name, "host") ||
                        iequals_ascii(name, "content-length") || iequals_ascii(name, "origin");
    if (!single) continue;
    for (std::size_t j = i + 1; j < headers.size(); ++j) {
      if (iequals_ascii(headers[j].first, name)) return repeated(name, "header");
    }
  }
  return std::nullopt;
}

namespace {

// check_param_names over `count` names: name_at(i) gives the i-th name, whether it is plain and
// its param_name_hash. The verdict and its message are those of comparing every pair in order:
// the first name that is not plain or has a later duplicate. Found in one pass (this runs on every
// call) with a small open-addressed table of each name's first occurrence, keyed by its hash:
// same_param_name is an equivalence, so a repeat finds the first of its names there.
template <class NameAt>
std::optional<Refusal> check_names(std::size_t count, NameAt name_at) {
  constexpr std::size_t kOnStack = 64;
  std::size_t slot_count = kOnStack;
  while (slot_count < 2 * count) slot_count *= 2;  // at most half full
  std::array<std::uint32_t, kOnStack> on_stack{};  // a slot: 1 + the index of a name, 0 empty
  std::vector<std::uint32_t> on_heap;
  std::uint32_t* slots = on_stack.data();
  if (slot_count > kOnStack) {
    on_heap.assign(slot_count, 0);
    slots = on_heap.data();
  }
  const std::size_t mask = slot_count - 1;
  std::size_t first_unplain = count;
  std::size_t first_repeated = count;
  for (std::size_t i = 0; i < count; ++i) {
    const auto name = name_at(i);
    if (!name.plain && first_unplain == count) first_unplain = i;
    // Fibonacci hashing: the hash's bits mixed into the top ones.
    std::size_t slot = static_cast<std::size_t>((name.hash * 0x9E3779B97F4A7C15ULL) >> 40U) & mask;
    for (;; slot = (slot + 1) & mask) {
      if (slots[slot] == 0) {
        slots[slot] = static_cast<std::uint32_t>(i + 1);
        break;
      }
      const std::size_t first = slots[slot] - 1;
      const auto seen = name_at(first);
      if (seen.hash == name.hash && same_param_name(seen.text, name.text)) {
        first_repeated = std::min(first_repeated, first);
        break;
      }
    }
  }
  if (first_unplain < count && first_unplain <= first_repeated) {
    return bad("The parameter name " + quoted_for_message(name_at(first_unplain).text) +
               " is ambiguous: names are letters, digits, '.', '_' and '-' only (no spaces, "
               "'+' or escapes that decode to them).");
  }
  if (first_repeated < count) return repeated(name_at(first_repeated).text, "parameter");
  return std::nullopt;
}

struct NameFacts {
  std::string_view text;
  bool plain;
  std::uint64_t hash;
};

}  // namespace

std::optional<Refusal> check_param_names(const ParamList& query, const ParamList& form) {
  // The query's parameters, then the form's, as one list.
  return check_names(query.size() + form.size(), [&](std::size_t i) {
    const std::string& name = i < query.size() ? query[i].name : form[i - query.size()].name;
    return NameFacts{name, is_plain_param_name(name), param_name_hash(name)};
  });
}

std::optional<Refusal> check_param_names(const FormParams& query, const FormParams& form) {
  // Plainness and hashes were found by parse().
  return check_names(query.size() + form.size(), [&](std::size_t i) {
    const FormParams& params = i < query.size() ? query : form;
    const std::size_t at = i < query.size() ? i : i - query.size();
    return NameFacts{params.name(at), params.plain_name(at), params.name_hash(at)};
  });
}

std::optional<Refusal> check_api_head(const AdmissionPolicy& policy, const RequestHeadRef& head,
                                      FormParams* query_params) {
  if (head.method != "GET" && head.method != "POST") {
    return bad("Only GET and POST are forwarded (got " + quoted_for_message(head.method) + ").");
  }
  if (target_path(head.target) != "/api/") {
    return bad(
        "API calls go to exactly /api/ with the parameters in the query or the body; the "
        "relay chooses the upstream, so no other path, host or URL is accepted.");
  }

  // Headers: shape and size first, so nothing below reads something hostile.
  if (head.headers.size() > policy.max_header_count) {
    return bad("Too many request headers (" + std::to_string(head.headers.size()) + "; limit " +
               std::to_string(policy.max_header_count) + ").");
  }
  std::size_t header_bytes = 0;
  for (const auto& [name, value] : head.headers) {
    header_bytes += name.size() + value.size();
    if (!is_token(name)) {
      return bad("A request header name contains characters that are not allowed.");
    }
    if (has_control_char(value, true)) {
      return bad("The header " + quoted_for_message(name) +
                 " contains a control character (CR, LF, NUL...); remove it.");
    }
  }
  if (header_bytes > policy.max_header_bytes) {
    return bad("The request headers are too large (" + std::to_string(header_bytes) +
               " bytes; limit " + std::to_string(policy.max_header_bytes) + ").");
  }
  if (auto refusal = check_repeated_headers(head.headers)) return refusal;
  if (find_header(head.headers, "transfer-encoding")) {
    auto refusal = bad("Transfer-Encoding is not accepted; send a Content-Length.");
    refusal->close_connection = true;
    return refusal;
  }
  if (find_header(head.headers, "content-encoding")) {
    auto refusal = bad("Compressed request bodies are not accepted.");
    refusal->close_connection = true;
    return refusal;
  }

  // The query is forwarded byte for byte, so it must be clean as it stands.
  const std::string_view query = target_query(head.target);
  if (query.size() > policy.max_query_bytes) {
    return refuse(RelayCode::kPayloadTooLarge, "The query is too long (" +
                                                   std::to_string(query.size()) + " bytes; limit " +
                                                   std::to_string(policy.max_query_bytes) + ").");
  }
  // Parsed in the same pass that checks its bytes: into `query_params` when given (its room
  // reused), else into a list of its own.
  FormParams own;
  FormParams& params = query_params != nullptr ? *query_params : own;
  const FormParams::QueryScan scan = params.parse_query(query);
  if (!scan.clean) {
    return bad(
        "The query contains characters that must be percent-encoded, or a broken %XY "
        "escape.");
  }

  // Body size from Content-Length, before reading it.
  const auto length_header = find_header(head.headers, "content-length");
  std::size_t length = 0;
  if (length_header) {
    const std::string_view digits = trim(*length_header);
    if (digits.empty() || digits.size() > 12 ||
        !std::all_of(digits.begin(), digits.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
      auto refusal = bad("Content-Length must be a number.");
      refusal->close_connection = true;
      return refusal;
    }
    length = static_cast<std::size_t>(std::stoull(std::string(digits)));
  }
  if (head.method == "POST" && !length_header) {
    auto refusal = bad("A POST must carry a Content-Length.");
    refusal->close_connection = true;
    return refusal;
  }
  if (head.method == "GET" && length > 0) {
    auto refusal = bad("A GET must not carry a body.");
    refusal->close_connection = true;
    return refusal;
  }
  if (length > policy.max_body_bytes) {
    auto refusal = refuse(RelayCode::kPayloadTooLarge,
                          "The body is too large (" + std::to_string(length) + " bytes; limit " +
                              std::to_string(policy.max_body_bytes) + ").");
    refusal.close_connection = true;
    return refusal;
  }
  if (length > 0) {
    const auto type = find_header(head.headers, "content-type");
    if (!type || !is_form_content_type(*type)) {
      auto refusal = bad("A request body must be application/x-www-form-urlencoded.");
      refusal->close_connection = true;
      return refusal;
    }
  }

  const auto origin = find_header(head.headers, "origin");
  const auto verdict =
      judge_origin(policy.allowed_origins, origin, find_header(head.headers, "host").value_or(""));
  if (verdict == OriginVerdict::kRefused) {
    return refuse(RelayCode::kOriginNotAllowed,
                  "The origin " + quoted_for_message(*origin) + " may not call this relay.");
  }
  return check_head_action_and_version(policy, head, params, scan.control_escape);
}

Admission admit_api_call(const AdmissionPolicy& policy, const RequestHeadRef& head,
                         std::string_view body) {
  if (auto refusal = check_api_head(policy, head)) {
    Admission admission;
    admission.refusal = std::move(refusal);
    return admission;
  }
  return admit_checked_api_call(policy, head, body);
}

Admission admit_checked_api_call(const AdmissionPolicy& policy, const RequestHeadRef& head,
                                 std::string_view body, const FormParams* parsed_query) {
  Admission admission;
  auto fail = [&admission](std::optional<Refusal> refusal) {
    admission.refusal = std::move(refusal);
    return admission;
  };
  if (body.size() > policy.max_body_bytes) {
    return fail(refuse(RelayCode::kPayloadTooLarge,
                       "The body is too large (" + std::to_string(body.size()) + " bytes; limit " +
                           std::to_string(policy.max_body_bytes) + ")."));
  }

  const std::string_view query = target_query(head.target);
  FormParams own_query;
  if (!parsed_query) {
    if (!own_query.parse(query)) return fail(bad("The query has a malformed %XY escape."));
    if (own_query.has_control_char()) return fail(control_char_in("query"));
  }
  // Given: check_api_head parsed and checked them.
  const FormParams* query_params = parsed_query ? parsed_query : &own_query;

  FormParams form_params;
  if (!body.empty()) {
    if (!form_params.parse(body)) return fail(bad("The form body has a malformed %XY escape."));
    if (form_params.has_control_char()) return fail(control_char_in("form body"));
  }
  if (auto refusal = check_param_names(*query_params, form_params)) {
    return fail(std::move(refusal));
  }

  Occurrences actions;
  Occurrences versions;
  collect(*query_params, "query", actions, versions);
  collect(form_params, "form body", actions, versions);
  collect_header(head.headers, "x-acs-action", actions);
  collect_header(head.headers, "x-acs-version", versions);
  if (actions.count == 0) {
    return fail(
        bad("No Action: put it in the query or body (V1) or the x-acs-action header "
            "(V3)."));
  }
  // Parameters are unique by now; the same value in the query and as x-acs-action is harmless
  // (pop-core sends both), different values would let the gateway pick one the relay did not
  // check.
  if (!actions.all_same) {
    return fail(refuse(RelayCode::kActionNotAllowed, "Action appears with different values (" +
                                                         actions.places + "); send exactly one."));
  }
  const std::string_view action = actions.first;
  if (!is_allowed_action(policy, action)) return fail(action_not_allowed(policy, action));

  if (versions.count == 0 || !versions.all_same) {
    return fail(refuse(RelayCode::kVersionNotAllowed,
                       versions.count == 0 ? "No Version: send Version=" + policy.version + "."
                                           : "Version appears with different values (" +
                                                 versions.places + "); send exactly one."));
  }
  if (versions.first != policy.version) return fail(version_not_allowed(policy, versions.first));

  ForwardPlan& plan = admission.plan;
  if (query.empty()) {
    plan.path_and_query = "/";
  } else {
    plan.path_and_query.reserve(query.size() + 2);
    plan.path_and_query += "/?";
    plan.path_and_query += query;
  }
  plan.headers.reserve(head.headers.size() + 1);  // room for the Host the pool adds
  for (const auto& header : head.headers) {
    if (is_forwarded_header(header.first)) plan.headers.push_back(header);
  }
  plan.action = std::string(action);
  plan.v3 = find_header(head.headers, "x-acs-action").has_value();
  plan.key_id = key_id_of(*query_params, form_params, head.headers);
  return admission;
}

bool is_read_only_action(std::string_view action) {
  for (std::string_view prefix : {"Query", "Describe", "List", "Get"}) {
    if (action.size() > prefix.size() && action.substr(0, prefix.size()) == prefix &&
        action[prefix.size()] >= 'A' && action[prefix.size()] <= 'Z') {
      return true;
    }
  }
  return false;
}

std::optional<Refusal> check_assume_role(const RequestHeadRef& head) {
  if (head.method != "GET") return bad("The sandbox's assume-role is a GET.");
  if (target_path(head.target) != "/sandbox/assume-role") return bad("Unknown sandbox path.");
  const std::string_view query = target_query(head.target);
  const bool simple =
      query.size() <= 64 && std::all_of(query.begin(), query.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '=' || c == '&';
      });
  if (!simple) return bad("assume-role takes only DurationSeconds=N.");
  if (find_header(head.headers, "transfer-encoding") ||
      find_header(head.headers, "content-length")) {
    auto refusal = bad("assume-role takes no body.");
    refusal->close_connection = true;
    return refusal;
  }
  return std::nullopt;
}

}  // namespace dypls::relay
