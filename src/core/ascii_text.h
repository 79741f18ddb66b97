// ASCII-only text rules shared by the HTTP layer, the relay and the core: header names and
// tokens compare without case, field values lose the optional whitespace around them. No locale
// is consulted (std::tolower would), so every server reads the same bytes the same way.
#pragma once
#include <algorithm>
#include <cstring>
#include <string_view>

namespace dypls {

inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
}

inline bool iequals_ascii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

// A hex digit's value (either case), -1 for any other byte: %XY escapes are read with it.
inline int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Without the spaces and tabs around it (RFC 9110's OWS).
inline std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Copies `text` to `at` and advances it; the caller sized the buffer (texts measured first, then
// written once). An empty view may hold a null pointer, which memcpy must not see.
inline void put_bytes(char*& at, std::string_view text) {
  if (text.empty()) return;
  std::memcpy(at, text.data(), text.size());
  at += text.size();
}

}  // namespace dypls
