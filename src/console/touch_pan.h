// A finger dragged over the page scrolls what is under it, as on any phone page. A browser turns
// a tap into mouse events but a drag into none, and Dear ImGui scrolls only by wheel and
// scrollbar: without this, a phone could reach nothing below the first screen, nor the right
// of a table wider than it. The gesture itself (when a touch becomes a drag, the fling after
// it) is read in web/glue.js, which hands over each movement.
#pragma once
#include "imgui.h"

namespace dypls::console {

// Scrolls the window under `at` so that its content follows the finger by `moved` (both in
// ImGui's pixels). Each axis goes to the innermost window under the finger that scrolls along
// it, as the wheel does; nothing under an open modal moves. Call between frames.
void pan_window_under(ImVec2 at, ImVec2 moved);

}  // namespace dypls::console
