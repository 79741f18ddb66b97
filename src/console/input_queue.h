// Input paced for Dear ImGui. A quick click, a trackpad tap or a phone's tap reaches the page as
// move + press + release before the next frame; handed to ImGui at once, the press lands on the
// frame the pointer arrives, before ImGui has seen it hover anything, and widgets that need a
// hovered frame first (tabs) ignore it. This queue lets the pointer rest where it was pressed for
// one frame, and hands over at most one button change per frame.
// Keys and text wait behind the pointer's events: handed over as they came, keys typed within a
// frame or two of a click (a fast typist, a slow machine) reached ImGui before the click and
// landed in the field clicked before. Each keeps the modifiers held when it was typed.
// Pure: the page feeds it from GLFW's callbacks and drains it before each frame.
#pragma once
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace dypls::console {

struct InputEvent {
  enum class Kind { kMove, kButton, kKey, kText };
  Kind kind = Kind::kMove;
  double x = 0;  // kMove: where the pointer is, in CSS pixels of the canvas
  double y = 0;
  int button = 0;  // kButton: which button
  int key = 0;     // kKey: GLFW's key code, and the browser's own (GLFW's "scancode")
  int scancode = 0;
  bool pressed = false;  // kButton, kKey: pressed or released
  int mods = 0;          // kButton, kKey: the modifier keys held then (GLFW_MOD_*)
  std::string text;      // kText: typed, committed by an IME or a phone keyboard (UTF-8)
};

class InputQueue {
 public:
  void move(double x, double y);
  void button(int button, bool pressed, int mods);
  void key(int key, int scancode, bool pressed, int mods);
  void text(std::string_view utf8);
  // What ImGui may see on the coming frame: one pointer event (the pointer's latest position
  // before the next button change or, once it has rested there for a frame, that button change
  // alone), with the keys and text that came after it, up to the next pointer event. Moves are
  // merged as they come (keys do not depend on where the pointer is), so the queue holds a move
  // between any two button changes at most.
  std::vector<InputEvent> take_for_frame();
  bool empty() const { return queue_.empty(); }

 private:
  std::deque<InputEvent> queue_;
};

}  // namespace dypls::console
