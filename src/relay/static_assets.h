// How the page's files are served: which file a path names, its type, its cache policy, which
// precompressed copy to send, and the security headers. Pure: the edge checks what exists.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/signer.h"

namespace dypls::relay {

// "/" -> "index.html"; "/app.js" -> "app.js". nullopt for anything that could leave the folder
// or name a hidden file: "..", ".", empty segments, backslashes, control characters, leading dot.
// `decoded_path` is already percent-decoded.
std::optional<std::string> static_relative_path(std::string_view decoded_path);

std::string_view content_type_for(std::string_view file_name);

// index.html and other HTML: "no-cache"; names carrying a content hash ("app.3f9a1c2e.js",
// "font-5d41402abc4b2a76.ttf"): a year, immutable; anything else: "no-cache".
std::string_view cache_control_for(std::string_view file_name);

enum class Precompressed { kNone, kGzip, kBrotli };
std::string_view extension_of(Precompressed choice);   // "", ".gz", ".br"
std::string_view encoding_name(Precompressed choice);  // "", "gzip", "br"
// Picks by the client's Accept-Encoding (honouring q=0) among the copies that exist.
Precompressed choose_precompressed(std::string_view accept_encoding, bool have_br, bool have_gz);

// Strict CSP that still lets an Emscripten page run. `extra_connect` are origins added to
// connect-src (e.g. a relay on another origin).
std::string content_security_policy(const std::vector<std::string>& extra_connect);

// CSP and friends, for every file served.
HeaderList page_security_headers(const std::vector<std::string>& extra_connect);

}  // namespace dypls::relay
