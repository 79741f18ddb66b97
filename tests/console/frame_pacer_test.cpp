// When the page draws: after input for a settling while, while something animates, at each
// second of a shown countdown, and otherwise not at all.
#include "frame_pacer.h"

#include "fakes.h"

namespace dypls::console::testing {
namespace {

constexpr std::int64_t kNow = 1795849937250;  // a quarter second past a whole second

TEST(FramePacer, IdleWithNothingShownAsksForNoFrameAtAll) {
  const FramePacer pacer;
  const FramePlan plan = pacer.plan(kNow, FrameNeeds{});
  EXPECT_FALSE(plan.keep_drawing);
  EXPECT_EQ(plan.wake_at_ms, 0);
}

TEST(FramePacer, InputKeepsFramesComingUntilTheSettleTimeHasPassed) {
  FramePacer pacer;
  pacer.wake(kNow);
  EXPECT_TRUE(pacer.plan(kNow, FrameNeeds{}).keep_drawing);
  EXPECT_TRUE(pacer.plan(kNow + FramePacer::kSettleMs - 1, FrameNeeds{}).keep_drawing);
  EXPECT_FALSE(pacer.plan(kNow + FramePacer::kSettleMs, FrameNeeds{}).keep_drawing);
  // A later input extends the window; an older one never shortens it.
  pacer.wake(kNow + 400);
  pacer.wake(kNow);
  EXPECT_TRUE(pacer.plan(kNow + 400 + FramePacer::kSettleMs - 1, FrameNeeds{}).keep_drawing);
}

TEST(FramePacer, AnimationKeepsDrawingWithoutInput) {
  const FramePacer pacer;
  FrameNeeds needs;
  needs.animating = true;
  needs.clock_shown = true;
  EXPECT_TRUE(pacer.plan(kNow, needs).keep_drawing);
}

TEST(FramePacer, ACountdownDrawsOnceAtEachSecondOfItsOwnClock) {
  const FramePacer pacer;
  FrameNeeds needs;
  needs.clock_shown = true;
  FramePlan plan = pacer.plan(kNow, needs);
  EXPECT_FALSE(plan.keep_drawing);
  EXPECT_EQ(plan.wake_at_ms, kNow - 250 + 1000);
  // Exactly on a second: the next one, not this one again.
  EXPECT_EQ(pacer.plan(kNow - 250, needs).wake_at_ms, kNow - 250 + 1000);
  // The countdown runs on the server-corrected clock: its seconds start 300 ms later locally
  // when the server is 300 ms behind.
  needs.clock_offset_ms = -300;
  plan = pacer.plan(kNow, needs);
  EXPECT_EQ(plan.wake_at_ms, kNow - 250 + 300);
  EXPECT_EQ((plan.wake_at_ms + needs.clock_offset_ms) % 1000, 0);
}

TEST_F(ConsoleTest, CredentialsWithAnExpiryShowACountdownAndNoneDoNot) {
  const std::int64_t pasted = controller.credentials_pasted_at();
  FrameNeeds needs = frame_needs(controller.state(), pasted, clock.now);
  EXPECT_TRUE(needs.clock_shown);
  EXPECT_FALSE(needs.animating);
  // Expired: the badge no longer changes with time.
  needs = frame_needs(controller.state(), pasted, clock.now + std::int64_t{3601} * 1000);
  EXPECT_FALSE(needs.clock_shown);
  controller.forget_credentials();
  EXPECT_FALSE(frame_needs(controller.state(), pasted, clock.now).clock_shown);
}

TEST_F(ConsoleTest, AThrottleWaitAnimatesItsCountdown) {
  ASSERT_TRUE(controller.submit_purchase());
  ASSERT_TRUE(controller.confirm_purchase());
  transport.answer(400, R"({"RequestId":"R","Code":"Throttling.User","Message":"slow down"})",
                   {{"x-acs-retry-after", "3"}});
  ASSERT_EQ(controller.state().run.phase, RunPhase::kWaiting);
  EXPECT_TRUE(
      frame_needs(controller.state(), controller.credentials_pasted_at(), clock.now).animating);
}

}  // namespace
}  // namespace dypls::console::testing
