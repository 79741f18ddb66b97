// The byte classes and SWAR tests of core/ascii_text.h, which the HTTP layer, the relay and the
// encoder share: each is checked against its plain definition on every byte, in every position.
#include "core/ascii_text.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace dypls {
namespace {

constexpr std::string_view kTokenExtras = "!#$%&'*+-.^_`|~";

TEST(AsciiText, ByteTableHoldsWhatThePredicateSays) {
  constexpr auto odd = byte_table([](unsigned char c) { return (c & 1) != 0; });
  for (int c = 0; c < 256; ++c) EXPECT_EQ(odd[static_cast<std::size_t>(c)], (c & 1) != 0) << c;
  static_assert(byte_table([](unsigned char c) { return c == 0xFF; })[255]);
  static_assert(!byte_table([](unsigned char c) { return c == 0xFF; })[254]);
}

TEST(AsciiText, TcharIsRfc9110Tchar) {
  for (int c = 0; c < 256; ++c) {
    const auto u = static_cast<unsigned char>(c);
    const bool expected = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') ||
                          (u >= 'A' && u <= 'Z') ||
                          (u != 0 && kTokenExtras.find(static_cast<char>(u)) != std::string::npos);
    EXPECT_EQ(is_tchar(static_cast<char>(u)), expected) << c;
  }
  static_assert(is_tchar('~') && !is_tchar(':') && !is_tchar(' ') && !is_tchar('\0'));
}

TEST(AsciiText, TokenIsANonEmptyRunOfTchar) {
  EXPECT_TRUE(is_token("Content-Length"));
  EXPECT_TRUE(is_token("x-acs-action"));
  EXPECT_FALSE(is_token(""));
  EXPECT_FALSE(is_token("Host "));
  EXPECT_FALSE(is_token("a:b"));
  EXPECT_FALSE(is_token(std::string_view("a\0b", 3)));
  EXPECT_FALSE(is_token("caf\xC3\xA9"));
}

// Every byte value at every position of a word, the other seven bytes set to `fill`: the SWAR
// tests find what a byte-by-byte test finds, and the lowest byte found is the first that matches.
template <class Swar, class Plain>
void expect_like_plain(Swar swar, Plain plain, unsigned char fill) {
  ASSERT_FALSE(plain(fill));
  for (int c = 0; c < 256; ++c) {
    for (std::size_t at = 0; at < 8; ++at) {
      std::array<char, 8> bytes{};
      bytes.fill(static_cast<char>(fill));
      bytes[at] = static_cast<char>(c);
      const std::uint64_t found = swar(load_word(bytes.data()));
      EXPECT_EQ(found != 0, plain(static_cast<unsigned char>(c))) << c << " at " << at;
      if (found != 0) {
        EXPECT_EQ(swar_first(found), at) << c;
      }
      EXPECT_EQ(found & ~kSwarHigh, 0U);
    }
  }
}

TEST(AsciiText, SwarTestsFindWhatEachByteTestFinds) {
  using Byte = unsigned char;
  for (const Byte n : {Byte{1}, Byte{0x20}, Byte{0x21}, Byte{0x80}}) {
    expect_like_plain([n](std::uint64_t w) { return swar_below(w, n); },
                      [n](Byte c) { return c < n; }, n < 0x80 ? Byte{0x7F} : Byte{0x80});
  }
  for (const Byte n : {Byte{0}, Byte{0x20}, Byte{0x7E}, Byte{0x7F}}) {
    expect_like_plain([n](std::uint64_t w) { return swar_above(w, n); },
                      [n](Byte c) { return c > n; }, n);
  }
  for (const Byte c : {Byte{0}, Byte{'"'}, Byte{'\\'}, Byte{0x80}, Byte{0xFF}}) {
    expect_like_plain([c](std::uint64_t w) { return swar_equal(w, c); },
                      [c](Byte b) { return b == c; }, static_cast<Byte>(c ^ 1U));
  }
}

TEST(AsciiText, SwarFirstIsTheLowestOfSeveral) {
  // A found byte's borrow may mark the bytes above it; the first found stays exact.
  const std::array<char, 8> bytes = {'a', 'b', '\x01', '\x00', 'c', '\x1F', 'd', '\x00'};
  EXPECT_EQ(swar_first(swar_below(load_word(bytes.data()), 0x20)), 2U);
  EXPECT_EQ(swar_first(swar_equal(load_word(bytes.data()), 'c')), 4U);
  EXPECT_EQ(swar_first(swar_above(load_word(bytes.data()), 'a')), 1U);
}

}  // namespace
}  // namespace dypls
