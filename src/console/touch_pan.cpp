#include "touch_pan.h"

#include "imgui_internal.h"

namespace dypls::console {
namespace {

// The topmost window drawn last frame that contains `at`, as ImGui's own hover test finds it
// for the mouse (the finger moved no mouse, so hover cannot be asked).
ImGuiWindow* window_at(ImVec2 at) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  for (int i = g.Windows.Size - 1; i >= 0; --i) {
    ImGuiWindow* window = g.Windows[i];
    if (!window->Active || window->Hidden) continue;
    if ((window->Flags & ImGuiWindowFlags_NoMouseInputs) != 0) continue;
    if (window->OuterRectClipped.Contains(at)) return window;
  }
  return nullptr;
}

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
  ImGuiWindow* under = window_at(at);
  if (under == nullptr) return;
  // With a modal open, the page behind it stays put, as it ignores the mouse.
  const ImGuiWindow* modal = ImGui::GetTopMostAndVisiblePopupModal();
  if (modal != nullptr && under->RootWindow != modal) return;
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
