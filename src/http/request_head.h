// Strict checks on a request head's raw bytes, made before Beast's parser sees them. Beast
// accepts things a relay in front of other servers must not: obs-fold, repeated Content-Length,
// unknown transfer codings. Anything two parsers might read differently is refused here, so what
// the relay reads as one request is what everyone reads as one request. Pure: no sockets.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dypls::http {

enum class HeadState {
  kNeedMore,       // no end of head yet
  kComplete,       // `length` bytes (up to and including the blank line) form the head
  kBadLineEnding,  // a bare LF or bare CR: refuse at once, whatever follows
};

struct HeadScan {
  HeadState state = HeadState::kNeedMore;
  std::size_t length = 0;
};

// Looks for the end of a request head (CRLF CRLF) in `bytes`, starting the search at `from`
// (the caller passes how far it looked last time, so a trickled head is scanned once).
HeadScan find_head_end(std::string_view bytes, std::size_t from = 0);

// True when `bytes` holds no line end yet: with `limit` bytes or more, the request line alone is
// too long.
bool request_line_unfinished(std::string_view bytes);

// A head without a body, split into what Beast's parser would give for it.
struct BodilessHead {
  std::string method;
  std::string target;
  int version = 11;                                          // 10 or 11
  std::vector<std::pair<std::string, std::string>> headers;  // values without surrounding OWS
  bool keep_alive = true;
};

// The problem with a complete head (as found by find_head_end), or nullopt when it is strict
// HTTP/1.x: "METHOD SP origin-or-other-target SP HTTP/1.0|1.1", then "name: value" lines with
// token names, no whitespace before the colon, no folded lines, no control characters, at most
// one Content-Length (digits only), at most one Transfer-Encoding and only "chunked", never both.
// A header line longer than `max_line` bytes is refused too.
// With `split`, the head accepted is also split in the same pass (every request's head is read
// once): *split is then what split_bodiless_head gives for it.
std::optional<std::string> check_request_head(std::string_view head, std::size_t max_line = 8192,
                                              std::optional<BodilessHead>* split = nullptr);

// Splits a head check_request_head accepted, when reading it is simple: no body (no
// Content-Length above 0, no Transfer-Encoding), no Upgrade, and Connection (or
// Proxy-Connection) absent or exactly "keep-alive" or "close". Anything else: nullopt, and the
// caller lets Beast's parser read it.
std::optional<BodilessHead> split_bodiless_head(std::string_view head);

}  // namespace dypls::http
