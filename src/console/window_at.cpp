#include "window_at.h"

#include "imgui_internal.h"

namespace dypls::console {

ImGuiWindow* window_at(ImVec2 at) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  for (int i = g.Windows.Size - 1; i >= 0; --i) {
    ImGuiWindow* window = g.Windows[i];
    if (!window->Active || window->Hidden) continue;
    if ((window->Flags & ImGuiWindowFlags_NoMouseInputs) != 0) continue;
    if (!window->OuterRectClipped.Contains(at)) continue;
    const ImGuiWindow* modal = ImGui::GetTopMostAndVisiblePopupModal();
    return modal == nullptr || window->RootWindow == modal ? window : nullptr;
  }
  return nullptr;
}

}  // namespace dypls::console
