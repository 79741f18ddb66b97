// Reading a pasted list of numbers: the shapes people paste, bad lines reported by number,
// duplicates kept once, and a huge paste bounded.
#include "number_list.h"

#include <gtest/gtest.h>

namespace dypls::console::testing {
namespace {

using Numbers = std::vector<std::string>;

TEST(NumberList, OnePerLineCommaOrSpaceSeparated) {
  EXPECT_EQ(parse_number_list("13800000000\n13800000001\r\n13800000002\n").numbers,
            (Numbers{"13800000000", "13800000001", "13800000002"}));
  EXPECT_EQ(parse_number_list("13800000000, 13800000001 13800000002;13800000003").numbers,
            (Numbers{"13800000000", "13800000001", "13800000002", "13800000003"}));
  EXPECT_EQ(parse_number_list("13800000000\t13800000001").numbers,
            (Numbers{"13800000000", "13800000001"}));
}

TEST(NumberList, CountryPrefixesAreDropped) {
  const NumberList list =
      parse_number_list("+8613800000000\n8613800000001\n008613800000002\n+86 13800000003\n");
  EXPECT_EQ(list.numbers, (Numbers{"13800000000", "13800000001", "13800000002", "13800000003"}));
  EXPECT_EQ(list.problem_count, 0U) << "a +86 split from its number by a space is ignored";
  EXPECT_EQ(normalize_mainland_number("138-0000-0004"), "13800000004");
  EXPECT_FALSE(normalize_mainland_number("23800000000").has_value()) << "mobile numbers start 1";
  EXPECT_FALSE(normalize_mainland_number("1380000000").has_value());
  EXPECT_FALSE(normalize_mainland_number("138000000001").has_value());
  EXPECT_FALSE(normalize_mainland_number("1380000000x").has_value());
  EXPECT_FALSE(normalize_mainland_number("").has_value());
}

TEST(NumberList, CsvExportWithHeaderUsesTheNumberColumn) {
  const std::string csv =
      "号码池,号码,归属地,运营商,购买时间\n"
      "FC100000000000001,13800000000,杭州,中国移动,2026-11-30 18:00:00\n"
      "\"FC100000000000001\",\"+8613800000001\",杭州,中国联通,2026-11-30 18:00:01\n"
      "FC100000000000001,,杭州,中国联通,2026-11-30 18:00:02\n";
  const NumberList list = parse_number_list(csv);
  EXPECT_TRUE(list.header);
  EXPECT_EQ(list.numbers, (Numbers{"13800000000", "13800000001"}));
  EXPECT_EQ(list.lines, (std::vector<std::size_t>{2, 3}));
  ASSERT_EQ(list.problems.size(), 1U);
  EXPECT_EQ(list.problems[0].line, 4U) << "a row whose number cell is empty";

  const NumberList english = parse_number_list(
      "Pool Key,Phone Number,City\nFC1,13800000005,Hangzhou\nFC1,12345,Hangzhou\n");
  EXPECT_EQ(english.numbers, (Numbers{"13800000005"}));
  ASSERT_EQ(english.problems.size(), 1U);
  EXPECT_EQ(english.problems[0].line, 3U);
  EXPECT_EQ(english.problems[0].excerpt, "12345");
}

TEST(NumberList, HeaderlessCsvTakesTheNumberAndIgnoresOtherCells) {
  const NumberList list =
      parse_number_list("FC100000000000001,13800000000,杭州,1,2026-11-30 18:00:00\n");
  EXPECT_EQ(list.numbers, (Numbers{"13800000000"}));
  EXPECT_EQ(list.problem_count, 0U);
}

TEST(NumberList, BadLinesAreReportedWithTheirLineNumbers) {
  const NumberList list =
      parse_number_list("number\n13800000000\nhello world\n\n1380000\n13800000001 99999999999\n");
  EXPECT_TRUE(list.header);
  EXPECT_EQ(list.numbers, (Numbers{"13800000000", "13800000001"}));
  ASSERT_EQ(list.problems.size(), 3U);
  EXPECT_EQ(list.problems[0].line, 3U);
  EXPECT_EQ(list.problems[0].why.en, "no number on this line");
  EXPECT_EQ(list.problems[1].line, 5U);
  EXPECT_EQ(list.problems[1].excerpt, "1380000");
  EXPECT_EQ(list.problems[2].line, 6U);
  EXPECT_EQ(list.problems[2].excerpt, "99999999999");
}

TEST(NumberList, OnlyTheFirstLineCanBeAHeader) {
  const NumberList list = parse_number_list("13800000000\nnumber\n");
  EXPECT_FALSE(list.header);
  ASSERT_EQ(list.problems.size(), 1U);
  EXPECT_EQ(list.problems[0].line, 2U);
}

TEST(NumberList, EmptyAndGarbage) {
  for (const char* text : {"", "\n\n\r\n", "   "}) {
    const NumberList list = parse_number_list(text);
    EXPECT_TRUE(list.numbers.empty()) << text;
    EXPECT_EQ(list.problem_count, 0U) << text;
  }
  const std::string binary("\x01\xff\xfe\0garbage\x80", 12);
  const NumberList list = parse_number_list("13800000000\n" + binary + "\n");
  EXPECT_EQ(list.numbers, (Numbers{"13800000000"}));
  ASSERT_EQ(list.problem_count, 1U);
  EXPECT_EQ(list.problems[0].line, 2U);
  EXPECT_LE(list.problems[0].excerpt.size(), 43U);
}

TEST(NumberList, DuplicatesAreKeptOnce) {
  const NumberList list =
      parse_number_list("13800000000\n+8613800000000\n13800000001\n13800000000\n");
  EXPECT_EQ(list.numbers, (Numbers{"13800000000", "13800000001"}));
  EXPECT_EQ(list.duplicates, 2U);
  EXPECT_EQ(list.problem_count, 0U);
}

TEST(NumberList, TenThousandLinesAreBounded) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += std::to_string(13800000000LL + i) + "\n";
  const NumberList list = parse_number_list(text);
  EXPECT_EQ(list.numbers.size(), kImportMaxNumbers);
  EXPECT_TRUE(list.too_many);
  EXPECT_EQ(list.numbers.front(), "13800000000");

  std::string garbage;
  for (int i = 0; i < 10000; ++i) garbage += "not a number\n";
  const NumberList bad = parse_number_list(garbage);
  EXPECT_TRUE(bad.header) << "a first line without digits reads as a header";
  EXPECT_EQ(bad.problems.size(), kImportMaxProblems);
  EXPECT_EQ(bad.problem_count, 9999U);

  const std::string huge(kImportMaxChars + 100, '1');
  const NumberList cut = parse_number_list(huge);
  EXPECT_TRUE(cut.too_long);
  EXPECT_TRUE(cut.numbers.empty());
}

}  // namespace
}  // namespace dypls::console::testing
