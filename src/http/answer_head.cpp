#include "http/answer_head.h"

#include <algorithm>

#include "core/ascii_text.h"
#include "http/framing_header.h"

namespace dypls::http {
namespace {

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Visible ASCII, space and tab: text every HTTP parser reads alike (obs-text is left to Beast).
bool is_plain_text(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == '\t' || (c >= 0x20 && c < 0x7f); });
}

}  // namespace

std::optional<PlainAnswer> split_plain_answer(std::string_view bytes, const AnswerCaps& caps) {
  const std::size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos || end + 4 >= caps.header_limit) return std::nullopt;
  PlainAnswer out;
  out.head_length = end + 4;
  const std::string_view head = bytes.substr(0, end + 2);  // each line with its CRLF

  // "HTTP/1.1 DDD reason": 1.1 only (1.0 keeps connections differently), a status with a body.
  std::size_t line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 14 || status_line.substr(0, 9) != "HTTP/1.1 " ||
      !is_digit(status_line[9]) || !is_digit(status_line[10]) || !is_digit(status_line[11]) ||
      status_line[12] != ' ') {
    return std::nullopt;
  }
  out.status =
      (status_line[9] - '0') * 100 + (status_line[10] - '0') * 10 + (status_line[11] - '0');
  if (out.status < 200 || out.status > 599 || out.status == 204 || out.status == 304) {
    return std::nullopt;
  }
  const std::string_view reason = status_line.substr(13);
  if (reason.size() > caps.max_reason_bytes || !is_plain_text(reason)) return std::nullopt;

  std::optional<std::size_t> content_length;
  out.headers.reserve(8);  // the usual answer's headers, without growing the list line by line
  for (std::size_t at = line_end + 2; at < head.size(); at = line_end + 2) {
    line_end = head.find("\r\n", at);
    const std::string_view line = head.substr(at, line_end - at);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;  // obs-fold too
    const std::string_view name = line.substr(0, colon);
    if (!is_token(name)) return std::nullopt;
    const std::string_view raw_value = line.substr(colon + 1);
    if (!is_plain_text(raw_value)) return std::nullopt;  // a bare CR or LF, a control, obs-text
    const std::string_view value = trim_ows(raw_value);
    if (out.headers.size() >= caps.max_header_count) return std::nullopt;
    switch (framing_header(name)) {
      case FramingHeader::kContentLength: {
        if (content_length || !is_content_length_value(value)) return std::nullopt;
        std::size_t length = 0;
        for (const char digit : value) {
          length = length * 10 + static_cast<std::size_t>(digit - '0');
        }
        content_length = length;
        break;
      }
      case FramingHeader::kTransferEncoding:
      case FramingHeader::kUpgrade:
      case FramingHeader::kProxyConnection:
        return std::nullopt;  // left to Beast's parser
      case FramingHeader::kConnection:
        if (iequals_ascii(value, "close")) {
          out.keep_alive = false;
        } else if (!iequals_ascii(value, "keep-alive")) {
          return std::nullopt;
        }
        break;
      case FramingHeader::kNone:
        break;
    }
    out.headers.emplace_back(std::string(name), std::string(value));
  }
  if (!content_length || *content_length > caps.body_limit ||
      bytes.size() - out.head_length < *content_length) {
    return std::nullopt;
  }
  out.body_length = *content_length;
  return out;
}

}  // namespace dypls::http
