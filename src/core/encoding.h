// Byte encodings used by both signature versions.
#pragma once
#include <string>
#include <string_view>

namespace dypls {

// RFC 3986 unreserved bytes stay; every other byte becomes %XY (upper-case hex).
std::string percent_encode(std::string_view bytes);
// The same, appended to `out`: the signers build each string in one buffer.
void append_percent_encoded(std::string& out, std::string_view bytes);
// Appends percent_encode(bytes) to `once` and percent_encode(percent_encode(bytes)) to `twice` in
// one pass: V1 signs its canonical query encoded a second time.
void append_percent_encoded_once_and_twice(std::string& once, std::string& twice,
                                           std::string_view bytes);
// Inverse of percent_encode; also accepts '+' as a space when form_encoded is true.
// Returns false (and leaves out untouched) on a malformed escape.
bool percent_decode(std::string_view text, std::string& out, bool form_encoded = false);

std::string hex_lower(std::string_view bytes);
std::string base64_encode(std::string_view bytes);

}  // namespace dypls
