#include "core/encoding.h"

#include <gtest/gtest.h>

#include <iterator>
#include <memory>
#include <random>
#include <string>

namespace dypls {
namespace {

TEST(PercentEncode, UnreservedBytesStayAsTheyAre) {
  const std::string unreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
  EXPECT_EQ(percent_encode(unreserved), unreserved);
}

TEST(PercentEncode, EveryOtherByteBecomesUpperCaseHex) {
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) continue;
    static constexpr char kHex[] = "0123456789ABCDEF";
    const std::string expected = {'%', kHex[byte >> 4], kHex[byte & 15]};
    EXPECT_EQ(percent_encode(std::string(1, c)), expected) << "byte " << byte;
  }
}

TEST(PercentEncode, SymbolsTheSignersCareAbout) {
  EXPECT_EQ(percent_encode(" "), "%20");  // never '+'
  EXPECT_EQ(percent_encode("*"), "%2A");
  EXPECT_EQ(percent_encode("~"), "~");
  EXPECT_EQ(percent_encode("+"), "%2B");
  EXPECT_EQ(percent_encode("/"), "%2F");
  EXPECT_EQ(percent_encode("="), "%3D");
  EXPECT_EQ(percent_encode("&"), "%26");
  EXPECT_EQ(percent_encode("%"), "%25");
  EXPECT_EQ(percent_encode(":"), "%3A");
  EXPECT_EQ(percent_encode("!'()"), "%21%27%28%29");
  EXPECT_EQ(percent_encode("a b*c~d"), "a%20b%2Ac~d");
}

TEST(PercentEncode, Utf8ChineseAndEmojiAreEncodedBytewise) {
  EXPECT_EQ(percent_encode("杭州"), "%E6%9D%AD%E5%B7%9E");
  EXPECT_EQ(percent_encode("全国通用"), "%E5%85%A8%E5%9B%BD%E9%80%9A%E7%94%A8");
  EXPECT_EQ(percent_encode("😀"), "%F0%9F%98%80");
}

TEST(PercentEncode, EmptyAndEmbeddedNul) {
  EXPECT_EQ(percent_encode(""), "");
  EXPECT_EQ(percent_encode(std::string("a\0b", 3)), "a%00b");
}

TEST(PercentEncode, AppendKeepsWhatIsAlreadyThere) {
  std::string out = "a=";
  append_percent_encoded(out, "b c");
  append_percent_encoded(out, "");
  append_percent_encoded(out, "~%");
  EXPECT_EQ(out, "a=b%20c~%25");
  EXPECT_EQ(out.size(), std::string("a=b%20c~%25").size());
}

TEST(PercentEncode, LongInputOfEveryByte) {
  std::string all;
  std::string expected;
  for (int round = 0; round < 8; ++round) {
    for (int byte = 0; byte < 256; ++byte) {
      all.push_back(static_cast<char>(byte));
      expected += percent_encode(std::string(1, static_cast<char>(byte)));
    }
  }
  EXPECT_EQ(percent_encode(all), expected);
}

// Byte by byte, as RFC 3986 says: the reference the word-at-a-time encoder must match.
std::string reference_encode(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 0x0F]};
    }
  }
  return out;
}

// Runs of unreserved bytes are copied eight at a time: every byte at every offset of such a
// window (and in the shorter tail after it) must still be escaped exactly where it stands.
TEST(PercentEncode, EveryByteAtEveryOffsetOfALongRun) {
  const std::string filler = "Az09-._~Az09-._~Az09";
  for (int byte = 0; byte < 256; ++byte) {
    for (std::size_t at = 0; at < filler.size(); ++at) {
      std::string text = filler;
      text[at] = static_cast<char>(byte);
      ASSERT_EQ(percent_encode(text), reference_encode(text)) << "byte " << byte << " at " << at;
      std::string once(percent_encoded_room(text.size()), '\0');
      std::string twice(percent_encoded_twice_room(text.size()), '\0');
      char* once_end = once.data();
      char* twice_end = twice.data();
      write_percent_encoded_once_and_twice(once_end, twice_end, text);
      once.resize(static_cast<std::size_t>(once_end - once.data()));
      twice.resize(static_cast<std::size_t>(twice_end - twice.data()));
      ASSERT_EQ(once, reference_encode(text)) << "byte " << byte << " at " << at;
      ASSERT_EQ(twice, reference_encode(reference_encode(text))) << "byte " << byte << " at " << at;
    }
  }
}

// Both writers at once into buffers of exactly the room they promise (so that AddressSanitizer
// sees a write past it), checked against the byte-by-byte reference.
void expect_writers_match_reference(const std::string& text, const std::string& what) {
  const std::size_t once_room = percent_encoded_room(text.size());
  const std::size_t twice_room = percent_encoded_twice_room(text.size());
  const std::unique_ptr<char[]> alone(new char[once_room]);
  const std::unique_ptr<char[]> once(new char[once_room]);
  const std::unique_ptr<char[]> twice(new char[twice_room]);
  char* alone_end = alone.get();
  char* once_end = once.get();
  char* twice_end = twice.get();
  write_percent_encoded(alone_end, text);
  write_percent_encoded_once_and_twice(once_end, twice_end, text);
  const std::string expected = reference_encode(text);
  ASSERT_EQ(std::string(alone.get(), alone_end), expected) << what;
  ASSERT_EQ(std::string(once.get(), once_end), expected) << what;
  ASSERT_EQ(std::string(twice.get(), twice_end), reference_encode(expected)) << what;
}

// A word of eight bytes is classified once and each escape in it written in turn: every set of
// escaped positions across two words (at each alignment of the words against the text), with
// escapes of both widths and a byte >= 0x80 among them.
TEST(PercentEncode, EverySetOfEscapesInAWord) {
  constexpr int kPositions = 12;
  const char escapes[] = {'%', '/', static_cast<char>(0xE6), ' ', '=', '~' + 1};
  for (std::size_t lead = 0; lead < 4; ++lead) {
    for (unsigned mask = 0; mask < (1U << kPositions); ++mask) {
      std::string text(lead, 'a');
      for (int at = 0; at < kPositions; ++at) {
        text.push_back((mask >> at) & 1U ? escapes[(at + mask) % std::size(escapes)]
                                         : "Az09-._~"[at % 8]);
      }
      expect_writers_match_reference(
          text, "lead " + std::to_string(lead) + " mask " + std::to_string(mask));
      if (HasFailure()) return;  // one failing text is enough to read
    }
  }
}

// Random texts of every length up to 70, from an alphabet weighted as tokens and Chinese values
// are (mostly unreserved, some escapes, some UTF-8), against the reference.
TEST(PercentEncode, RandomTextsMatchTheReference) {
  std::mt19937 random(20261201);
  const std::string alphabet = "AZaz09-._~AbCdEf12+/=&%: \x7f\xe4\xb8\x8a\xff";
  for (int round = 0; round < 4000; ++round) {
    const std::size_t size = random() % 71;
    std::string text;
    for (std::size_t i = 0; i < size; ++i) text.push_back(alphabet[random() % alphabet.size()]);
    expect_writers_match_reference(text, "round " + std::to_string(round));
    if (HasFailure()) return;
  }
}

TEST(PercentEncode, EncodingTwiceEncodesThePercentSign) {
  EXPECT_EQ(percent_encode(percent_encode(":")), "%253A");
}

TEST(PercentDecode, RoundTripsEveryByte) {
  std::string all;
  for (int byte = 0; byte < 256; ++byte) all.push_back(static_cast<char>(byte));
  std::string decoded;
  ASSERT_TRUE(percent_decode(percent_encode(all), decoded));
  EXPECT_EQ(decoded, all);
}

TEST(PercentDecode, AcceptsLowerCaseHex) {
  std::string out;
  ASSERT_TRUE(percent_decode("%e6%9d%ad%E5%B7%9E", out));
  EXPECT_EQ(out, "杭州");
}

TEST(PercentDecode, PlusIsASpaceOnlyInForms) {
  std::string out;
  ASSERT_TRUE(percent_decode("a+b%20c", out));
  EXPECT_EQ(out, "a+b c");
  ASSERT_TRUE(percent_decode("a+b%20c", out, /*form_encoded=*/true));
  EXPECT_EQ(out, "a b c");
}

TEST(PercentDecode, MalformedEscapesFailAndLeaveOutputUntouched) {
  for (const char* bad : {"%", "%4", "abc%", "%G0", "%0G", "a%zzb", "%%41"}) {
    std::string out = "unchanged";
    EXPECT_FALSE(percent_decode(bad, out)) << bad;
    EXPECT_EQ(out, "unchanged") << bad;
  }
}

TEST(HexLower, EncodesEveryByte) {
  EXPECT_EQ(hex_lower(""), "");
  EXPECT_EQ(hex_lower(std::string("\x00\x01\x7f\x80\xff", 5)), "00017f80ff");
  EXPECT_EQ(hex_lower("\xAB\xCD"), "abcd");
}

// RFC 4648 section 10.
TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, UsesPlusAndSlash) {
  EXPECT_EQ(base64_encode("\xfb\xff\xbf"), "+/+/");
}

// Every byte value in every position of a group, checked against Python's base64 module.
TEST(Base64, EveryByteValue) {
  std::string all;
  for (int byte = 0; byte < 256; ++byte) all.push_back(static_cast<char>(byte));
  EXPECT_EQ(
      base64_encode(all),
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BB"
      "QkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKD"
      "hIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TF"
      "xsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==");
  // A signature's length: 20 bytes, one padding character.
  EXPECT_EQ(base64_encode(all.substr(0, 20)), "AAECAwQFBgcICQoLDA0ODxAREhM=");
}

}  // namespace
}  // namespace dypls
