// "a=1&b=2" in a query or an application/x-www-form-urlencoded body, decoded.
#pragma once
#include <optional>
#include <string_view>

#include "core/signer.h"

namespace dypls::relay {

// nullopt when an escape is malformed. `form_encoded` also reads '+' as a space (bodies).
// Empty pieces ("a=1&&b=2") are skipped; "a" alone is the parameter a with an empty value.
std::optional<ParamList> parse_urlencoded(std::string_view text, bool form_encoded);

}  // namespace dypls::relay
