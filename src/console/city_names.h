// City names typed in Latin letters (pinyin, or the usual English name) mapped to the names the
// API takes (杭州), and suggestions when a typed city is not one the page knows.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace dypls::console {

// The Chinese name for a Latin spelling ("Hangzhou", "hang zhou", "Xi'an", "Harbin"); empty when
// none or more than one city is spelt that way (苏州 and 宿州 are both "suzhou").
std::string city_from_latin(std::string_view typed);

// Whether `name` is one of the cities the page knows (including 全国, 全国列表, 全国通用).
bool known_city(std::string_view name);

// Up to `limit` known cities close to `typed`: Chinese names containing it, Latin spellings
// starting with it or one or two letters away from it.
std::vector<std::string> suggest_cities(std::string_view typed, std::size_t limit);

// For the picker's filter: the city matches when the filter is empty, is part of its Chinese
// name, or starts its Latin spelling.
bool city_matches_filter(std::string_view city, std::string_view filter);

// The Latin spelling shown beside a city in suggestions ("hangzhou"); empty when unknown.
std::string latin_of_city(std::string_view city);

}  // namespace dypls::console
