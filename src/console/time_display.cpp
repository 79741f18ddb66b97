#include "time_display.h"

#include <cstdio>
#include <cstdlib>

#include "core/time_format.h"

namespace dypls::console {
namespace {

// The API writes times without a zone in China Standard Time.
constexpr int kBeijingOffsetSeconds = 8 * 3600;

}  // namespace

std::optional<std::int64_t> read_api_time(std::string_view text) {
  if (auto utc = parse_iso8601_utc(text)) return utc;
  // "YYYY-MM-DD hh:mm:ss": read it as if it were UTC, then take Beijing's offset away.
  if (text.size() == 19 && text[10] == ' ') {
    std::string iso(text);
    iso[10] = 'T';
    iso += 'Z';
    if (auto as_utc = parse_iso8601_utc(iso)) return *as_utc - kBeijingOffsetSeconds;
  }
  return std::nullopt;
}

std::string format_local_time(std::int64_t epoch_seconds, int utc_offset_minutes) {
  std::string iso = format_iso8601_utc(epoch_seconds + std::int64_t{utc_offset_minutes} * 60);
  iso[10] = ' ';
  iso.pop_back();  // the 'Z'
  const int minutes = std::abs(utc_offset_minutes);
  char zone[32];
  (void)std::snprintf(zone, sizeof zone, " UTC%c%02d:%02d", utc_offset_minutes < 0 ? '-' : '+',
                      minutes / 60, minutes % 60);
  return iso + zone;
}

std::string display_time(std::string_view text, int utc_offset_minutes) {
  const auto seconds = read_api_time(text);
  return seconds ? format_local_time(*seconds, utc_offset_minutes) : std::string(text);
}

std::string utc_time(std::string_view text) {
  const auto seconds = read_api_time(text);
  return seconds ? format_iso8601_utc(*seconds) : std::string(text);
}

}  // namespace dypls::console
