#include "web_storage.h"

#include <emscripten.h>

#include <cstdlib>

// `local` picks localStorage over sessionStorage.
// These bodies are JavaScript: keep clang-format away.
// clang-format off
EM_JS(char*, dypls_js_storage_get, (int local, const char* key), {
  try {
    const area = local ? window.localStorage : window.sessionStorage;
    const value = area.getItem(UTF8ToString(key));
    return value === null ? 0 : allocateUTF8(value);
  } catch (e) {
    return 0;
  }
});
EM_JS(int, dypls_js_storage_set, (int local, const char* key, const char* value), {
  try {
    const area = local ? window.localStorage : window.sessionStorage;
    area.setItem(UTF8ToString(key), UTF8ToString(value));
    return 1;
  } catch (e) {
    return 0;  // full (QuotaExceededError) or disabled
  }
});
EM_JS(void, dypls_js_storage_remove, (int local, const char* key), {
  try {
    const area = local ? window.localStorage : window.sessionStorage;
    area.removeItem(UTF8ToString(key));
  } catch (e) {
  }
});
// clang-format on

namespace dypls::platform {
namespace {

int is_local(StorageArea area) {
  return area == StorageArea::kLocal ? 1 : 0;
}

}  // namespace

std::string take_js_string(char* text) {
  if (text == nullptr) return {};
  std::string out(text);
  std::free(text);
  return out;
}

std::optional<std::string> storage_get(StorageArea area, const std::string& key) {
  char* value = dypls_js_storage_get(is_local(area), key.c_str());
  if (value == nullptr) return std::nullopt;
  return take_js_string(value);
}

bool storage_set(StorageArea area, const std::string& key, const std::string& value) {
  return dypls_js_storage_set(is_local(area), key.c_str(), value.c_str()) != 0;
}

void storage_remove(StorageArea area, const std::string& key) {
  dypls_js_storage_remove(is_local(area), key.c_str());
}

}  // namespace dypls::platform
