#include "browser.h"

#include <emscripten.h>

#include "web_storage.h"

// Strings returned from JS are malloc'd UTF-8; the caller frees them.
// These bodies are JavaScript: keep clang-format away.
// clang-format off
EM_JS(double, dypls_js_now, (), { return Date.now(); });
EM_JS(char*, dypls_js_random_hex, (), {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return allocateUTF8(hex);
});
EM_JS(void, dypls_js_copy, (const char* text), { window["dyplsGlue"]["copy"](UTF8ToString(text)); });
EM_JS(void, dypls_js_read_clipboard, (), { window["dyplsGlue"]["readClipboard"](); });
EM_JS(void, dypls_js_download, (const char* name, const char* mime, const char* data, int size), {
  window["dyplsGlue"]["download"](UTF8ToString(name), UTF8ToString(mime),
                            HEAPU8.slice(data, data + size));
});
EM_JS(void, dypls_js_announce, (const char* text),
      { window["dyplsGlue"]["announce"](UTF8ToString(text)); });
EM_JS(void, dypls_js_announce_focus, (const char* text),
      { window["dyplsGlue"]["announceFocus"](UTF8ToString(text)); });
EM_JS(char*, dypls_js_origin, (), { return allocateUTF8(window.location.origin); });
EM_JS(int, dypls_js_prefers_chinese, (), {
  const languages = navigator.languages || [navigator.language || ""];
  return languages.length > 0 && String(languages[0]).toLowerCase().startsWith('zh') ? 1 : 0;
});
EM_JS(void, dypls_js_resize_canvas, (int width, int height), {
  // GLFW's own resize path without its full-screen branch; CSS keeps the layout size.
  Module["canvas"].style.width = "";
  Module["canvas"].style.height = "";
  GLFW.onCanvasResize(width, height);
});
EM_JS(int, dypls_js_utc_offset_minutes, (), { return -new Date().getTimezoneOffset(); });
EM_JS(int, dypls_js_css_width, (), { return window.innerWidth; });
EM_JS(int, dypls_js_css_height, (), { return window.innerHeight; });
EM_JS(double, dypls_js_pixel_ratio, (), { return window.devicePixelRatio || 1; });
EM_JS(void, dypls_js_text_input, (int active), { window["dyplsGlue"]["textInput"](!!active); });
EM_JS(void, dypls_js_place_text_input, (float x, float y, float height),
      { window["dyplsGlue"]["placeTextInput"](x, y, height); });
EM_JS(void, dypls_js_ready, (), { window["dyplsGlue"]["ready"](); });
EM_JS(void, dypls_js_no_webgl2, (), { window["dyplsGlue"]["fatal"]('webgl2'); });
// clang-format on

namespace dypls::platform {
std::int64_t BrowserClock::now_ms() const {
  return static_cast<std::int64_t>(dypls_js_now());
}

std::string CryptoNonceSource::next() {
  return take_js_string(dypls_js_random_hex());
}

std::optional<std::string> SessionStorage::get(const std::string& key) {
  return storage_get(StorageArea::kSession, key);
}

void SessionStorage::set(const std::string& key, const std::string& value) {
  storage_set(StorageArea::kSession, key, value);
}

void SessionStorage::remove(const std::string& key) {
  storage_remove(StorageArea::kSession, key);
}

void copy_to_clipboard(const std::string& text) {
  dypls_js_copy(text.c_str());
}

void read_clipboard() {
  dypls_js_read_clipboard();
}

void download_file(const std::string& name, const std::string& mime, const std::string& content) {
  dypls_js_download(name.c_str(), mime.c_str(), content.data(), static_cast<int>(content.size()));
}

void announce(const std::string& text) {
  dypls_js_announce(text.c_str());
}

void announce_focus(const std::string& text) {
  dypls_js_announce_focus(text.c_str());
}

std::string page_origin() {
  return take_js_string(dypls_js_origin());
}

bool browser_prefers_chinese() {
  return dypls_js_prefers_chinese() != 0;
}

int utc_offset_minutes() {
  return dypls_js_utc_offset_minutes();
}

void resize_canvas(int width, int height) {
  dypls_js_resize_canvas(width, height);
}

Viewport viewport() {
  return {dypls_js_css_width(), dypls_js_css_height(), static_cast<float>(dypls_js_pixel_ratio())};
}

void set_text_input_active(bool active) {
  dypls_js_text_input(active ? 1 : 0);
}

void place_text_input(float x, float y, float line_height) {
  dypls_js_place_text_input(x, y, line_height);
}

void page_ready() {
  dypls_js_ready();
}

void report_no_webgl2() {
  dypls_js_no_webgl2();
}

}  // namespace dypls::platform
