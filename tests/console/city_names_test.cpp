// Cities typed in Latin letters become the names the API takes; unknown ones get suggestions.
#include "city_names.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace dypls::console {
namespace {

TEST(CityNames, PinyinAndEnglishNamesMapToTheChineseName) {
  EXPECT_EQ(city_from_latin("Hangzhou"), "杭州");
  EXPECT_EQ(city_from_latin("hang zhou"), "杭州");
  EXPECT_EQ(city_from_latin("HANGZHOU"), "杭州");
  EXPECT_EQ(city_from_latin("Hangzhou Shi"), "杭州");
  EXPECT_EQ(city_from_latin("Xi'an"), "西安");
  EXPECT_EQ(city_from_latin("Harbin"), "哈尔滨");
  EXPECT_EQ(city_from_latin("Urumqi"), "乌鲁木齐");
  EXPECT_EQ(city_from_latin("Hong Kong"), "香港");
  EXPECT_EQ(city_from_latin("Beijing City"), "北京");
}

TEST(CityNames, AmbiguousOrUnknownSpellingsAreNotGuessed) {
  EXPECT_EQ(city_from_latin("Suzhou"), "");   // 苏州 and 宿州
  EXPECT_EQ(city_from_latin("Taizhou"), "");  // 台州 and 泰州
  EXPECT_EQ(city_from_latin("Atlantis"), "");
  EXPECT_EQ(city_from_latin("杭州"), "");  // already Chinese: nothing to map
  EXPECT_EQ(city_from_latin(""), "");
}

TEST(CityNames, SuggestionsForTyposPrefixesAndAmbiguity) {
  const auto typo = suggest_cities("Hangzou", 5);
  ASSERT_FALSE(typo.empty());
  EXPECT_EQ(typo.front(), "杭州");
  const auto both = suggest_cities("suzhou", 5);
  ASSERT_GE(both.size(), 2U);
  EXPECT_EQ(both[0], "苏州");
  EXPECT_EQ(both[1], "宿州");
  const auto prefix = suggest_cities("shen", 10);
  EXPECT_NE(std::find(prefix.begin(), prefix.end(), "深圳"), prefix.end());
  const auto chinese = suggest_cities("州", 3);
  EXPECT_EQ(chinese.size(), 3U);
  EXPECT_TRUE(suggest_cities("zzzzzzzz", 5).empty());
}

TEST(CityNames, PickerFilterMatchesChineseOrLatinPrefix) {
  EXPECT_TRUE(city_matches_filter("杭州", ""));
  EXPECT_TRUE(city_matches_filter("杭州", "杭"));
  EXPECT_TRUE(city_matches_filter("杭州", "hang"));
  EXPECT_TRUE(city_matches_filter("杭州", "Hang"));
  EXPECT_FALSE(city_matches_filter("杭州", "shen"));
  EXPECT_TRUE(known_city("杭州"));
  EXPECT_TRUE(known_city("全国通用"));
  EXPECT_FALSE(known_city("Hangzhou"));
  EXPECT_EQ(latin_of_city("杭州"), "hangzhou");
}

}  // namespace
}  // namespace dypls::console
