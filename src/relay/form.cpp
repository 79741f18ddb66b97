#include "relay/form.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "core/ascii_text.h"
#include "core/encoding.h"

namespace dypls::relay {

bool parse_urlencoded_into(std::string_view text, bool form_encoded, ParamList& out) {
  std::size_t count = 0;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (piece.empty()) continue;
    const auto eq = piece.find('=');
    if (count == out.size()) out.emplace_back();
    Param& param = out[count++];
    if (!percent_decode(piece.substr(0, eq), param.name, form_encoded)) return false;
    if (eq == std::string_view::npos) {
      param.value.clear();
    } else if (!percent_decode(piece.substr(eq + 1), param.value, form_encoded)) {
      return false;
    }
  }
  out.resize(count);
  return true;
}

std::optional<ParamList> parse_urlencoded(std::string_view text, bool form_encoded) {
  ParamList params;
  params.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '&')) + 1);
  if (!parse_urlencoded_into(text, form_encoded, params)) return std::nullopt;
  return params;
}

std::optional<ParamList> parse_api_params(std::string_view text) {
  return parse_urlencoded(text, true);
}

bool parse_api_params_into(std::string_view text, ParamList& out) {
  return parse_urlencoded_into(text, true, out);
}

namespace {

// Letters, digits, '.', '_' and '-', as a table: every name of every call is read here.
constexpr std::array<bool, 256> kPlainNameChars =
    byte_table([](unsigned char c) { return is_ascii_alnum(c) || is_one_of(c, "._-"); });

}  // namespace

bool is_plain_param_name(std::string_view decoded_name) {
  return !decoded_name.empty() &&
         std::all_of(decoded_name.begin(), decoded_name.end(),
                     [](char ch) { return kPlainNameChars[static_cast<unsigned char>(ch)]; });
}

namespace {

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7F;
}

// Every '%' followed by two hex digits.
bool escapes_well_formed(std::string_view text) {
  const char* at = text.data();
  const char* end = at + text.size();
  while ((at = static_cast<const char*>(
              std::memchr(at, '%', static_cast<std::size_t>(end - at)))) != nullptr) {
    if (end - at < 3 || hex_digit_value(at[1]) < 0 || hex_digit_value(at[2]) < 0) return false;
    at += 3;
  }
  return true;
}

// A control character as a byte or from an escape (every escape well formed).
bool holds_control_char(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '%') {
      c = static_cast<unsigned char>(hex_digit_value(text[i + 1]) * 16 +
                                     hex_digit_value(text[i + 2]));
      i += 2;
    }
    if (is_control(c)) return true;
  }
  return false;
}

}  // namespace

std::uint64_t param_name_hash(std::string_view name) {
  // The size and the first and last bytes with bit 5 set ('A' and 'a' alike; so are '@' and '`',
  // which the string compare after an equal hash tells apart): O(1) per name, and the API's names
  // rarely agree on all three.
  if (name.empty()) return 0;
  return (static_cast<std::uint64_t>(name.size()) << 16) |
         (static_cast<std::uint64_t>(static_cast<unsigned char>(name.front()) | 0x20U) << 8) |
         (static_cast<unsigned char>(name.back()) | 0x20U);
}

FormParams::FormParams(std::string_view text) {
  if (!parse(text)) entries_.clear();
}

namespace {

// RFC 3986 query characters and '%', as a table: every byte of every query.
constexpr bool is_query_char(unsigned char c) {
  return is_ascii_alnum(c) || is_one_of(c, "-._~!$&'()*+,;=:@/?%");
}
constexpr std::array<bool, 256> kQueryChars = byte_table(is_query_char);

// Whether the eight bytes at `at` are all in `table`: one branch for eight bytes (the bytes'
// verdicts are and-ed, as integers).
// Written out: a loop of eight is not unrolled at -O2.
inline bool all_eight_in(const std::array<bool, 256>& table, const unsigned char* at) {
  const auto in = [&table](unsigned char c) { return static_cast<unsigned>(table[c]); };
  return (in(at[0]) & in(at[1]) & in(at[2]) & in(at[3]) & in(at[4]) & in(at[5]) & in(at[6]) &
          in(at[7])) != 0;
}

// The query characters a value holds as they are: all but '&' (its end) and '%' (an escape).
constexpr std::array<bool, 256> kQueryValueChars =
    byte_table([](unsigned char c) { return is_query_char(c) && c != '&' && c != '%'; });

}  // namespace

bool FormParams::parse(std::string_view text) {
  return parse_text<false>(text, nullptr);
}

FormParams::QueryScan FormParams::parse_query(std::string_view text) {
  QueryScan scan;
  scan.clean = parse_text<true>(text, &scan.control_escape);
  return scan;
}

template <bool kQuery>
bool FormParams::parse_text(std::string_view text, bool* control_escape) {
  text_.assign(text.data(), text.size());
  entries_.clear();
  if (kQuery) *control_escape = false;
  // Every byte is read through text_, whose terminating NUL is neither a plain name byte nor a
  // plain value byte: the one-at-a-time scans below stop on it without comparing with the size.
  const char* const base = text_.data();
  const auto* const bytes = reinterpret_cast<const unsigned char*>(base);
  const std::size_t size = text_.size();
  // The decoded names, made room for (a decoded name is never longer than its text) when the
  // first name to decode is met: most texts have none.
  char* names = nullptr;
  std::size_t names_used = 0;
  std::size_t at = 0;
  // The byte of the escape at `at` ('%' and two hex digits), or -1 when it is malformed.
  const auto escape = [&](std::size_t where) {
    if (size - where < 3) return -1;
    const int high = hex_digit_value(base[where + 1]);
    const int low = hex_digit_value(base[where + 2]);
    if (high < 0 || low < 0) return -1;
    const int byte = high * 16 + low;
    if (kQuery && (byte < 0x20 || byte == 0x7F)) *control_escape = true;
    return byte;
  };
  const auto& plain_name_byte = kPlainNameChars;
  while (at < size) {
    if (base[at] == '&') {  // an empty piece
      ++at;
      continue;
    }
    Entry entry{};
    // The name (every name of every call): a run of plain bytes, eight at a time and then one
    // at a time, is read where it stands. Only a name with '%', '+' or another byte is decoded.
    const std::size_t name_start = at;
    while (size - at >= 8 && all_eight_in(plain_name_byte, bytes + at)) at += 8;
    while (plain_name_byte[bytes[at]]) ++at;
    bool plain = true;
    if (at == size || bytes[at] == '=' || bytes[at] == '&') {
      entry.name_at = name_start;
      entry.name_size = at - name_start;
    } else {
      // Decoded into names_ from its start: the plain run first, then a byte at a time with
      // '%' and '+' decoded, each later plain run copied at once.
      if (names == nullptr) {
        if (names_.size() < size) names_.resize(size);
        names = names_.data();
      }
      entry.decoded = true;
      entry.name_at = names_used;
      std::memcpy(names + names_used, base + name_start, at - name_start);
      names_used += at - name_start;
      while (at < size) {
        std::size_t run_end = at;
        while (plain_name_byte[bytes[run_end]]) ++run_end;
        std::memcpy(names + names_used, base + at, run_end - at);
        names_used += run_end - at;
        at = run_end;
        if (at == size) break;
        auto c = bytes[at];
        if (c == '=' || c == '&') break;
        if (kQuery && !kQueryChars[c]) return false;
        if (c == '%') {
          // Hex digits are neither '=' nor '&': the escape lies inside the name.
          const int byte = escape(at);
          if (byte < 0) return false;
          c = static_cast<unsigned char>(byte);
          at += 2;
        } else if (c == '+') {
          c = ' ';
        }
        plain = plain && plain_name_byte[c];  // as decoded: "%41" is plain, "+" is not
        names[names_used++] = static_cast<char>(c);
        ++at;
      }
      entry.name_size = names_used - entry.name_at;
    }
    entry.plain = plain && entry.name_size > 0;
    entry.hash = param_name_hash(
        std::string_view((entry.decoded ? names : base) + entry.name_at, entry.name_size));
    if (at < size && base[at] == '=') {
      entry.value_at = at + 1;
      if (kQuery) {
        // Up to the '&' or the end, each byte a query character and each escape well formed:
        // eight bytes per test while none is special, then one at a time.
        const auto& plain_value = kQueryValueChars;
        at = entry.value_at;
        for (;;) {
          while (size - at >= 8 && all_eight_in(plain_value, bytes + at)) at += 8;
          while (plain_value[bytes[at]]) ++at;  // stops on text_'s NUL at the latest
          if (at == size || bytes[at] == '&') break;
          if (bytes[at] != '%' || escape(at) < 0) return false;
          at += 3;
        }
      } else {
        const auto* amp = static_cast<const char*>(
            std::memchr(base + entry.value_at, '&', size - entry.value_at));
        at = amp == nullptr ? size : static_cast<std::size_t>(amp - base);
        if (!escapes_well_formed(std::string_view(base + entry.value_at, at - entry.value_at))) {
          return false;
        }
      }
      entry.value_size = at - entry.value_at;
    } else {
      entry.value_at = at;
      entry.value_size = 0;
    }
    entries_.push_back(entry);
    ++at;  // past the '&' (or the end)
  }
  return true;
}

std::string_view FormParams::value(std::size_t i, std::string& scratch) const {
  const std::string_view raw = raw_value(i);
  if (std::memchr(raw.data(), '%', raw.size()) == nullptr &&
      std::memchr(raw.data(), '+', raw.size()) == nullptr) {
    return raw;
  }
  // Escapes were checked by parse().
  (void)percent_decode(raw, scratch, true);
  return scratch;
}

std::string FormParams::value(std::size_t i) const {
  std::string scratch;
  return std::string(value(i, scratch));
}

bool FormParams::has_control_char() const {
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (std::any_of(name(i).begin(), name(i).end(),
                    [](char c) { return is_control(static_cast<unsigned char>(c)); }) ||
        holds_control_char(raw_value(i))) {
      return true;
    }
  }
  return false;
}

}  // namespace dypls::relay
