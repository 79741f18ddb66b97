// Pointer input paced for Dear ImGui. A quick click, a trackpad tap or a phone's tap reaches the
// page as move + press + release before the next frame; handed to ImGui at once, the press lands
// on the frame the pointer arrives, before ImGui has seen it hover anything, and widgets that
// need a hovered frame first (tabs) ignore it. This queue lets the pointer rest where it was
// pressed for one frame, and hands over at most one button change per frame. Pure: the page
// feeds it from GLFW's callbacks and drains it before each frame.
#pragma once
#include <deque>
#include <optional>

namespace dypls::console {

struct PointerEvent {
  enum class Kind { kMove, kButton };
  Kind kind = Kind::kMove;
  double x = 0;  // kMove: where the pointer is, in CSS pixels of the canvas
  double y = 0;
  int button = 0;  // kButton: which button, pressed or released, with the modifier keys held
  bool pressed = false;
  int mods = 0;
};

class PointerQueue {
 public:
  void move(double x, double y);
  void button(int button, bool pressed, int mods);
  // What ImGui may see on the coming frame: the pointer's latest position before the next
  // button change, or, once it has rested there for a frame, that button change alone.
  // Consecutive moves are merged as they come, so the queue holds a move between any two
  // button changes at most, and a frame consumes one entry.
  std::optional<PointerEvent> take_for_frame();
  bool empty() const { return queue_.empty(); }

 private:
  std::deque<PointerEvent> queue_;
};

}  // namespace dypls::console
