#include "encoding.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "ascii_text.h"

namespace dypls {
namespace {

constexpr std::string_view kUpperHex = "0123456789ABCDEF";
constexpr std::string_view kLowerHex = "0123456789abcdef";

// Each byte's encoding: itself, or "%XY". Per byte one lookup and one 4-byte store of the whole
// entry (its size byte lands in the slack and is overwritten or cut), no branch. Runs of
// unreserved bytes skip it, eight bytes a store (see escaped_bits): encoding is most of what
// building a string to sign costs.
struct alignas(4) Escape {
  char text[3];
  unsigned char size;  // 1 or 3
};
static_assert(sizeof(Escape) == 4);

constexpr std::array<Escape, 256> kEscapes = [] {
  std::array<Escape, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    auto& escape = table[static_cast<std::size_t>(c)];
    if (unreserved) {
      escape = {{static_cast<char>(c), 0, 0}, 1};
    } else {
      escape = {{'%', kUpperHex[static_cast<std::size_t>(c >> 4)],
                 kUpperHex[static_cast<std::size_t>(c & 0x0F)]},
                3};
    }
  }
  return table;
}();

// Each byte encoded twice: itself, or "%25XY" (the '%' of its escape encoded again).
struct alignas(8) TwiceEscape {
  char text[7];        // 5 used, padded so that one 8-byte store writes the entry
  unsigned char size;  // 1 or 5
};
static_assert(sizeof(TwiceEscape) == 8);

constexpr std::array<TwiceEscape, 256> kTwiceEscapes = [] {
  std::array<TwiceEscape, 256> table{};
  for (std::size_t c = 0; c < 256; ++c) {
    const Escape& once = kEscapes[c];
    auto& twice = table[c];
    if (once.size == 1) {
      twice = {{once.text[0], 0, 0, 0, 0, 0, 0}, 1};
    } else {
      twice = {{'%', '2', '5', once.text[1], once.text[2], 0, 0}, 5};
    }
  }
  return table;
}();

// Bit 7 of each of the eight bytes of `word` that needs an escape; the rest zero. The eight are
// classified at once in a 64-bit word (SWAR), with no table lookup per byte. In `low`, each byte
// x keeps seven bits, so no sum below carries out of its byte: bit 7 of x + (0x80 - n) is set
// exactly when x >= n, and bit 7 of (x ^ c) + 0x7F exactly when x != c. A range [n, m) is then
// the exclusive-or of two such sums, and disjoint sets' exclusive-or is their union; bits 0-6
// are ignored until the one mask at the end. The unreserved bytes are the letters, '-' to '9'
// without '/', '_' and '~': the three "not equal"s' exclusive-or is that of the three "equal"s
// flipped, so the exclusive-or of all five terms is set exactly for a byte that needs an escape.
// Bytes >= 0x80 are never unreserved. (About 20 operations a word; testing each range and byte
// separately took nearly twice that.) (Little-endian only: ascii_text.h refuses to build
// otherwise.)
inline std::uint64_t escaped_bits(std::uint64_t word) {
  const std::uint64_t low = word & ~kSwarHigh;
  const auto at_least = [](std::uint64_t bytes, char n) {
    return bytes + (0x80U - static_cast<unsigned char>(n)) * kSwarOnes;
  };
  const auto not_equal = [low](char c) {
    return (low ^ (static_cast<unsigned char>(c) * kSwarOnes)) + 0x7F * kSwarOnes;
  };
  // 'A'-'Z' become 'a'-'z'; no other byte does.
  const std::uint64_t folded = low | (0x20 * kSwarOnes);
  const std::uint64_t letters = at_least(folded, 'a') ^ at_least(folded, 'z' + 1);
  const std::uint64_t dash_to_nine = at_least(low, '-') ^ at_least(low, '9' + 1);
  const std::uint64_t escaped =
      letters ^ dash_to_nine ^ not_equal('/') ^ not_equal('_') ^ not_equal('~');
  return (escaped | word) & kSwarHigh;
}

// Which byte of a word escaped_bits classified comes first among those that need an escape, or
// 7 (the last) when none does.
inline std::size_t first_escape_or_last(std::uint64_t escaped) {
  return static_cast<std::size_t>(__builtin_ctzll(escaped | (std::uint64_t{1} << 63))) / 8;
}

void write_escape(char*& next, char ch) {
  const Escape& escape = kEscapes[static_cast<unsigned char>(ch)];
  std::memcpy(next, &escape, sizeof escape);
  next += escape.size;
}

void write_escape_once_and_twice(char*& once, char*& twice, char ch) {
  const auto c = static_cast<unsigned char>(ch);
  std::memcpy(once, &kEscapes[c], sizeof(Escape));
  once += kEscapes[c].size;
  std::memcpy(twice, &kTwiceEscapes[c], sizeof(TwiceEscape));
  twice += kTwiceEscapes[c].size;
}

}  // namespace

// Both writers go a word of eight bytes at a time. The word is stored whole (most of what is
// encoded, tokens, ids and names, is unreserved runs); then its first escape, or its last byte
// when none needs one (the table encodes an unreserved byte as itself), is written over its
// place and the rest of the word stored again after it, from the register, without a branch; a
// loop takes any further escapes in the word, which a token's words seldom hold. (A branch on
// whether a word holds an escape at all is taken at random in a token: its mispredictions cost
// about as much as the rest of the encoding.) The stores' excess lands in the room's slack and
// is overwritten or cut.
void write_percent_encoded(char*& next, std::string_view bytes) {
  const char* in = bytes.data();
  const char* const end = in + bytes.size();
  char* out = next;
  for (; end - in >= 8; in += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, in, sizeof word);
    std::memcpy(out, &word, sizeof word);
    std::uint64_t escaped = escaped_bits(word);
    std::size_t at = first_escape_or_last(escaped);
    out += at;  // the bytes before it are in place
    write_escape(out, in[at]);
    std::uint64_t rest = (word >> (8 * at)) >> 8;  // two shifts: one of 64 would be undefined
    std::memcpy(out, &rest, sizeof rest);
    std::size_t done = at + 1;  // bytes of this word written
    for (escaped &= escaped - 1; escaped != 0; escaped &= escaped - 1) {
      at = first_escape_or_last(escaped);
      out += at - done;
      write_escape(out, in[at]);
      rest = (word >> (8 * at)) >> 8;
      std::memcpy(out, &rest, sizeof rest);
      done = at + 1;
    }
    out += 8 - done;
  }
  for (; in != end; ++in) write_escape(out, *in);
  next = out;
}

void write_percent_encoded_once_and_twice(char*& once, char*& twice, std::string_view bytes) {
  const char* in = bytes.data();
  const char* const end = in + bytes.size();
  char* out_once = once;
  char* out_twice = twice;
  for (; end - in >= 8; in += 8) {  // as write_percent_encoded, into both
    std::uint64_t word = 0;
    std::memcpy(&word, in, sizeof word);
    std::memcpy(out_once, &word, sizeof word);
    std::memcpy(out_twice, &word, sizeof word);
    std::uint64_t escaped = escaped_bits(word);
    std::size_t at = first_escape_or_last(escaped);
    out_once += at;
    out_twice += at;
    write_escape_once_and_twice(out_once, out_twice, in[at]);
    std::uint64_t rest = (word >> (8 * at)) >> 8;
    std::memcpy(out_once, &rest, sizeof rest);
    std::memcpy(out_twice, &rest, sizeof rest);
    std::size_t done = at + 1;
    for (escaped &= escaped - 1; escaped != 0; escaped &= escaped - 1) {
      at = first_escape_or_last(escaped);
      out_once += at - done;
      out_twice += at - done;
      write_escape_once_and_twice(out_once, out_twice, in[at]);
      rest = (word >> (8 * at)) >> 8;
      std::memcpy(out_once, &rest, sizeof rest);
      std::memcpy(out_twice, &rest, sizeof rest);
      done = at + 1;
    }
    out_once += 8 - done;
    out_twice += 8 - done;
  }
  for (; in != end; ++in) write_escape_once_and_twice(out_once, out_twice, *in);
  once = out_once;
  twice = out_twice;
}

void append_percent_encoded(std::string& out, std::string_view bytes) {
  const std::size_t start = out.size();
  out.resize(start + percent_encoded_room(bytes.size()));
  char* next = out.data() + start;
  write_percent_encoded(next, bytes);
  out.resize(static_cast<std::size_t>(next - out.data()));
}

std::string percent_encode(std::string_view bytes) {
  std::string out;
  append_percent_encoded(out, bytes);
  return out;
}

bool percent_decode(std::string_view text, std::string& out, bool form_encoded) {
  const std::size_t size = text.size();
  if (size == 0) {
    out.clear();
    return true;
  }
  // Most names and values have nothing to decode: found with memchr and copied as is (every
  // request's parameters pass here).
  const auto* percent = static_cast<const char*>(std::memchr(text.data(), '%', size));
  const bool plus = form_encoded && std::memchr(text.data(), '+', size) != nullptr;
  if (percent == nullptr && !plus) {
    out.assign(text.data(), size);
    return true;
  }
  // Checked first, so that `out` is left as it was on a broken escape; then written in place.
  if (percent != nullptr) {
    for (auto i = static_cast<std::size_t>(percent - text.data()); i < size; ++i) {
      if (text[i] != '%') continue;
      if (i + 2 >= size || hex_digit_value(text[i + 1]) < 0 || hex_digit_value(text[i + 2]) < 0) {
        return false;  // truncated or not hex
      }
      i += 2;
    }
  }
  out.resize(size);
  char* next = out.data();
  for (std::size_t i = 0; i < size; ++i) {
    const char c = text[i];
    if (c == '%') {
      *next++ = static_cast<char>(hex_digit_value(text[i + 1]) * 16 + hex_digit_value(text[i + 2]));
      i += 2;
    } else {
      *next++ = c == '+' && form_encoded ? ' ' : c;
    }
  }
  out.resize(static_cast<std::size_t>(next - out.data()));
  return true;
}

std::string hex_lower(std::string_view bytes) {
  std::string out(bytes.size() * 2, '\0');
  char* next = out.data();
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    *next++ = kLowerHex[c >> 4];
    *next++ = kLowerHex[c & 0x0F];
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  // RFC 4648 with padding. A plain table: what is encoded here (signatures, random nonces) is
  // sent in the clear, so mbedTLS's constant-time encoder buys nothing and costs as much as the
  // rest of a V1 signature's assembly.
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto byte = [bytes](std::size_t i) -> std::uint32_t {
    return i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 0U;
  };
  std::string out((bytes.size() + 2) / 3 * 4, '=');
  char* next = out.data();
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t group = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    next[0] = kAlphabet[(group >> 18) & 0x3F];
    next[1] = kAlphabet[(group >> 12) & 0x3F];
    if (i + 1 < bytes.size()) next[2] = kAlphabet[(group >> 6) & 0x3F];
    if (i + 2 < bytes.size()) next[3] = kAlphabet[group & 0x3F];
    next += 4;
  }
  return out;
}

}  // namespace dypls
