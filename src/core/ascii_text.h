// ASCII-only text rules shared by the HTTP layer, the relay and the core: header names and
// tokens compare without case, field values lose the optional whitespace around them. No locale
// is consulted (std::tolower would), so every server reads the same bytes the same way.
#pragma once
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace dypls {

inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
}

inline bool iequals_ascii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

// A hex digit's value (either case), -1 for any other byte: %XY escapes are read with it.
inline int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Without the spaces and tabs around it (RFC 9110's OWS).
inline std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A byte class as a table of 256 flags, built at compile time from `member` (a constexpr
// predicate on unsigned char): the classes every byte of a request or answer is tested against
// then cost one load per byte. `Entry` is bool, or a byte type for a table whose entries are
// or-ed together (on bools, '|' reads as a mistaken '||').
template <class Entry = bool, class Member>
constexpr std::array<Entry, 256> byte_table(Member member) {
  std::array<Entry, 256> table{};
  for (std::size_t c = 0; c < table.size(); ++c) {
    table[c] = member(static_cast<unsigned char>(c)) ? Entry{1} : Entry{0};
  }
  return table;
}

constexpr bool is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Whether `c` is one of `chars` (for building tables: a search per byte).
constexpr bool is_one_of(unsigned char c, std::string_view chars) {
  for (const char member : chars) {
    if (static_cast<unsigned char>(member) == c) return true;
  }
  return false;
}

// RFC 9110 tchar: the bytes of a token (a method, a header name).
inline constexpr std::array<bool, 256> kTokenChars = byte_table(
    [](unsigned char c) { return is_ascii_alnum(c) || is_one_of(c, "!#$%&'*+-.^_`|~"); });

constexpr bool is_tchar(char c) {
  return kTokenChars[static_cast<unsigned char>(c)];
}

// A non-empty run of tchar.
constexpr bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

// Eight bytes at a time in a 64-bit word (SWAR). Each test below sets bit 7 of the bytes it finds
// and leaves every other bit clear. A borrow or carry between bytes only ever starts at a byte
// that is itself found, so whether any byte is found is exact, and so is the lowest one found
// (the first in memory: words are read little-endian); a byte above a found one may be found
// wrongly, so only the lowest is to be believed.
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the SWAR helpers read the first byte from the word's low end"
#endif
inline constexpr std::uint64_t kSwarOnes = 0x0101010101010101ULL;  // 0x01 in each byte
inline constexpr std::uint64_t kSwarHigh = kSwarOnes * 0x80;       // bit 7 of each byte

inline std::uint64_t load_word(const char* at) {
  std::uint64_t word = 0;
  std::memcpy(&word, at, sizeof word);
  return word;
}

// Bytes below `n` (n at most 0x80).
constexpr std::uint64_t swar_below(std::uint64_t word, unsigned char n) {
  return (word - kSwarOnes * n) & ~word & kSwarHigh;
}
// Bytes above `n` (n at most 0x7F): bytes from 0x80 up included.
constexpr std::uint64_t swar_above(std::uint64_t word, unsigned char n) {
  return ((word + kSwarOnes * (0x7FU - n)) | word) & kSwarHigh;
}
// Bytes equal to `c`.
constexpr std::uint64_t swar_equal(std::uint64_t word, unsigned char c) {
  return swar_below(word ^ (kSwarOnes * c), 1);
}
// The index (0 to 7) of the lowest byte a test found; `found` must not be zero.
inline std::size_t swar_first(std::uint64_t found) {
  return static_cast<std::size_t>(__builtin_ctzll(found)) / 8;
}

// Copies `text` to `at` and advances it; the caller sized the buffer (texts measured first, then
// written once). An empty view may hold a null pointer, which memcpy must not see. Always inlined:
// a writer's keys and separators are literals, whose memcpy the compiler turns into a store or
// two only where it sees their size (out of line, every piece cost a call and a memcpy call).
[[gnu::always_inline]] inline void put_bytes(char*& at, std::string_view text) {
  if (text.empty()) return;
  std::memcpy(at, text.data(), text.size());
  at += text.size();
}

}  // namespace dypls
