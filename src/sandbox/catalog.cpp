#include "sandbox/catalog.h"

#include <algorithm>

namespace dypls::sandbox {

const std::vector<City>& mainland_cities() {
  static const std::vector<City> kCities = {
      {"北京", "北京", 4},     {"上海", "上海", 4},       {"广州", "广东", 4},
      {"深圳", "广东", 4},     {"杭州", "浙江", 3},       {"宁波", "浙江", 2},
      {"温州", "浙江", 2},     {"南京", "江苏", 3},       {"苏州", "江苏", 3},
      {"无锡", "江苏", 2},     {"武汉", "湖北", 3},       {"成都", "四川", 3},
      {"重庆", "重庆", 3},     {"西安", "陕西", 3},       {"天津", "天津", 3},
      {"长沙", "湖南", 2},     {"郑州", "河南", 2},       {"济南", "山东", 2},
      {"青岛", "山东", 2},     {"合肥", "安徽", 2},       {"福州", "福建", 2},
      {"厦门", "福建", 2},     {"南昌", "江西", 2},       {"沈阳", "辽宁", 2},
      {"大连", "辽宁", 2},     {"哈尔滨", "黑龙江", 2},   {"长春", "吉林", 1},
      {"石家庄", "河北", 1},   {"太原", "山西", 1},       {"昆明", "云南", 1},
      {"贵阳", "贵州", 1},     {"南宁", "广西", 1},       {"兰州", "甘肃", 1},
      {"乌鲁木齐", "新疆", 1}, {"呼和浩特", "内蒙古", 1}, {"拉萨", "西藏", 1},
  };
  return kCities;
}

const City* find_city(std::string_view name) {
  const auto& cities = mainland_cities();
  const auto it =
      std::find_if(cities.begin(), cities.end(), [&](const City& c) { return c.name == name; });
  return it == cities.end() ? nullptr : &*it;
}

const SpecProfile* spec_profile(int spec_id) {
  // Virtual-operator (MVNO) segments: 1700-1702 ride on Telecom, 1703/1705/1706 on Mobile,
  // 1704/1707-1709 and 171 on Unicom.
  static const SpecProfile kVirtual = {1,
                                       "virtual operator (170/171)",
                                       11,
                                       {{"1700", Vendor::kChinaTelecom},
                                        {"1701", Vendor::kChinaTelecom},
                                        {"1703", Vendor::kChinaMobile},
                                        {"1705", Vendor::kChinaMobile},
                                        {"1704", Vendor::kChinaUnicom},
                                        {"1709", Vendor::kChinaUnicom},
                                        {"171", Vendor::kChinaUnicom}},
                                       false};
  static const SpecProfile kCarrier = {2,
                                       "carrier (13x/15x/18x)",
                                       11,
                                       {{"135", Vendor::kChinaMobile},
                                        {"138", Vendor::kChinaMobile},
                                        {"150", Vendor::kChinaMobile},
                                        {"187", Vendor::kChinaMobile},
                                        {"130", Vendor::kChinaUnicom},
                                        {"156", Vendor::kChinaUnicom},
                                        {"186", Vendor::kChinaUnicom},
                                        {"133", Vendor::kChinaTelecom},
                                        {"153", Vendor::kChinaTelecom},
                                        {"189", Vendor::kChinaTelecom}},
                                       false};
  static const SpecProfile kNinetyFive = {
      3,
      "95 numbers",
      12,
      {{"95013", Vendor::kChinaUnicom}, {"95016", Vendor::kChinaTelecom}},
      true};
  switch (spec_id) {
    case 1:
      return &kVirtual;
    case 2:
      return &kCarrier;
    case 3:
      return &kNinetyFive;
    default:
      return nullptr;
  }
}

}  // namespace dypls::sandbox
