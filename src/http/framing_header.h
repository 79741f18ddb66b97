// The header names that frame an HTTP/1.1 message or its connection. The request head, the
// answer head and the server's own writing each look at every header for these, so they are
// told apart by length first: most headers (Content-Type, Date...) cost one switch, not five
// compares. Pure.
#pragma once
#include <string_view>

#include "core/ascii_text.h"

namespace dypls::http {

enum class FramingHeader {
  kNone,
  kContentLength,
  kTransferEncoding,
  kConnection,
  kProxyConnection,
  kUpgrade,
};

inline FramingHeader framing_header(std::string_view name) {
  const auto is = [name](std::string_view lower, FramingHeader kind) {
    return iequals_ascii(name, lower) ? kind : FramingHeader::kNone;
  };
  switch (name.size()) {
    case 14:
      return is("content-length", FramingHeader::kContentLength);
    case 17:
      return is("transfer-encoding", FramingHeader::kTransferEncoding);
    case 10:
      return is("connection", FramingHeader::kConnection);
    case 16:
      return is("proxy-connection", FramingHeader::kProxyConnection);
    case 7:
      return is("upgrade", FramingHeader::kUpgrade);
    default:
      return FramingHeader::kNone;
  }
}

// A Content-Length value both heads accept: one to fifteen decimal digits (no sign, no spaces,
// no list), so that it fits any size type and reads the same to every parser on the way.
inline bool is_content_length_value(std::string_view value) {
  if (value.empty() || value.size() > 15) return false;
  for (const char c : value) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace dypls::http
