// Measurements for shell/bench.sh (bench/console.mjs drives them from headless Chromium): the CPU
// time of each frame, the wasm heap, and test-only ways to load the console with many history
// rows and numbers, or to send requests, through the controller the panels use.
#pragma once
#include <cstddef>
#include <vector>

#include "console_state.h"

namespace dypls::console {

class Controller;

// The CPU milliseconds of the last kCapacity frames. Pure: the caller measures.
class FrameStats {
 public:
  static constexpr std::size_t kCapacity = 4096;

  void record(double ms);
  void reset();
  std::size_t count() const { return samples_.size(); }
  // Nearest-rank percentile (0 < p <= 100) of the frames held; 0 when there are none.
  double percentile(double p) const;
  double max() const;

 private:
  std::vector<double> samples_;
  std::size_t next_ = 0;  // where the next sample goes once the ring is full
};

// Appends `rows` synthetic request-log entries and `numbers` synthetic numbers: the shapes a
// long session leaves behind, so the tables' cost with many rows can be measured.
void add_synthetic_content(ConsoleState& state, int rows, int numbers);

#ifdef __EMSCRIPTEN__
// Gives the exported bench functions the page's controller. Call once, from main().
void attach_bench_hooks(Controller& controller);

// Times one frame, from construction to destruction, into the page's FrameStats.
class FrameTimer {
 public:
  FrameTimer();
  ~FrameTimer();
  FrameTimer(const FrameTimer&) = delete;
  FrameTimer& operator=(const FrameTimer&) = delete;

 private:
  double start_ms_;
};
#endif

}  // namespace dypls::console
