// The console page: GLFW + WebGL2 + Dear ImGui under Emscripten, drawn on animation frames only
// while the picture can change (frame_pacer.h); idle, the main loop is paused. The page's JS glue
// (web/glue.js) hands us the font, pastes, IME text and every input's wake-up through the exported
// functions at the bottom, and reads state, item rectangles and the frame count for tests.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "browser.h"
#include "controller.h"
#include "durable.h"
#include "fetch_transport.h"
#include "frame_pacer.h"
#include "frame_stats.h"
#include "glyph_check.h"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "imgui_input.h"
#include "imgui_internal.h"
#include "input_queue.h"
#include "item_hooks.h"
#include "panels.h"
#include "state_json.h"
#include "touch_pan.h"

namespace {

using namespace dypls::console;
namespace platform = dypls::platform;

constexpr float kBaseFontSize = 16.0f;

struct Page {
  GLFWwindow* window = nullptr;
  platform::FetchTransport transport;
  platform::BrowserClock clock;
  platform::CryptoNonceSource nonces;
  platform::SessionStorage storage;
  platform::LocalStorage durable;
  platform::WebLock lock;
  std::unique_ptr<Controller> controller;
  ViewState view;
  std::vector<unsigned char> font;       // the first-frame font, kept to rebuild the atlas
  std::vector<unsigned char> font_rest;  // the rest of the CJK set, merged in once it arrives
  bool font_arrived = false;
  bool fonts_built = false;
  bool first_screen_atlas = false;  // the atlas holds only the first screen's glyphs (see below)
  float built_ratio = 0;
  float built_scale = 0;
  int frames = 0;
  FramePacer pacer;
  InputQueue input;  // pointer, keys and text, handed to ImGui a frame at a time
  // A finger's drag since the last frame (CSS pixels): where it is and how far it moved.
  struct Pan {
    ImVec2 at;
    ImVec2 moved;
  };
  std::optional<Pan> pan;
  ImVec2 pan_remainder;  // ImGui scrolls by whole pixels: the fractions left over, carried on
  bool paused = false;   // the main loop waits for input, an answer or the timer
  long timer = 0;        // the pending countdown wake-up (emscripten_set_timeout), or 0
  bool draw_continuously = false;  // benchmarks timing frames ask for every frame
  std::uint64_t announced_seq = 0;
  std::string announced_focus;  // key of the widget last announced as focused
  bool text_input = false;
  // The active field's caret as ImGui last placed it (ImGui's pixels), and how many frames are
  // left in which it is scrolled back into sight: the window grew shorter under it (a phone's
  // keyboard opened over the page).
  std::optional<ImRect> caret;
  int reveal_caret_frames = 0;
  float display_height = 0;
  bool leave_warning = false;
  // Pasted text for the active field, held until Ctrl is released: ImGui ignores characters
  // typed while Ctrl is down, and the paste event arrives during Ctrl+V.
  std::string pending_paste;
  std::string exported;  // the last JSON handed to JS
};

Page* page = nullptr;

// The glyphs of ImGui's common simplified-Chinese set plus every text the page shows.
const ImWchar* glyph_ranges() {
  static ImVector<ImWchar> ranges;
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesChineseSimplifiedCommon());
    builder.AddText(kExtraGlyphs);
    builder.BuildRanges(&ranges);
  }
  return ranges.Data;
}

// The first screen's glyphs: Latin-1, general punctuation, U+FFFD (ImGui's fallback glyph) and
// the texts of the page's language. Rasterising and uploading the whole first-frame font (about
// 1,200 glyphs, most of them CJK the first screen does not show) was the first frame's largest
// part; the next frame builds the whole atlas.
const ImWchar* first_screen_ranges(Language language) {
  static ImVector<ImWchar> ranges;
  ranges.clear();
  static constexpr ImWchar kBase[] = {0x0020, 0x00FF, 0x2000, 0x206F, 0xFFFD, 0xFFFD, 0};
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(kBase);
  for (int key = 0; key < kTextCount; ++key) builder.AddText(tr(language, static_cast<T>(key)));
  builder.BuildRanges(&ranges);
  return ranges.Data;
}

// Rasterises the font for the current pixel ratio and UI scale, and scales the style to match.
// The first build holds only the first screen's glyphs (first_screen_ranges).
void build_fonts(float ratio) {
  const Settings& settings = page->controller->state().settings;
  const float scale = ratio * settings.ui_scale;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;  // we keep the bytes for the next rebuild
  config.OversampleH = 1;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  page->first_screen_atlas = !page->fonts_built && !page->font.empty();
  if (page->first_screen_atlas) {
    io.Fonts->AddFontFromMemoryTTF(page->font.data(), static_cast<int>(page->font.size()),
                                   kBaseFontSize * scale, &config,
                                   first_screen_ranges(settings.language));
  } else if (!page->font.empty()) {
    // Both files hold the same face at the same size; each has only part of the ranges (the rest
    // file is skipped where the first has the glyph), so the merge moves nothing on screen.
    io.Fonts->AddFontFromMemoryTTF(page->font.data(), static_cast<int>(page->font.size()),
                                   kBaseFontSize * scale, &config, glyph_ranges());
    if (!page->font_rest.empty()) {
      config.MergeMode = true;
      io.Fonts->AddFontFromMemoryTTF(page->font_rest.data(),
                                     static_cast<int>(page->font_rest.size()),
                                     kBaseFontSize * scale, &config, glyph_ranges());
    }
  } else {
    ImFontConfig fallback;
    fallback.SizePixels = 13.0f * scale;
    io.Fonts->AddFontDefault(&fallback);  // no font file: Latin only, but usable
  }
  io.Fonts->Build();
  if (page->fonts_built) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  apply_theme(settings.theme);
  ImGui::GetStyle().ScaleAllSizes(scale);
  page->fonts_built = true;
  page->built_ratio = ratio;
  page->built_scale = settings.ui_scale;
  page->view.fonts_dirty = false;
}

// Keeps the canvas's backing store at CSS size x devicePixelRatio, so text stays sharp.
float sync_canvas_size() {
  const platform::Viewport viewport = platform::viewport();
  const int width = static_cast<int>(static_cast<float>(viewport.css_width) * viewport.pixel_ratio);
  const int height =
      static_cast<int>(static_cast<float>(viewport.css_height) * viewport.pixel_ratio);
  int current_width = 0;
  int current_height = 0;
  glfwGetWindowSize(page->window, &current_width, &current_height);
  if (width > 0 && height > 0 && (width != current_width || height != current_height)) {
    platform::resize_canvas(width, height);
  }
  return viewport.pixel_ratio;
}

const char* role_name(Language language, ItemRole role) {
  switch (role) {
    case ItemRole::kTextField:
      return tr(language, T::RoleTextField);
    case ItemRole::kCheckbox:
      return tr(language, T::RoleCheckbox);
    case ItemRole::kList:
      return tr(language, T::RoleList);
    case ItemRole::kTab:
      return tr(language, T::RoleTab);
    case ItemRole::kButton:
      break;
  }
  return tr(language, T::RoleButton);
}

// Tells a screen reader which widget now has keyboard focus: its label and its role.
void announce_focus(Language language) {
  const FocusedItem focused = item_hooks_focused();
  if (focused.key == page->announced_focus) return;
  page->announced_focus = focused.key;
  if (focused.key.empty()) return;
  const std::string name = focused.label.empty() ? focused.key : focused.label;
  platform::announce_focus(name + ", " + role_name(language, focused.role));
}

// Two ways Tab stops finding anything in ImGui 1.90: focus sat on a widget that has gone (a closed
// confirmation, another tab), or Escape left a flattened child window and set the focus scope to
// none. Then the next Tab starts again from the window's first widget.
void keep_tab_order_working() {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (item_hooks_focused().lost) g.NavDisableHighlight = true;
  if (g.NavWindow != nullptr && g.NavFocusScopeId == 0) {
    g.NavFocusScopeId = g.NavWindow->NavRootFocusScopeId;
  }
}

const char* empty_clipboard(void*) {
  return "";
}  // pastes arrive through the DOM paste event
void copy_clipboard(void*, const char* text) {
  platform::copy_to_clipboard(text);
}

// Where the active field's caret is (ImGui says so when it moves): the textarea that takes typed
// text is put there. A phone then scrolls the field clear of its keyboard as it does for any
// focused field, and an IME shows its candidates beside the caret, not in a corner.
void place_text_input(ImGuiViewport* /*viewport*/, ImGuiPlatformImeData* data) {
  if (!data->WantVisible) {
    page->caret.reset();
    return;
  }
  page->caret = ImRect(data->InputPos,
                       ImVec2(data->InputPos.x + 1.0f, data->InputPos.y + data->InputLineHeight));
  const float k = 1.0f / platform::viewport().pixel_ratio;
  platform::place_text_input(data->InputPos.x * k, data->InputPos.y * k, data->InputLineHeight * k);
}

void resume_drawing() {
  if (page->timer != 0) emscripten_clear_timeout(page->timer);
  page->timer = 0;
  if (!page->paused) return;
  page->paused = false;
  emscripten_resume_main_loop();
}

void on_countdown_timer(void*) {
  page->timer = 0;
  resume_drawing();  // one frame for the new second; no settling time
}

// Input, an answer, a resize or the font: draw now and for a settling while.
void wake() {
  page->pacer.wake(page->clock.now_ms());
  resume_drawing();
}

// GLFW's input callbacks queue; frame() hands the queue to ImGui at its own pace.
void on_cursor_pos(GLFWwindow* /*window*/, double x, double y) {
  page->input.move(x, y);
  wake();
}

void on_mouse_button(GLFWwindow* /*window*/, int button, int action, int mods) {
  page->input.button(button, action == GLFW_PRESS, mods);
  wake();
}

void on_key(GLFWwindow* /*window*/, int key, int scancode, int action, int mods) {
  if (action != GLFW_PRESS && action != GLFW_RELEASE) return;
  page->input.key(key, scancode, action == GLFW_PRESS, mods);
  wake();
}

void on_char(GLFWwindow* /*window*/, unsigned int codepoint) {
  char utf8[5];
  page->input.text(ImTextCharToUtf8(utf8, codepoint));
  wake();
}

void feed_input() {
  for (const InputEvent& event : page->input.take_for_frame()) hand_to_imgui(page->window, event);
}

// After a frame: stop asking for animation frames when nothing on screen can change, and set
// the timer for the next second of a countdown.
void pause_when_idle(const ConsoleState& state) {
  const std::int64_t now = page->clock.now_ms();
  FrameNeeds needs = frame_needs(state, page->controller->credentials_pasted_at(), now);
  // Input not yet seen: ours, and ImGui's own (it takes a burst of keys over several frames).
  const bool input_pending = !page->pending_paste.empty() || !page->input.empty() ||
                             !ImGui::GetCurrentContext()->InputEventsQueue.empty();
  needs.animating = needs.animating || page->draw_continuously || page->transport.in_flight() > 0 ||
                    page->view.tour_step > 0 || ImGui::IsAnyMouseDown() || input_pending;
  const FramePlan plan = page->pacer.plan(now, needs);
  if (plan.keep_drawing) return;
  page->paused = true;
  emscripten_pause_main_loop();
  if (plan.wake_at_ms > 0) {
    page->timer = emscripten_set_timeout(on_countdown_timer,
                                         static_cast<double>(plan.wake_at_ms - now), nullptr);
  }
}

// When the window grows shorter while a field is active (on a phone, its keyboard opened over
// the page), the caret is scrolled back into sight over the next frames: ImGui learns the new
// size, and so how far the page can scroll, a frame after it. The user's own drags after that
// are left alone.
constexpr int kRevealCaretFrames = 4;

void keep_caret_in_sight(float ratio) {
  const float height = static_cast<float>(platform::viewport().css_height) * ratio;
  if (page->text_input && height < page->display_height) {
    page->reveal_caret_frames = kRevealCaretFrames;
  }
  page->display_height = height;
  if (page->reveal_caret_frames == 0) return;
  --page->reveal_caret_frames;
  ImGuiWindow* const window = ImGui::GetCurrentContext()->ActiveIdWindow;  // the field's
  if (!page->text_input || !page->caret || window == nullptr) return;
  // The window, then the ones holding it, scroll as little as shows the caret with a line of
  // room below it.
  ImRect room = *page->caret;
  room.Max.y += ImGui::GetTextLineHeight();
  ImGui::ScrollToRectEx(window, room, ImGuiScrollFlags_KeepVisibleEdgeY);
}

void frame() {
  const float ratio = sync_canvas_size();
  if (!page->font_arrived) {
    glClearColor(0.08f, 0.09f, 0.11f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    return;
  }
  const FrameTimer frame_timer;  // CPU time per frame, for shell/bench.sh
  Controller& controller = *page->controller;
  ConsoleState& state = controller.state();
  if (!page->fonts_built || page->view.fonts_dirty || ratio != page->built_ratio ||
      state.settings.ui_scale != page->built_scale) {
    build_fonts(ratio);
  }
  controller.tick();

  feed_input();
  if (page->pan) {
    // Whole pixels, the fractions carried on: ImGui rounds each frame's scroll, and rounding a
    // drag's moves of 6.7 px one by one made the page run ahead of the finger (83 px for 80).
    const ImVec2 wanted(page->pan->moved.x * ratio + page->pan_remainder.x,
                        page->pan->moved.y * ratio + page->pan_remainder.y);
    const ImVec2 whole(std::round(wanted.x), std::round(wanted.y));
    page->pan_remainder = ImVec2(wanted.x - whole.x, wanted.y - whole.y);
    pan_window_under(ImVec2(page->pan->at.x * ratio, page->pan->at.y * ratio), whole);
    page->pan.reset();
  }
  keep_caret_in_sight(ratio);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  // Once the keys typed before it have reached ImGui (a click on the field may be among them).
  if (!page->pending_paste.empty() && page->input.empty() && !io.KeyCtrl && !io.KeySuper) {
    if (io.WantTextInput) io.AddInputCharactersUTF8(page->pending_paste.c_str());
    page->pending_paste.clear();
  }
  Ui ui{controller, state, page->view, page->clock.now_ms()};
  draw_app(ui);
  ImGui::Render();

  int width = 0;
  int height = 0;
  glfwGetFramebufferSize(page->window, &width, &height);
  glViewport(0, 0, width, height);
  const ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(background.x, background.y, background.z, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  item_hooks_end_frame(ratio);

  // With the first screen's atlas, the next frame builds the whole one. A frame that needed a
  // glyph outside it is not counted: the loading screen still covers it, and the next frame
  // draws it with the whole atlas.
  const bool drawn_whole =
      !page->first_screen_atlas || !draws_fallback_glyph(*ImGui::GetDrawData(), *ImGui::GetFont());
  if (page->first_screen_atlas) {
    page->view.fonts_dirty = true;
    page->pacer.wake(page->clock.now_ms());
  }
  if (drawn_whole && ++page->frames == 1) platform::page_ready();
  if (state.status.seq != page->announced_seq) {
    page->announced_seq = state.status.seq;
    platform::announce(pick(state.settings.language, state.status.text));
  }
  announce_focus(state.settings.language);
  keep_tab_order_working();
  if (controller.leave_warning() != page->leave_warning) {
    page->leave_warning = controller.leave_warning();
    platform::set_leave_warning(page->leave_warning);
  }
  const bool wants_text = io.WantTextInput;
  // A field claimed at a press (dypls_released_at) is let go only once the press has reached
  // ImGui, which did not take it: until then ImGui has not seen the press.
  if (wants_text != page->text_input && (wants_text || page->input.empty())) {
    page->text_input = wants_text;
    platform::set_text_input_active(wants_text);
  }
  pause_when_idle(state);
}

// A click on `key` (a press and release, or Enter/Space on it) while the browser still handles
// it: what a browser allows only then is done now, as ImGui takes the click at the next frames,
// too late. The clipboard button starts reading the clipboard; a button that copies copies.
void click_in_gesture(const std::string& key) {
  if (key == kPasteClipboardKey) {
    platform::read_clipboard();
  } else if (std::optional<std::string> text = item_hooks_copy_text(key); text && !text->empty()) {
    platform::copy_to_clipboard(*text);
  }
}

}  // namespace

extern "C" {

// The font file's bytes (JS fetched it); size 0 means it could not be loaded.
EMSCRIPTEN_KEEPALIVE void dypls_set_font(const unsigned char* data, int size) {
  if (data != nullptr && size > 0) {
    page->font.assign(data, data + size);
  } else {
    // Only ImGui's built-in Latin font is left: Chinese text would be all '?', so English.
    page->controller->state().settings.language = Language::kEn;
    page->controller->set_status(
        {"The Chinese font could not be downloaded, so the console is shown in English. Reload "
         "the page to try again.",
         "中文字体下载失败，控制台以英文显示。请刷新页面重试。"},
        StatusLevel::kWarning);
  }
  page->font_arrived = true;
  wake();
}

// The rest of the CJK set, fetched after the first frame: merged into the atlas next frame.
EMSCRIPTEN_KEEPALIVE void dypls_add_font_rest(const unsigned char* data, int size) {
  if (data == nullptr || size <= 0 || page->font.empty()) return;
  page->font_rest.assign(data, data + size);
  page->view.fonts_dirty = true;
  wake();
}

// For tests: the characters of `text` the font atlas cannot draw (they would show as '?').
EMSCRIPTEN_KEEPALIVE const char* dypls_missing_glyphs(const char* text) {
  page->exported.clear();
  const ImFont* font =
      ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
  for (const char* at = text; font != nullptr && at != nullptr && *at != 0;) {
    unsigned int codepoint = 0;
    const int length = ImTextCharFromUtf8(&codepoint, at, nullptr);
    if (length <= 0) break;
    if (codepoint >= 0x20 &&
        font->FindGlyphNoFallback(static_cast<ImWchar>(codepoint)) == nullptr) {
      page->exported.append(at, static_cast<std::size_t>(length));
    }
    at += length;
  }
  return page->exported.c_str();
}

// Any input the page receives (pointer, keys, wheel, focus, resize): draw it within a frame.
EMSCRIPTEN_KEEPALIVE void dypls_wake() {
  wake();
}

// For benchmarks that time frames: draw every animation frame while `on` is non-zero.
EMSCRIPTEN_KEEPALIVE void dypls_draw_continuously(int on) {
  page->draw_continuously = on != 0;
  wake();
}

// Text from a DOM paste event: into the active text field, or else read as credentials.
EMSCRIPTEN_KEEPALIVE void dypls_paste(const char* text) {
  if (text == nullptr || page->controller == nullptr) return;
  if (ImGui::GetCurrentContext() != nullptr && ImGui::GetIO().WantTextInput) {
    page->pending_paste += text;
    return;
  }
  page->controller->paste_credentials(text);
}

// A press released on the canvas (pressed at `down`, released at `up`, CSS pixels), asked while
// the browser still handles it. A phone opens its keyboard only for a focus made in the tap's
// own handlers (iOS ignores a later one): a release on a text field, as the last frame drew it,
// takes text input at once. A press and release on one button is a click (click_in_gesture).
EMSCRIPTEN_KEEPALIVE void dypls_released_at(double down_x, double down_y, double up_x,
                                            double up_y) {
  if (ImGui::GetCurrentContext() == nullptr || !page->fonts_built) return;
  const float ratio = platform::viewport().pixel_ratio;
  const auto target_at = [ratio](double x, double y) {
    return item_hooks_target_at(
        ImVec2(static_cast<float>(x) * ratio, static_cast<float>(y) * ratio));
  };
  const std::optional<PressTarget> released_on = target_at(up_x, up_y);
  if (!released_on) return;
  if (released_on->text_field) {
    if (!page->text_input) {
      // Where the field is, until ImGui places its caret (place_text_input).
      platform::place_text_input(released_on->min.x / ratio, released_on->min.y / ratio,
                                 released_on->height / ratio);
      page->text_input = true;
      platform::set_text_input_active(true);
    }
    return;
  }
  const std::optional<PressTarget> pressed_on = target_at(down_x, down_y);
  if (pressed_on && pressed_on->key == released_on->key) click_in_gesture(released_on->key);
}

// Enter or Space pressed, asked in the browser's keydown handler: it clicks the focused widget at
// the next frame; what needs the gesture is done now (click_in_gesture).
EMSCRIPTEN_KEEPALIVE void dypls_activation_key() {
  if (ImGui::GetCurrentContext() == nullptr) return;
  const FocusedItem focused = item_hooks_focused();
  if (focused.ring_visible) click_in_gesture(focused.key);
}

// The clipboard's text, read for the clipboard button: read as credentials.
EMSCRIPTEN_KEEPALIVE void dypls_paste_credentials(const char* text) {
  if (text != nullptr && page->controller != nullptr) page->controller->paste_credentials(text);
  wake();
}

// The clipboard could not be read (`empty` non-zero: it held no text): says what to do instead.
EMSCRIPTEN_KEEPALIVE void dypls_clipboard_unreadable(int empty) {
  if (page->controller == nullptr) return;
  const T text = empty != 0 ? T::ClipboardEmpty : T::ClipboardUnreadable;
  page->controller->set_status(dypls::Message{tr(Language::kEn, text), tr(Language::kZh, text)},
                               StatusLevel::kError);
  wake();
}

// A finger dragged (or flung) over the canvas by (dx, dy) CSS pixels, now at (x, y): scrolls on
// the next frame; drags between two frames add up.
EMSCRIPTEN_KEEPALIVE void dypls_touch_pan(double x, double y, double dx, double dy) {
  Page::Pan& pan = page->pan ? *page->pan : page->pan.emplace();
  pan.at = ImVec2(static_cast<float>(x), static_cast<float>(y));
  pan.moved.x += static_cast<float>(dx);
  pan.moved.y += static_cast<float>(dy);
  wake();
}

// Text for the active field that came as no keypress: a committed composition (pinyin and the
// like), or what a phone's keyboard typed. Queued behind a tap not yet handed to ImGui, and
// drawn now: nothing else may wake an idle page (a phone's keyboard sends only an input event).
EMSCRIPTEN_KEEPALIVE void dypls_ime_commit(const char* text) {
  if (text != nullptr && page != nullptr) {
    page->input.text(text);
    wake();
  }
}

// For tests and the page: JSON strings valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* dypls_state() {
  page->exported = state_json(page->controller->state(), page->controller->credentials_pasted_at(),
                              page->clock.now_ms());
  return page->exported.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* dypls_items() {
  page->exported = item_hooks_json();
  return page->exported.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* dypls_focused() {
  const FocusedItem focused = item_hooks_focused();
  static constexpr const char* kRoles[] = {"button", "textbox", "checkbox", "combobox", "tab"};
  page->exported = nlohmann::json{{"key", focused.key},
                                  {"label", focused.label},
                                  {"role", kRoles[static_cast<int>(focused.role)]},
                                  {"ring", focused.ring_visible}}
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return page->exported.c_str();
}

EMSCRIPTEN_KEEPALIVE int dypls_frames() {
  return page->frames;
}

}  // extern "C"

int main() {
  // 1. A WebGL2 context through GLFW; the page says so plainly when there is none.
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  page = new Page();
  // At the canvas's size (web/glue.js sized it), so the drawing buffer is not reallocated.
  int canvas_width = 0;
  int canvas_height = 0;
  emscripten_get_canvas_element_size("#canvas", &canvas_width, &canvas_height);
  page->window =
      glfwCreateWindow(canvas_width > 0 ? canvas_width : 1280,
                       canvas_height > 0 ? canvas_height : 800, "dypls-console", nullptr, nullptr);
  if (page->window == nullptr) {
    platform::report_no_webgl2();
    return 1;
  }
  glfwMakeContextCurrent(page->window);

  // 2. Dear ImGui, without an .ini file (no file system on the web).
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigInputTextCursorBlink = false;  // a blinking cursor would keep an idle page drawing
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ImGui::GetCurrentContext()->TestEngineHookItems = true;  // item rectangles for tests
  ImGui_ImplGlfw_InitForOpenGL(page->window, true);
  // The pointer, keys and text go through our queue (input_queue.h). The pointer is taken as
  // over the canvas from the start, so the backend does not poll GLFW's cursor ahead of the
  // queue.
  glfwSetCursorPosCallback(page->window, on_cursor_pos);
  glfwSetMouseButtonCallback(page->window, on_mouse_button);
  glfwSetKeyCallback(page->window, on_key);
  glfwSetCharCallback(page->window, on_char);
  ImGui_ImplGlfw_CursorEnterCallback(page->window, GLFW_TRUE);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  io.GetClipboardTextFn = empty_clipboard;
  io.SetClipboardTextFn = copy_clipboard;
  io.SetPlatformImeDataFn = place_text_input;

  // 3. The controller with the browser's edges; language from the browser.
  page->controller = std::make_unique<Controller>(page->transport, page->clock, page->nonces,
                                                  page->storage, page->durable, page->lock);
  ConsoleState& state = page->controller->state();
  state.settings.language = platform::browser_prefers_chinese() ? Language::kZh : Language::kEn;
  state.page_origin = platform::page_origin();
  page->view.copy = platform::copy_to_clipboard;
  page->view.utc_offset_minutes = platform::utc_offset_minutes();
  page->view.download = platform::download_file;
  attach_bench_hooks(*page->controller);
  page->transport.on_answered(wake);
  page->controller->start();

  // 4. A frame per animation frame while anything can change (see pause_when_idle).
  page->pacer.wake(page->clock.now_ms());
  emscripten_set_main_loop(frame, 0, false);
  return 0;
}
