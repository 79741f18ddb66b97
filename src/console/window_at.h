// Which ImGui window is on top at a point, between frames. A finger or a press the program has
// not yet handed to ImGui moved no mouse, so ImGui's own hover test cannot be asked.
#pragma once
#include "imgui.h"

struct ImGuiWindow;

namespace dypls::console {

// The topmost window drawn last frame that contains `at` (ImGui's pixels), as ImGui's hover
// test finds it for the mouse: the innermost child window there. Null when none does, or when
// an open modal covers it (nothing behind a modal takes the mouse).
ImGuiWindow* window_at(ImVec2 at);

}  // namespace dypls::console
