// How the page's files are served: which file a path names, its type, its cache policy, which
// precompressed copy to send, and the security headers. Pure: the edge checks what exists.
#pragma once
#include <cstdint>
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

// Whether `file_real` (a path with symlinks resolved) is `root_real` itself's child: the page's
// folder as resolved once. Pure, on the strings: "/srv/web" holds "/srv/web/a.js", not
// "/srv/web2/a.js" nor "/srv/web".
bool is_inside(std::string_view root_real, std::string_view file_real);

// The file `relative` names under `root`, with symlinks resolved, when it exists and is inside
// root's own real path; nullopt otherwise (a symlink pointing out of the folder is not served).
// Reads the filesystem (realpath), nothing else.
std::optional<std::string> real_file_inside(const std::string& root, const std::string& relative);

// What to send for a Range header on a file of `size` bytes. One range at most, bounded: a
// header with several ranges, an unknown unit or any malformation is ignored (the whole file,
// as RFC 9110 allows), so no request can make the answer larger than the file.
struct RangeDecision {
  enum class Kind { kWhole, kPartial, kUnsatisfiable };  // 200, 206, 416
  Kind kind = Kind::kWhole;
  std::uint64_t first = 0;  // kPartial: the bytes first..last, inclusive
  std::uint64_t last = 0;
};
RangeDecision decide_range(std::optional<std::string_view> range_header, std::uint64_t size);
// "bytes 0-99/1234" for kPartial, "bytes */1234" for kUnsatisfiable, "" for kWhole.
std::string content_range(const RangeDecision& decision, std::uint64_t size);

std::string_view content_type_for(std::string_view file_name);

// index.html and other HTML: "no-cache"; names carrying a content hash ("app.3f9a1c2e.js",
// "font-5d41402abc4b2a76.ttf"): a year, immutable; anything else: "no-cache".
std::string_view cache_control_for(std::string_view file_name);

// A strong validator for the bytes sent: a quoted hex prefix of their SHA-256. Each encoding of a
// file has its own. With Cache-Control "no-cache", a second visit revalidates and gets a 304
// without a body for every file that did not change.
std::string entity_tag(std::string_view bytes);
// Whether an If-None-Match header ("*" or a list of tags) matches `etag`, by the weak
// comparison RFC 9110 asks for there (W/ ignored). An empty or malformed header matches nothing.
bool if_none_match_matches(std::string_view if_none_match, std::string_view etag);

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
