// An upstream answer that arrived whole in one read, split without Beast's parser when it is
// plain: the usual answer (a status line, a few headers, a Content-Length and its body) costs a
// scan of its bytes instead of a parser, a header container and a composed read. Only a strict
// subset is read here, each the way Beast reads it; anything else (chunked, no or several
// Content-Length, folded lines, obs-text, HTTP/1.0, a status without a body, a cap reached, a
// body still on its way...) is left to Beast's parser, which decides what is wrong. Pure: no
// sockets.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dypls::http {

struct AnswerCaps {
  std::size_t header_limit = 16384;  // status line and headers, bytes
  std::size_t max_header_count = 100;
  std::size_t max_reason_bytes = 256;
  std::size_t body_limit = 1 << 20;
};

struct PlainAnswer {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in order, values without OWS
  std::size_t head_length = 0;  // status line and headers, the blank line included
  std::size_t body_length = 0;  // the body follows the head
  bool keep_alive = true;
};

// The answer at the start of `bytes` when it is plain and whole (bytes after it are left to the
// caller), or nullopt: let Beast's parser read it.
std::optional<PlainAnswer> split_plain_answer(std::string_view bytes, const AnswerCaps& caps);

}  // namespace dypls::http
