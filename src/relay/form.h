// "a=1&b=2" in a query or an application/x-www-form-urlencoded body, decoded, and what the relay
// takes a parameter's name to be.
#pragma once
#include <optional>
#include <string_view>

#include "core/signer.h"

namespace dypls::relay {

// nullopt when an escape is malformed. `form_encoded` also reads '+' as a space.
// Empty pieces ("a=1&&b=2") are skipped; "a" alone is the parameter a with an empty value.
std::optional<ParamList> parse_urlencoded(std::string_view text, bool form_encoded);
// The same into `out`, whose parameters are reused (their strings keep their room: a list kept
// from one call to the next decodes without allocating). False when an escape is malformed; `out`
// then holds no meaningful list.
bool parse_urlencoded_into(std::string_view text, bool form_encoded, ParamList& out);

// The API's parameters as the gateway could read them: the query and a form body are both
// decoded with '+' as a space and %XY as a byte (a gateway may do either to a query, so the relay
// assumes the one that reveals more). nullopt when an escape is malformed.
std::optional<ParamList> parse_api_params(std::string_view text);
bool parse_api_params_into(std::string_view text, ParamList& out);

// What a parameter name is, decided once for the allow-lists and the duplicate checks: the
// decoded name, made only of letters, digits, '.', '_' and '-' (every name the API defines).
// Anything else ("Action " from "Action+" or "Action%20", "Act%00ion", an empty name) is
// ambiguous: a gateway may trim it, keep it or reject it, so the relay refuses the request
// rather than guess which parameter it is.
bool is_plain_param_name(std::string_view decoded_name);

// Parameter names compare without regard to case, as a gateway may ("action" is Action).
bool same_param_name(std::string_view a, std::string_view b);

}  // namespace dypls::relay
