#include "relay/access_log.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/ascii_text.h"
#include "core/time_format.h"

namespace dypls::relay {

namespace {

// mask_identifier's text in pieces (head, dots, tail), views into `id`: the log line takes them
// without building the string.
struct MaskedPieces {
  std::string_view head;
  std::string_view dots;
  std::string_view tail;
};

MaskedPieces masked_pieces(std::string_view id) {
  if (id.empty()) return {};
  if (id.size() < 10) return {"***", {}, {}};
  // Keep the "STS." prefix whole: it says what kind of key it was.
  const std::size_t head = id.substr(0, 4) == "STS." ? 8 : 4;
  return {id.substr(0, head), "...", id.substr(id.size() - 2)};
}

}  // namespace

std::string mask_identifier(std::string_view id) {
  const MaskedPieces pieces = masked_pieces(id);
  std::string out;
  out.reserve(pieces.head.size() + pieces.dots.size() + pieces.tail.size());
  out += pieces.head;
  out += pieces.dots;
  out += pieces.tail;
  return out;
}

namespace {

double tenths(double ms) {
  return static_cast<double>(static_cast<long long>(ms * 10.0)) / 10.0;
}

// 1 for a byte that is not printable ASCII, a quote or a backslash: such text needs escaping.
// Bytes, not bools: plain() ors eight entries at once.
constexpr std::array<unsigned char, 256> kNeedsEscape = byte_table<unsigned char>(
    [](unsigned char c) { return c < 0x20 || c >= 0x7F || c == '"' || c == '\\'; });

// Printable ASCII without a quote or backslash: written as is, no escaping needed. Every byte is
// looked at (no early exit): the usual text is plain, and the loop has no branch to mispredict.
bool plain(std::string_view text) {
  const auto* at = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = at + text.size();
  const auto& needs = kNeedsEscape;
  unsigned bad = 0;
  for (; end - at >= 8; at += 8) {  // eight per step: fewer loop tests
    bad |= needs[at[0]] | needs[at[1]] | needs[at[2]] | needs[at[3]] | needs[at[4]] | needs[at[5]] |
           needs[at[6]] | needs[at[7]];
  }
  for (; at != end; ++at) bad |= needs[*at];
  return bad == 0;
}

// Writes the line's pieces at `at`, a place sized for them (the line is measured first, then
// written once: about 25 appends, each a call and a size check, were most of its cost).
class LineWriter {
 public:
  explicit LineWriter(char* at) : at_(at) {}
  char* end() const { return at_; }
  [[gnu::always_inline]] void put(std::string_view text) { put_bytes(at_, text); }
  [[gnu::always_inline]] void put(char c) { *at_++ = c; }
  // `key_open`: the key with its quotes, colon and the value's opening quote ("\"path\":\"").
  [[gnu::always_inline]] void string(std::string_view key_open, std::string_view value) {
    put(key_open);
    put(value);
    put("\",");
  }
  [[gnu::always_inline]] void number(std::string_view key_open, long long value) {
    put(key_open);
    put(digits(value));
    put(',');
  }
  // The decimal text of `value` in a buffer of the writer's (valid until the next call).
  [[gnu::always_inline]] std::string_view digits(long long value) {
    char* const end = digits_.data() + digits_.size();
    char* first = end;
    const bool negative = value < 0;
    unsigned long long rest = negative ? 0ULL - static_cast<unsigned long long>(value)
                                       : static_cast<unsigned long long>(value);
    do {
      *--first = static_cast<char>('0' + rest % 10);
      rest /= 10;
    } while (rest != 0);
    if (negative) *--first = '-';
    return {first, static_cast<std::size_t>(end - first)};
  }

 private:
  char* at_;
  std::array<char, 24> digits_{};
};

template <class Entry>
std::string format_with_json(const Entry& entry) {
  const auto text = [](std::string_view view, std::size_t limit = std::string_view::npos) {
    return std::string(view.substr(0, limit));
  };
  nlohmann::json line = {
      {"time", text(entry.time)},     {"client", text(entry.client)},
      {"method", text(entry.method)}, {"path", text(entry.path, 128)},
      {"status", entry.status},
  };
  if (!entry.action.empty()) line["action"] = text(entry.action, 64);
  if (entry.upstream_status) line["upstreamStatus"] = *entry.upstream_status;
  if (!entry.request_id.empty()) line["requestId"] = text(entry.request_id, 64);
  if (!entry.relay_code.empty()) line["code"] = text(entry.relay_code);
  if (!entry.key_id.empty()) line["keyId"] = mask_identifier(entry.key_id);
  line["latencyMs"] = tenths(entry.latency_ms);
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Every request writes one: the usual line (plain text, a sane latency) is written directly, in
// the same bytes nlohmann's dump gives (keys in its sorted order); anything else goes through it.
template <class Entry>
void append_line(std::string& out, const Entry& entry) {
  const std::string_view path = std::string_view(entry.path).substr(0, 128);
  const std::string_view action = std::string_view(entry.action).substr(0, 64);
  const std::string_view request_id = std::string_view(entry.request_id).substr(0, 64);
  const MaskedPieces key_id = masked_pieces(entry.key_id);
  const double latency = tenths(entry.latency_ms);
  const bool simple = plain(entry.time) && plain(entry.client) && plain(entry.method) &&
                      plain(path) && plain(action) && plain(request_id) &&
                      plain(entry.relay_code) && plain(key_id.head) && plain(key_id.tail) &&
                      latency >= 0 && latency < 1e9;
  if (!simple) {
    out += format_with_json(entry);
    return;
  }
  // Room for the whole line: the fixed text (keys, quotes, commas: under 160 bytes), the texts,
  // and two numbers and a latency of at most 22 bytes each. Sized once, trimmed at the end.
  constexpr std::size_t kFixed = 160 + 3 * 22;
  const std::size_t start = out.size();
  out.resize(start + kFixed + entry.time.size() + entry.client.size() + entry.method.size() +
             path.size() + action.size() + request_id.size() + entry.relay_code.size() +
             key_id.head.size() + key_id.dots.size() + key_id.tail.size());
  LineWriter line(out.data() + start);
  line.put('{');
  if (!action.empty()) line.string("\"action\":\"", action);
  line.string("\"client\":\"", entry.client);
  if (!entry.relay_code.empty()) line.string("\"code\":\"", entry.relay_code);
  if (!key_id.head.empty()) {
    line.put("\"keyId\":\"");
    line.put(key_id.head);
    line.put(key_id.dots);
    line.put(key_id.tail);
    line.put("\",");
  }
  // "%.1f" of a whole number of tenths, without printf's floating-point formatting.
  const long long tenths_count = std::llround(latency * 10.0);
  line.put("\"latencyMs\":");
  line.put(line.digits(tenths_count / 10));
  line.put('.');
  line.put(static_cast<char>('0' + tenths_count % 10));
  line.put(',');
  line.string("\"method\":\"", entry.method);
  line.string("\"path\":\"", path);
  if (!request_id.empty()) line.string("\"requestId\":\"", request_id);
  line.number("\"status\":", entry.status);
  line.string("\"time\":\"", entry.time);
  if (entry.upstream_status) line.number("\"upstreamStatus\":", *entry.upstream_status);
  char* const end = line.end();
  end[-1] = '}';
  out.resize(static_cast<std::size_t>(end - out.data()));
}

}  // namespace

std::string format_access_log(const AccessLogEntry& entry) {
  std::string out;
  append_access_log(out, entry);
  return out;
}

void append_access_log(std::string& out, const AccessLogEntry& entry) {
  append_line(out, entry);
}

void append_access_log(std::string& out, const AccessLogView& entry) {
  append_line(out, entry);
}

namespace {

// Reads the top-level "RequestId" without building the document (this runs on every answer): the
// same verdict as parsing it whole, where a repeated key keeps its last value.
class RequestIdReader final : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool found() const { return top_is_object_ && is_string_; }
  std::string take() { return std::move(value_); }

  bool null() override { return scalar(); }
  bool boolean(bool /*val*/) override { return scalar(); }
  bool number_integer(number_integer_t /*val*/) override { return scalar(); }
  bool number_unsigned(number_unsigned_t /*val*/) override { return scalar(); }
  bool number_float(number_float_t /*val*/, const string_t& /*s*/) override { return scalar(); }
  bool string(string_t& val) override {
    if (at_request_id()) {
      value_ = std::move(val);
      is_string_ = true;
    }
    return true;
  }
  bool binary(binary_t& /*val*/) override { return scalar(); }
  bool start_object(std::size_t /*elements*/) override {
    if (depth_ == 0) top_is_object_ = true;
    return open();
  }
  bool key(string_t& val) override {
    if (depth_ == 1) key_is_request_id_ = val == "RequestId";
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t /*elements*/) override { return open(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*ex*/) override {
    return false;
  }

 private:
  bool at_request_id() const { return depth_ == 1 && key_is_request_id_; }
  bool scalar() {
    if (at_request_id()) is_string_ = false;
    return true;
  }
  bool open() {
    if (at_request_id()) is_string_ = false;
    ++depth_;
    key_is_request_id_ = false;
    return true;
  }
  bool close() {
    --depth_;
    key_is_request_id_ = false;
    return true;
  }

  int depth_ = 0;
  bool top_is_object_ = false;
  bool key_is_request_id_ = false;
  bool is_string_ = false;
  std::string value_;
};

// Bytes a plain string holds as they are: ASCII from the space up, but the quote and backslash
// (DEL included: JSON takes it as is).
constexpr std::array<bool, 256> kStringPlainAscii =
    byte_table([](unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; });

// The usual answer is small, plain JSON: strings in UTF-8 without escapes, short numbers without
// exponents. Such a document is read here in one pass, with JSON's grammar (a top-level
// object; the last "RequestId" at its top level decides). Anything else (an escape, a control
// character or broken UTF-8 in a string, an exponent, deep nesting, or no valid document at
// all) is left to nlohmann, whose verdict is the reference.
class PlainJsonReader {
 public:
  enum class Verdict { kFound, kNone, kNotPlain };

  explicit PlainJsonReader(std::string_view text) : text_(text) {}

  Verdict read(std::string_view& request_id) {
    skip_space();
    const bool top_object = at_ < text_.size() && text_[at_] == '{';
    std::string_view found;
    bool is_string = false;
    if (!value(0, &found, &is_string)) return Verdict::kNotPlain;
    skip_space();
    if (at_ != text_.size()) return Verdict::kNotPlain;
    if (!top_object || !is_string) return Verdict::kNone;
    request_id = found;
    return Verdict::kFound;
  }

 private:
  static constexpr int kMaxDepth = 64;

  void skip_space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
      ++at_;
    }
  }
  bool take(char c) {
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  // A string without escapes or control characters, in well-formed UTF-8 (its bytes are then
  // its value, as nlohmann reads it).
  bool string(std::string_view* out) {
    if (!take('"')) return false;
    const std::size_t start = at_;
    const auto* const bytes = reinterpret_cast<const unsigned char*>(text_.data());
    const std::size_t size = text_.size();
    for (;;) {
      // Printable ASCII other than the quote and backslash is most of a string: one test each.
      std::size_t at = at_;
      while (at < size && kStringPlainAscii[bytes[at]]) ++at;
      at_ = at;
      if (at_ >= size) return false;  // unterminated
      const unsigned char c = bytes[at_];
      if (c == '"') {
        if (out != nullptr) *out = text_.substr(start, at_ - start);
        ++at_;
        return true;
      }
      if (c < 0x20 || c == '\\' || !utf8_sequence(c)) return not_plain();
    }
  }
  bool continuation(std::size_t offset, unsigned char low = 0x80, unsigned char high = 0xBF) {
    if (at_ + offset >= text_.size()) return false;
    const auto c = static_cast<unsigned char>(text_[at_ + offset]);
    return c >= low && c <= high;
  }
  // One multi-byte character starting with `lead`, as Unicode's table of well-formed UTF-8
  // sequences allows (no overlong forms, no surrogates, nothing past U+10FFFF).
  bool utf8_sequence(unsigned char lead) {
    std::size_t length = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = continuation(1) ? 2 : 0;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      const bool second = lead == 0xE0   ? continuation(1, 0xA0, 0xBF)
                          : lead == 0xED ? continuation(1, 0x80, 0x9F)
                                         : continuation(1);
      length = second && continuation(2) ? 3 : 0;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      const bool second = lead == 0xF0   ? continuation(1, 0x90, 0xBF)
                          : lead == 0xF4 ? continuation(1, 0x80, 0x8F)
                                         : continuation(1);
      length = second && continuation(2) && continuation(3) ? 4 : 0;
    }
    at_ += length;
    return length > 0;
  }
  bool digits() {
    const std::size_t start = at_;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
    return at_ > start;
  }
  // -?(0|[1-9][0-9]*)(.[0-9]+)?, at most 32 characters (never out of a double's range).
  bool number() {
    const std::size_t start = at_;
    take('-');
    if (take('0')) {
      // no more integer digits after a leading zero
    } else if (at_ < text_.size() && text_[at_] >= '1' && text_[at_] <= '9') {
      digits();
    } else {
      return false;
    }
    if (take('.') && !digits()) return false;
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) return not_plain();
    return at_ - start <= 32 || not_plain();
  }
  bool literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }
  // One value. At depth 1 (the top object's members), `found`/`is_string` follow "RequestId".
  bool value(int depth, std::string_view* found, bool* is_string) {
    if (at_ >= text_.size()) return false;
    switch (text_[at_]) {
      case '{':
        return object(depth + 1, found, is_string);
      case '[':
        return array(depth + 1);
      case '"':
        return string(nullptr);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }
  bool object(int depth, std::string_view* found, bool* is_string) {
    if (depth > kMaxDepth) return not_plain();
    ++at_;  // '{'
    skip_space();
    if (take('}')) return true;
    for (;;) {
      std::string_view key;
      if (!string(&key)) return false;
      skip_space();
      if (!take(':')) return false;
      skip_space();
      const bool watched = depth == 1 && key == "RequestId";
      if (watched && at_ < text_.size() && text_[at_] == '"') {
        if (!string(found)) return false;
        *is_string = true;
      } else {
        if (watched) *is_string = false;
        if (!value(depth, nullptr, nullptr)) return false;
      }
      skip_space();
      if (take('}')) return true;
      if (!take(',')) return false;
      skip_space();
    }
  }
  bool array(int depth) {
    if (depth > kMaxDepth) return not_plain();
    ++at_;  // '['
    skip_space();
    if (take(']')) return true;
    for (;;) {
      if (!value(depth, nullptr, nullptr)) return false;
      skip_space();
      if (take(']')) return true;
      if (!take(',')) return false;
      skip_space();
    }
  }
  // Not for this reader: nlohmann decides.
  static bool not_plain() { return false; }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

std::string extract_request_id(std::string_view body, std::string_view header_value) {
  std::string_view plain_id;
  switch (PlainJsonReader(body).read(plain_id)) {
    case PlainJsonReader::Verdict::kFound:
      return std::string(plain_id);
    case PlainJsonReader::Verdict::kNone:
      return std::string(header_value);
    case PlainJsonReader::Verdict::kNotPlain:
      break;
  }
  RequestIdReader reader;
  if (nlohmann::json::sax_parse(body, &reader) && reader.found()) return reader.take();
  return std::string(header_value);
}

std::string log_timestamp(long long epoch_ms) {
  const long long seconds = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  const long long millis = epoch_ms - seconds * 1000;
  std::string text = format_iso8601_utc(seconds);  // "...:ssZ"
  char frac[8];
  (void)std::snprintf(frac, sizeof frac, ".%03lldZ", millis);
  text.pop_back();
  return text + frac;
}

}  // namespace dypls::relay
