#include "relay/rate_limiter.h"

#include <gtest/gtest.h>

namespace dypls::relay {
namespace {

TEST(RateLimiter, AllowsTheBurstThenAsksToWait) {
  RateLimiter limiter(RateLimit{2.0, 3.0, 100});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.take("a", 0)) << i;
  const auto wait = limiter.take("a", 0);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 1);  // one token comes back in 0.5 s: rounded up to whole seconds
  // Other clients are not affected.
  EXPECT_FALSE(limiter.take("b", 0));
}

TEST(RateLimiter, RefillsWithTime) {
  RateLimiter limiter(RateLimit{1.0, 1.0, 100});
  EXPECT_FALSE(limiter.take("a", 1000));
  EXPECT_TRUE(limiter.take("a", 1500));
  EXPECT_FALSE(limiter.take("a", 2000));
  // A long pause refills only up to the burst.
  EXPECT_FALSE(limiter.take("a", 100000));
  EXPECT_TRUE(limiter.take("a", 100000));
}

TEST(RateLimiter, RetryAfterCoversTheWholeWait) {
  RateLimiter limiter(RateLimit{0.25, 1.0, 100});
  EXPECT_FALSE(limiter.take("a", 0));
  EXPECT_EQ(limiter.take("a", 0), 4);
  EXPECT_EQ(limiter.take("a", 3000), 1);
}

TEST(RateLimiter, ZeroRateTurnsItOff) {
  RateLimiter limiter(RateLimit{0.0, 1.0, 100});
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(limiter.take("a", 0));
  EXPECT_EQ(limiter.tracked_clients(), 0u);
}

TEST(RateLimiter, MemoryIsBoundedAndABusyClientIsNotForgiven) {
  RateLimiter limiter(RateLimit{1.0, 2.0, 10});
  EXPECT_FALSE(limiter.take("busy", 0));
  EXPECT_FALSE(limiter.take("busy", 0));
  EXPECT_TRUE(limiter.take("busy", 0));
  for (int i = 0; i < 100; ++i) limiter.take("client" + std::to_string(i), 0);
  EXPECT_LE(limiter.tracked_clients(), 10u);
  EXPECT_TRUE(limiter.take("busy", 0)) << "cycling other addresses must not refill 'busy'";
}

}  // namespace
}  // namespace dypls::relay
