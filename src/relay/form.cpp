#include "relay/form.h"

#include "core/encoding.h"

namespace dypls::relay {

std::optional<ParamList> parse_urlencoded(std::string_view text, bool form_encoded) {
  ParamList params;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (piece.empty()) continue;
    const auto eq = piece.find('=');
    Param param;
    if (!percent_decode(piece.substr(0, eq), param.name, form_encoded)) return std::nullopt;
    if (eq != std::string_view::npos &&
        !percent_decode(piece.substr(eq + 1), param.value, form_encoded)) {
      return std::nullopt;
    }
    params.push_back(std::move(param));
  }
  return params;
}

}  // namespace dypls::relay
