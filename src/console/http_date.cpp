#include "http_date.h"

#include <array>
#include <cstdio>
#include <string>

#include "core/time_format.h"

namespace dypls::console {
namespace {

bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed positions.
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, 5, 2, day) || !digits(text, 12, 4, year) || !digits(text, 17, 2, hour) ||
      !digits(text, 20, 2, minute) || !digits(text, 23, 2, second)) {
    return std::nullopt;
  }
  int month = 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (text.substr(8, 3) == kMonths[i]) month = static_cast<int>(i) + 1;
  }
  if (month == 0) return std::nullopt;
  char iso[64];
  (void)std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour,
                      minute, second);
  return parse_iso8601_utc(iso);
}

std::optional<std::int64_t> clock_offset_ms(std::string_view date, std::int64_t sent_ms,
                                            std::int64_t done_ms) {
  const std::optional<std::int64_t> server_s = parse_http_date(date);
  if (!server_s) return std::nullopt;
  // Date is truncated to the second: its middle is the best guess of the server's moment.
  const std::int64_t server_ms = *server_s * 1000 + 500;
  const std::int64_t local_ms = sent_ms + (done_ms - sent_ms) / 2;
  const std::int64_t offset = server_ms - local_ms;
  // Within the Date header's own precision the clocks agree: do not jitter timestamps.
  return (offset > 1500 || offset < -1500) ? offset : 0;
}

}  // namespace dypls::console
