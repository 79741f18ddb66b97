// The browser edges the console needs besides fetch: clock, crypto-random nonces,
// sessionStorage, the clipboard, downloads, the aria-live region, the window's size.
// Implemented with EM_JS; the matching page-side code is web/glue.js.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "ports.h"

namespace dypls::platform {

class BrowserClock final : public console::Clock {
 public:
  std::int64_t now_ms() const override;
};

// 32 lower-case hex digits from crypto.getRandomValues.
class CryptoNonceSource final : public console::NonceSource {
 public:
  std::string next() override;
};

class SessionStorage final : public console::Storage {
 public:
  std::optional<std::string> get(const std::string& key) override;
  void set(const std::string& key, const std::string& value) override;
  void remove(const std::string& key) override;
};

void copy_to_clipboard(const std::string& text);
// Starts reading the clipboard's text; the page hands it to dypls_paste_credentials, or tells
// dypls_clipboard_unreadable. Call only while the browser handles the user's press or key.
void read_clipboard();
void download_file(const std::string& name, const std::string& mime, const std::string& content);
void announce(const std::string& text);  // the aria-live region
// The focused widget, in a second polite region (results and focus do not overwrite each other).
void announce_focus(const std::string& text);
std::string page_origin();
bool browser_prefers_chinese();
// The window's size in CSS pixels and the device pixel ratio.
struct Viewport {
  int css_width = 0;
  int css_height = 0;
  float pixel_ratio = 1.0f;
};
Viewport viewport();
int utc_offset_minutes();  // the browser's time zone now, minutes east of UTC
// Sets the canvas's backing store (and GLFW's window) to width x height device pixels.
// glfwSetWindowSize cannot be used: Emscripten's GLFW asks for full screen instead of resizing
// whenever the size equals the screen's, which is the normal case on a phone.
void resize_canvas(int width, int height);
// Shows or hides the hidden textarea that receives IME (pinyin) input.
void set_text_input_active(bool active);
// Puts that textarea at the active field's caret: top left and line height, CSS pixels.
void place_text_input(float x, float y, float line_height);
void page_ready();        // hides the loading screen
void report_no_webgl2();  // replaces the page with what to do

}  // namespace dypls::platform
