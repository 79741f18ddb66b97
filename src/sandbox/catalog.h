// What the sandbox sells: mainland cities with their provinces, and the number ranges and vendors
// of each SpecId. Fixed data; the seeded world draws its stock from here.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace dypls::sandbox {

struct City {
  std::string_view name;      // as the API spells it: "杭州"
  std::string_view province;  // "浙江"
  int size = 1;               // 1 small .. 4 megacity: scales the seeded stock
};

// About thirty real prefecture-level cities across the mainland.
const std::vector<City>& mainland_cities();
const City* find_city(std::string_view name);

// Vendor codes as QuerySecretNoDetail reports them.
enum class Vendor { kChinaMobile = 1, kChinaUnicom = 2, kChinaTelecom = 3 };

// A number segment: every number of the segment starts with `prefix`.
struct Segment {
  std::string_view prefix;  // "170", "1705", "139", "95013"
  Vendor vendor;
};

struct SpecProfile {
  int spec_id = 0;
  std::string_view description;
  int digits = 11;  // total length of a number of this spec
  std::vector<Segment> segments;
  bool nationwide_only = false;  // SpecId 3: City must be 全国通用
};

// nullptr for a SpecId the API does not define (valid ones are 1, 2 and 3).
const SpecProfile* spec_profile(int spec_id);
inline constexpr int kMinSpecId = 1;
inline constexpr int kMaxSpecId = 3;

}  // namespace dypls::sandbox
