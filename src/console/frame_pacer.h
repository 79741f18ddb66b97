// When the page draws: only when the picture can change. Input, an answer, a running purchase,
// an animation, or the once-a-second countdown of the credentials' lifetime; otherwise the page
// stops asking for animation frames and costs nothing. Pure: the page measures and schedules.
#pragma once
#include <cstdint>

#include "console_state.h"

namespace dypls::console {

// What, besides input, can change the picture right now.
struct FrameNeeds {
  bool animating = false;    // a request in flight, a throttle wait, the tour, a held button
  bool clock_shown = false;  // a countdown by the second is on screen
  std::int64_t clock_offset_ms = 0;  // the countdown's clock is the local one plus this
};

// What to do after a frame.
struct FramePlan {
  bool keep_drawing = false;    // ask for the next animation frame
  std::int64_t wake_at_ms = 0;  // otherwise: draw once more at this local time; 0 = on input only
};

class FramePacer {
 public:
  // Frames drawn after the last input: ImGui needs a few to settle (hover, popups opening,
  // windows sizing to their content), and a burst of input must not stutter.
  static constexpr std::int64_t kSettleMs = 500;

  // Input, an answer or a resize arrived: draw until kSettleMs after `now_ms`.
  void wake(std::int64_t now_ms);
  FramePlan plan(std::int64_t now_ms, const FrameNeeds& needs) const;

 private:
  std::int64_t settle_until_ms_ = 0;
};

// The needs the console's state implies: a purchase waiting out a throttle animates its
// countdown; credentials with an expiry show a countdown by the second. `now_ms` is local.
FrameNeeds frame_needs(const ConsoleState& state, std::int64_t pasted_at_s, std::int64_t now_ms);

}  // namespace dypls::console
