#include "http/request_head.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/ascii_text.h"
#include "http/framing_header.h"

namespace dypls::http {
namespace {

// field-value: visible characters, obs-text, spaces and tabs; no other control character.
bool is_field_value(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || u >= 0x20 ? u != 0x7f : false;
  });
}

// Every byte visible ASCII (0x21 to 0x7E), eight at a time: the target is most of a request's
// head.
bool is_target(std::string_view s) {
  if (s.empty()) return false;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    const std::uint64_t word = load_word(s.data() + i);
    if ((swar_below(word, 0x21) | swar_above(word, 0x7E)) != 0) return false;
  }
  for (; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u <= 0x20 || u >= 0x7f) return false;
  }
  return true;
}

}  // namespace

std::optional<BodilessHead> split_bodiless_head(std::string_view head) {
  std::optional<BodilessHead> split;
  (void)check_request_head(head, head.size(), &split);
  return split;
}

HeadScan find_head_end(std::string_view bytes, std::size_t from) {
  // Line by line with memchr (every request's head passes here): in each line, the only CR
  // allowed is the one right before its LF. Backs up so that a CRLF CRLF split across two reads
  // is seen whole.
  const char* data = bytes.data();
  const std::size_t size = bytes.size();
  std::size_t i = from > 3 ? from - 3 : 0;
  while (i < size) {
    const auto* lf = static_cast<const char*>(std::memchr(data + i, '\n', size - i));
    const std::size_t end = lf != nullptr ? static_cast<std::size_t>(lf - data) : size;
    if (const auto* cr = static_cast<const char*>(std::memchr(data + i, '\r', end - i))) {
      const auto at = static_cast<std::size_t>(cr - data);
      // A CR must end its line (or the buffer, where its LF may yet come).
      if (at + 1 != end) return {HeadState::kBadLineEnding, 0};
    }
    if (lf == nullptr) break;
    if (end == 0 || data[end - 1] != '\r') return {HeadState::kBadLineEnding, 0};
    if (end >= 3 && data[end - 2] == '\n' && data[end - 3] == '\r') {
      return {HeadState::kComplete, end + 1};
    }
    i = end + 1;
  }
  return {HeadState::kNeedMore, 0};
}

bool request_line_unfinished(std::string_view bytes) {
  return bytes.find('\n') == std::string_view::npos;
}

std::optional<std::string> check_request_head(std::string_view head, std::size_t max_line,
                                              std::optional<BodilessHead>* split) {
  if (split != nullptr) split->reset();
  if (head.size() < 4 || head.substr(head.size() - 4) != "\r\n\r\n") {
    return "The request head must end with an empty line.";
  }
  head.remove_suffix(2);  // keep one CRLF ending the last line
  std::size_t line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const auto first = line.find(' ');
  const auto last = line.rfind(' ');
  if (first == std::string_view::npos || first == last) {
    return "The request line must be 'METHOD target HTTP/1.1'.";
  }
  const std::string_view method = line.substr(0, first);
  const std::string_view target = line.substr(first + 1, last - first - 1);
  const std::string_view version = line.substr(last + 1);
  if (!is_token(method)) return "The method is not a token.";
  if (!is_target(target)) {
    return "The request target holds a space or a control character; percent-encode it.";
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return "Only HTTP/1.0 and HTTP/1.1 are spoken here.";
  }
  // The split is made as the lines are checked, and dropped when the head is not simple (a body,
  // an Upgrade, a Connection list) or not accepted.
  BodilessHead out;
  bool simple = split != nullptr;
  if (simple) {
    // Made as new strings (an assign to an empty one goes through its replace path).
    out.method = std::string(method);
    out.target = std::string(target);
    out.version = version == "HTTP/1.1" ? 11 : 10;
  }
  bool close = false;
  bool keep_alive = false;
  int content_lengths = 0;
  int transfer_encodings = 0;
  for (std::size_t at = line_end + 2; at < head.size(); at = line_end + 2) {
    line_end = head.find("\r\n", at);
    const std::string_view field = head.substr(at, line_end - at);
    if (field.empty()) return "An empty line inside the request head.";
    if (field.size() > max_line) {
      return "A header line is longer than " + std::to_string(max_line) + " bytes.";
    }
    if (field.front() == ' ' || field.front() == '\t') {
      return "A header line starts with whitespace (obs-fold); send each header on one line.";
    }
    const auto colon = field.find(':');
    if (colon == std::string_view::npos) return "A header line has no colon.";
    const std::string_view name = field.substr(0, colon);
    if (!is_token(name)) return "A header name is not a token (or has space before the colon).";
    const std::string_view value = trim_ows(field.substr(colon + 1));
    if (!is_field_value(value)) return "A header value holds a control character.";
    switch (framing_header(name)) {
      case FramingHeader::kContentLength:
        ++content_lengths;
        if (!is_content_length_value(value)) return "Content-Length must be one decimal number.";
        simple = simple && value.find_first_not_of('0') == std::string_view::npos;
        break;
      case FramingHeader::kTransferEncoding:
        ++transfer_encodings;
        if (!iequals_ascii(value, "chunked")) {
          return "The only transfer coding accepted is chunked.";
        }
        simple = false;
        break;
      case FramingHeader::kUpgrade:
        simple = false;
        break;
      case FramingHeader::kConnection:
      case FramingHeader::kProxyConnection:
        if (iequals_ascii(value, "close")) {
          close = true;
        } else if (iequals_ascii(value, "keep-alive")) {
          keep_alive = true;
        } else {
          simple = false;
        }
        break;
      case FramingHeader::kNone:
        break;
    }
    if (simple) out.headers.emplace_back(std::string(name), std::string(value));
  }
  if (content_lengths > 1) return "Content-Length appears more than once.";
  if (transfer_encodings > 1) return "Transfer-Encoding appears more than once.";
  if (content_lengths > 0 && transfer_encodings > 0) {
    return "Content-Length and Transfer-Encoding together are ambiguous; send one.";
  }
  if (simple) {
    out.keep_alive = out.version == 11 ? !close : keep_alive;  // as Beast's keep_alive()
    *split = std::move(out);
  }
  return std::nullopt;
}

}  // namespace dypls::http
