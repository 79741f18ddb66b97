#include "input_queue.h"

#include <utility>

namespace dypls::console {
namespace {

bool is_pointer(const InputEvent& event) {
  return event.kind == InputEvent::Kind::kMove || event.kind == InputEvent::Kind::kButton;
}

}  // namespace

void InputQueue::move(double x, double y) {
  // A move only needs the last position before the next button change; keys and text typed
  // since do not depend on it.
  for (auto it = queue_.rbegin(); it != queue_.rend(); ++it) {
    if (!is_pointer(*it)) continue;
    if (it->kind != InputEvent::Kind::kMove) break;
    it->x = x;
    it->y = y;
    return;
  }
  InputEvent event;
  event.x = x;
  event.y = y;
  queue_.push_back(std::move(event));
}

void InputQueue::button(int button, bool pressed, int mods) {
  InputEvent event;
  event.kind = InputEvent::Kind::kButton;
  event.button = button;
  event.pressed = pressed;
  event.mods = mods;
  queue_.push_back(std::move(event));
}

void InputQueue::key(int key, int scancode, bool pressed, int mods) {
  InputEvent event;
  event.kind = InputEvent::Kind::kKey;
  event.key = key;
  event.scancode = scancode;
  event.pressed = pressed;
  event.mods = mods;
  queue_.push_back(std::move(event));
}

void InputQueue::text(std::string_view utf8) {
  if (utf8.empty()) return;
  if (!queue_.empty() && queue_.back().kind == InputEvent::Kind::kText) {
    queue_.back().text.append(utf8);
    return;
  }
  InputEvent event;
  event.kind = InputEvent::Kind::kText;
  event.text = std::string(utf8);
  queue_.push_back(std::move(event));
}

std::vector<InputEvent> InputQueue::take_for_frame() {
  std::vector<InputEvent> frame;
  bool pointer_taken = false;
  while (!queue_.empty()) {
    if (is_pointer(queue_.front())) {
      if (pointer_taken) break;
      pointer_taken = true;
    }
    frame.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return frame;
}

}  // namespace dypls::console
