// Byte encodings used by both signature versions.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace dypls {

// RFC 3986 unreserved bytes stay; every other byte becomes %XY (upper-case hex).
std::string percent_encode(std::string_view bytes);
// The same, appended to `out`: the signers build each string in one buffer.
void append_percent_encoded(std::string& out, std::string_view bytes);

// Writers for the signers, which size one buffer for a whole string instead of growing it (each
// std::string append is a call into the library in the page build). Each writes at its pointer
// and advances it; the room a call needs is the worst case plus the slack of fixed-size copies.
// (A word of eight input bytes is stored whole, and again after each escape in it.)
constexpr std::size_t percent_encoded_room(std::size_t size) {
  return size * 3 + 8;
}
constexpr std::size_t percent_encoded_twice_room(std::size_t size) {
  return size * 5 + 8;
}
// Writes percent_encode(bytes) at `next`.
void write_percent_encoded(char*& next, std::string_view bytes);
// Writes percent_encode(bytes) at `once` and percent_encode(percent_encode(bytes)) at `twice` in
// one pass: V1 signs its canonical query encoded a second time.
void write_percent_encoded_once_and_twice(char*& once, char*& twice, std::string_view bytes);
// Inverse of percent_encode; also accepts '+' as a space when form_encoded is true.
// Returns false (and leaves out untouched) on a malformed escape.
bool percent_decode(std::string_view text, std::string& out, bool form_encoded = false);

std::string hex_lower(std::string_view bytes);
std::string base64_encode(std::string_view bytes);

}  // namespace dypls
