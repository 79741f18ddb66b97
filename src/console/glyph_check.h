// Whether a rendered ImGui frame drew a character its font atlas lacks. The page's first atlas
// holds only the first screen's glyphs (main.cpp); a first frame that needed another glyph is
// drawn again with the whole atlas before it is shown.
#pragma once

struct ImDrawData;
struct ImFont;

namespace dypls::console {

// True when any vertex of `data` samples `font`'s fallback glyph (ImGui draws it for a missing
// character), clipped glyphs included. The fallback character itself, when drawn, counts too.
bool draws_fallback_glyph(const ImDrawData& data, const ImFont& font);

}  // namespace dypls::console
