// The Numbers table shows one time format whatever the API wrote.
#include "time_display.h"

#include <gtest/gtest.h>

namespace dypls::console {
namespace {

TEST(TimeDisplay, UtcAndBeijingTextsBecomeTheSameLocalFormat) {
  // The console's own purchase time (UTC) and the API's PurchaseTime (Beijing, no zone).
  EXPECT_EQ(display_time("2026-11-30T14:27:54Z", 8 * 60), "2026-11-30 22:27:54 UTC+08:00");
  EXPECT_EQ(display_time("2026-11-30 22:27:46", 8 * 60), "2026-11-30 22:27:46 UTC+08:00");
  EXPECT_EQ(display_time("2026-11-30 22:27:46", 0), "2026-11-30 14:27:46 UTC+00:00");
  EXPECT_EQ(display_time("2026-11-30T01:00:00Z", -5 * 60 - 30), "2026-11-29 19:30:00 UTC-05:30");
}

TEST(TimeDisplay, UtcForHoversAndUnreadableTextKept) {
  EXPECT_EQ(utc_time("2026-11-30 22:27:46"), "2026-11-30T14:27:46Z");
  EXPECT_EQ(utc_time("2026-11-30T14:27:54Z"), "2026-11-30T14:27:54Z");
  EXPECT_EQ(display_time("yesterday", 480), "yesterday");
  EXPECT_EQ(utc_time(""), "");
  EXPECT_FALSE(read_api_time("2026-13-40 99:00:00").has_value());
}

}  // namespace
}  // namespace dypls::console
