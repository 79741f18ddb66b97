#include "glyph_check.h"

#include "imgui.h"

namespace dypls::console {

bool draws_fallback_glyph(const ImDrawData& data, const ImFont& font) {
  const ImFontGlyph* fallback = font.FallbackGlyph;
  if (fallback == nullptr) return false;
  // A glyph's quad samples inside its rectangle of the atlas, even when clipping moved its
  // corners; everything else (rectangles, lines) samples the atlas's white pixel, outside it.
  for (const ImDrawList* list : data.CmdLists) {
    for (const ImDrawVert& vertex : list->VtxBuffer) {
      if (vertex.uv.x >= fallback->U0 && vertex.uv.x <= fallback->U1 &&
          vertex.uv.y >= fallback->V0 && vertex.uv.y <= fallback->V1) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace dypls::console
