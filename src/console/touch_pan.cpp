#include "touch_pan.h"

#include "imgui_internal.h"
#include "window_at.h"

namespace dypls::console {
namespace {

bool scrolls_along(const ImGuiWindow& window, int axis) {
  return window.ScrollMax[axis] != 0.0f && (window.Flags & ImGuiWindowFlags_NoScrollWithMouse) == 0;
}

// From the window under the finger out through its parents, the first that scrolls along
// `axis` (a child window that cannot passes the movement on, as with the wheel).
ImGuiWindow* scroller_for(ImGuiWindow* window, int axis) {
  for (; window != nullptr; window = window->ParentWindow) {
    if (scrolls_along(*window, axis)) return window;
    if ((window->Flags & ImGuiWindowFlags_ChildWindow) == 0) break;
  }
  return nullptr;
}

}  // namespace

void pan_window_under(ImVec2 at, ImVec2 moved) {
  if (ImGui::GetCurrentContext() == nullptr) return;
  ImGuiWindow* under = window_at(at);  // with a modal open, the page behind it stays put
  if (under == nullptr) return;
  if (moved.x != 0.0f) {
    if (ImGuiWindow* window = scroller_for(under, ImGuiAxis_X)) {
      ImGui::SetScrollX(window, window->Scroll.x - moved.x);
    }
  }
  if (moved.y != 0.0f) {
    if (ImGuiWindow* window = scroller_for(under, ImGuiAxis_Y)) {
      ImGui::SetScrollY(window, window->Scroll.y - moved.y);
    }
  }
}

}  // namespace dypls::console
