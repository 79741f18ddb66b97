#include "relay/form.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/encoding.h"

namespace dypls::relay {

bool parse_urlencoded_into(std::string_view text, bool form_encoded, ParamList& out) {
  std::size_t count = 0;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (piece.empty()) continue;
    const auto eq = piece.find('=');
    if (count == out.size()) out.emplace_back();
    Param& param = out[count++];
    if (!percent_decode(piece.substr(0, eq), param.name, form_encoded)) return false;
    if (eq == std::string_view::npos) {
      param.value.clear();
    } else if (!percent_decode(piece.substr(eq + 1), param.value, form_encoded)) {
      return false;
    }
  }
  out.resize(count);
  return true;
}

std::optional<ParamList> parse_urlencoded(std::string_view text, bool form_encoded) {
  ParamList params;
  params.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '&')) + 1);
  if (!parse_urlencoded_into(text, form_encoded, params)) return std::nullopt;
  return params;
}

std::optional<ParamList> parse_api_params(std::string_view text) {
  return parse_urlencoded(text, true);
}

bool parse_api_params_into(std::string_view text, ParamList& out) {
  return parse_urlencoded_into(text, true, out);
}

namespace {

// Letters, digits, '.', '_' and '-', as a table: every name of every call is read here.
constexpr std::array<bool, 256> kPlainNameChars = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<std::size_t>(c)] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                                         (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-';
  }
  return table;
}();

}  // namespace

bool is_plain_param_name(std::string_view decoded_name) {
  return !decoded_name.empty() &&
         std::all_of(decoded_name.begin(), decoded_name.end(),
                     [](char ch) { return kPlainNameChars[static_cast<unsigned char>(ch)]; });
}

bool same_param_name(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace dypls::relay
