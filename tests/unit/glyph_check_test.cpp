// draws_fallback_glyph: a frame drawn with ImGui's default font (ASCII only) is caught when it
// draws a character the atlas lacks, clipped or not, and not otherwise.
#include "glyph_check.h"

#include <gtest/gtest.h>

#include "imgui.h"
#include "imgui_internal.h"

// The page's build of ImGui calls the test-engine hooks (item_hooks.cpp defines them there).
void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, ImGuiID, const ImRect&, const ImGuiLastItemData*) {}
void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID, const char*, ImGuiItemStatusFlags) {}
void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}
const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) {
  return nullptr;
}

namespace {

using dypls::console::draws_fallback_glyph;

class GlyphCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(400, 300);
    io.DeltaTime = 1.0f / 60;
    io.Fonts->AddFontDefault();  // ProggyClean: ASCII, with '?' as its fallback glyph
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // One frame with `text` on a button (`width` 0: as wide as its label); whether it drew the
  // fallback glyph.
  static bool frame_draws_fallback(const char* text, float width = 0) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(300, 100));
    ImGui::Begin("text", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::Button(text, ImVec2(width, 0));
    ImGui::End();
    ImGui::Render();
    return draws_fallback_glyph(*ImGui::GetDrawData(), *ImGui::GetFont());
  }
};

TEST_F(GlyphCheck, TextTheAtlasHoldsIsNotCaught) {
  EXPECT_FALSE(frame_draws_fallback("Credentials: paste with Ctrl+V"));
}

TEST_F(GlyphCheck, ACharacterTheAtlasLacksIsCaught) {
  EXPECT_TRUE(frame_draws_fallback("City: \xE6\x9D\xAD"));  // U+676D, not in ProggyClean
}

TEST_F(GlyphCheck, AClippedMissingCharacterIsCaught) {
  // The button ends half-way through the last glyph (7 px per glyph after 10): ImGui clips it on
  // the CPU, moving its corners and texture coordinates; it still samples the fallback glyph.
  const float label_x = ImGui::GetStyle().FramePadding.x;
  EXPECT_TRUE(frame_draws_fallback("abcdefghij\xE6\x9D\xAD", label_x + 7 * 10 + 3.5f));
  EXPECT_FALSE(frame_draws_fallback("abcdefghijk", label_x + 7 * 10 + 3.5f));
}

}  // namespace
