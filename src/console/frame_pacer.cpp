#include "frame_pacer.h"

#include <algorithm>

#include "credentials_status.h"

namespace dypls::console {

void FramePacer::wake(std::int64_t now_ms) {
  settle_until_ms_ = std::max(settle_until_ms_, now_ms + kSettleMs);
}

FramePlan FramePacer::plan(std::int64_t now_ms, const FrameNeeds& needs) const {
  if (needs.animating || now_ms < settle_until_ms_) return {true, 0};
  if (!needs.clock_shown) return {false, 0};
  // The next whole second of the countdown's clock, in local time.
  const std::int64_t shown = now_ms + needs.clock_offset_ms;
  const std::int64_t next_second = (shown / 1000 + 1) * 1000;
  return {false, next_second - needs.clock_offset_ms};
}

FrameNeeds frame_needs(const ConsoleState& state, std::int64_t pasted_at_s, std::int64_t now_ms) {
  FrameNeeds needs;
  needs.clock_offset_ms = state.clock_offset_ms;
  // A throttle wait counts down; a tab queued behind another tab asks for the lock each frame.
  needs.animating = state.run.phase == RunPhase::kWaiting || state.run.phase == RunPhase::kQueued;
  const CredentialsLife life =
      credentials_life(state.credentials, pasted_at_s, (now_ms + state.clock_offset_ms) / 1000);
  // Another tab's purchase in flight is looked at once a second: its tab may go away without a
  // word (no storage event), and then it is an unknown outcome.
  needs.clock_shown = life.status == CredentialsStatus::kValid ||
                      life.status == CredentialsStatus::kExpiringSoon ||
                      !state.buying_elsewhere.empty();
  return needs;
}

}  // namespace dypls::console
