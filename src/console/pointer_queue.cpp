#include "pointer_queue.h"

namespace dypls::console {

void PointerQueue::move(double x, double y) {
  // Consecutive moves only need their last position.
  if (!queue_.empty() && queue_.back().kind == PointerEvent::Kind::kMove) {
    queue_.back().x = x;
    queue_.back().y = y;
    return;
  }
  PointerEvent event;
  event.x = x;
  event.y = y;
  queue_.push_back(event);
}

void PointerQueue::button(int button, bool pressed, int mods) {
  PointerEvent event;
  event.kind = PointerEvent::Kind::kButton;
  event.button = button;
  event.pressed = pressed;
  event.mods = mods;
  queue_.push_back(event);
}

std::optional<PointerEvent> PointerQueue::take_for_frame() {
  if (queue_.empty()) return std::nullopt;
  const PointerEvent next = queue_.front();
  queue_.pop_front();
  return next;
}

}  // namespace dypls::console
