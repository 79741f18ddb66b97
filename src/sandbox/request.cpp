#include "sandbox/request.h"

#include "core/encoding.h"

namespace dypls::sandbox {

std::optional<std::string_view> IncomingRequest::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return std::string_view(value);
  }
  return std::nullopt;
}

bool parse_form(std::string_view text, ParamList& out) {
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    Param param;
    if (!percent_decode(pair.substr(0, eq), param.name, true)) return false;
    if (eq != std::string_view::npos && !percent_decode(pair.substr(eq + 1), param.value, true)) {
      return false;
    }
    out.push_back(std::move(param));
  }
  return true;
}

std::optional<std::string_view> find_param(const ParamList& params, std::string_view name) {
  for (const Param& param : params) {
    if (param.name == name) return std::string_view(param.value);
  }
  return std::nullopt;
}

}  // namespace dypls::sandbox
