#include "encoding.h"

#include <cstddef>
#include <utility>

#include "mbedtls/base64.h"

namespace dypls {
namespace {

constexpr std::string_view kUpperHex = "0123456789ABCDEF";
constexpr std::string_view kLowerHex = "0123456789abcdef";

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// -1 when c is not a hex digit (either case is accepted on input).
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string percent_encode(std::string_view bytes) {
  // Written through a pointer into a buffer sized for the worst case: the signers call this for
  // every name and value, and push_back is not inlined in the page's size-optimised build.
  std::string out(bytes.size() * 3, '\0');
  char* next = out.data();
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      *next++ = ch;
    } else {
      *next++ = '%';
      *next++ = kUpperHex[c >> 4];
      *next++ = kUpperHex[c & 0x0F];
    }
  }
  out.resize(static_cast<std::size_t>(next - out.data()));
  return out;
}

bool percent_decode(std::string_view text, std::string& out, bool form_encoded) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;  // truncated escape
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return false;
      decoded.push_back(static_cast<char>((high << 4) | low));
      i += 2;
    } else if (c == '+' && form_encoded) {
      decoded.push_back(' ');
    } else {
      decoded.push_back(c);
    }
  }
  out = std::move(decoded);
  return true;
}

std::string hex_lower(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(kLowerHex[c >> 4]);
    out.push_back(kLowerHex[c & 0x0F]);
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');  // +1: mbedTLS writes a terminator
  std::size_t written = 0;
  const auto* input = reinterpret_cast<const unsigned char*>(bytes.data());
  // Fails only when the output buffer is too small, which the size above rules out.
  if (mbedtls_base64_encode(reinterpret_cast<unsigned char*>(out.data()), out.size(), &written,
                            input, bytes.size()) != 0) {
    return {};
  }
  out.resize(written);
  return out;
}

}  // namespace dypls
