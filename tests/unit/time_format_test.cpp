#include "core/time_format.h"

#include <gtest/gtest.h>

namespace dypls {
namespace {

TEST(FormatIso8601, KnownInstants) {
  EXPECT_EQ(format_iso8601_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_utc(1456231584), "2016-02-23T12:46:24Z");  // the V1 vector's time
  EXPECT_EQ(format_iso8601_utc(1698315752), "2023-10-26T10:22:32Z");  // the V3 vector's time
  EXPECT_EQ(format_iso8601_utc(951782400), "2000-02-29T00:00:00Z");   // leap day, 400-year rule
  EXPECT_EQ(format_iso8601_utc(4107542399), "2100-02-28T23:59:59Z");  // 2100 is not a leap year
  EXPECT_EQ(format_iso8601_utc(4107542400), "2100-03-01T00:00:00Z");
}

TEST(FormatIso8601, BeforeTheEpoch) {
  EXPECT_EQ(format_iso8601_utc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_iso8601_utc(-86400), "1969-12-31T00:00:00Z");
}

TEST(ParseIso8601, InvertsFormatAcrossYears) {
  // Every ~3 days and 7 seconds from 1970 to past 2100: covers every month and leap rule.
  for (std::int64_t t = 0; t < 4200000000; t += 259207) {
    const auto parsed = parse_iso8601_utc(format_iso8601_utc(t));
    ASSERT_TRUE(parsed.has_value()) << t;
    ASSERT_EQ(*parsed, t);
  }
}

TEST(ParseIso8601, AcceptsFractionalSeconds) {
  EXPECT_EQ(parse_iso8601_utc("2026-11-28T06:52:17.123Z"), 1795848737);
  EXPECT_EQ(parse_iso8601_utc("2026-11-28T06:52:17.5Z"), 1795848737);
  EXPECT_EQ(parse_iso8601_utc("2026-11-28T06:52:17Z"), 1795848737);
}

TEST(ParseIso8601, RejectsMalformedText) {
  for (const char* bad : {
           "",
           "2026-11-28",
           "2026-11-28T06:52:17",        // no zone
           "2026-11-28T06:52:17+08:00",  // not UTC
           "2026-11-28 06:52:17Z",       // space for T
           "2026-11-28T06:52:17z",       // lower-case z
           "2026-11-28T06:52:17.Z",      // empty fraction
           "2026-11-28T06:52:17ZZ",      // trailing junk
           "2026-13-01T00:00:00Z",       // month 13
           "2026-00-01T00:00:00Z",       // month 0
           "2026-02-29T00:00:00Z",       // not a leap year
           "2026-04-31T00:00:00Z",       // April has 30 days
           "2026-11-00T00:00:00Z",       // day 0
           "2026-11-28T24:00:00Z",       // hour 24
           "2026-11-28T23:60:00Z",       // minute 60
           "2026-11-28T23:59:60Z",       // leap seconds are not used by the API
           "+026-11-28T06:52:17Z",       // sign
           "2026-1-28T06:52:17Z",        // short month
           "２０２６-11-28T06:52:17Z",   // full-width digits
       }) {
    EXPECT_FALSE(parse_iso8601_utc(bad).has_value()) << bad;
  }
}

TEST(ParseIso8601, LeapDayOfALeapYear) {
  EXPECT_EQ(parse_iso8601_utc("2028-02-29T00:00:00Z"), 1835395200);
}

}  // namespace
}  // namespace dypls
