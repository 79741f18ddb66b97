#include "relay/http_date.h"

#include <array>
#include <cstdio>

namespace dypls::relay {
namespace {

// Howard Hinnant's civil_from_days: days since 1970-01-01 -> year, month, day (proleptic
// Gregorian), exact for every date we can meet without touching the C library's time zone state.
void civil_from_days(std::int64_t days, std::int64_t& year, int& month, int& day) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = yoe + era * 400 + (month <= 2 ? 1 : 0);
}

}  // namespace

std::string http_date(std::int64_t epoch_seconds) {
  static constexpr std::array<const char*, 7> kDays = {"Thu", "Fri", "Sat", "Sun",
                                                       "Mon", "Tue", "Wed"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::int64_t days = epoch_seconds / 86400;
  std::int64_t secs = epoch_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    days -= 1;
  }
  std::int64_t year = 0;
  int month = 1;
  int day = 1;
  civil_from_days(days, year, month, day);
  const std::int64_t weekday = ((days % 7) + 7) % 7;  // 1970-01-01 was a Thursday
  std::array<char, 64> buf{};
  (void)std::snprintf(buf.data(), buf.size(), "%s, %02d %s %04lld %02lld:%02lld:%02lld GMT",
                      kDays[static_cast<std::size_t>(weekday)], day,
                      kMonths[static_cast<std::size_t>(month - 1)], static_cast<long long>(year),
                      static_cast<long long>(secs / 3600), static_cast<long long>((secs / 60) % 60),
                      static_cast<long long>(secs % 60));
  return buf.data();
}

}  // namespace dypls::relay
