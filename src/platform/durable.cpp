#include "durable.h"

#include <emscripten.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

// These bodies are JavaScript: keep clang-format away.
// clang-format off
EM_JS(char*, dypls_js_local_get, (const char* key), {
  try {
    const value = window.localStorage.getItem(UTF8ToString(key));
    return value === null ? 0 : allocateUTF8(value);
  } catch (e) {
    return 0;
  }
});
EM_JS(int, dypls_js_local_set, (const char* key, const char* value), {
  try {
    window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value));
    return 1;
  } catch (e) {
    return 0;  // full (QuotaExceededError) or disabled
  }
});
EM_JS(void, dypls_js_local_remove, (const char* key), {
  try {
    window.localStorage.removeItem(UTF8ToString(key));
  } catch (e) {
  }
});
EM_JS(char*, dypls_js_local_entries, (const char* prefix), {
  const wanted = UTF8ToString(prefix);
  const out = [];
  try {
    const storage = window.localStorage;
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key !== null && key.startsWith(wanted)) out.push([key, storage.getItem(key)]);
    }
  } catch (e) {
  }
  return allocateUTF8(JSON.stringify(out));
});
EM_JS(double, dypls_js_storage_changes, (), { return window.dyplsGlue.storageChanges(); });
EM_JS(int, dypls_js_lock_acquire, (const char* name),
      { return window.dyplsGlue.lockAcquire(UTF8ToString(name)) ? 1 : 0; });
EM_JS(void, dypls_js_lock_release, (const char* name),
      { window.dyplsGlue.lockRelease(UTF8ToString(name)); });
EM_JS(void, dypls_js_leave_warning, (int on), { window.dyplsGlue.leaveWarning(!!on); });
// clang-format on

namespace dypls::platform {
namespace {

std::string take_string(char* text) {
  if (text == nullptr) return {};
  std::string out(text);
  std::free(text);
  return out;
}

}  // namespace

std::optional<std::string> LocalStorage::get(const std::string& key) {
  char* value = dypls_js_local_get(key.c_str());
  if (value == nullptr) return std::nullopt;
  return take_string(value);
}

bool LocalStorage::set(const std::string& key, const std::string& value) {
  return dypls_js_local_set(key.c_str(), value.c_str()) != 0;
}

void LocalStorage::remove(const std::string& key) {
  dypls_js_local_remove(key.c_str());
}

std::vector<std::pair<std::string, std::string>> LocalStorage::entries(const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto list =
      nlohmann::json::parse(take_string(dypls_js_local_entries(prefix.c_str())), nullptr, false);
  if (!list.is_array()) return out;
  for (const auto& entry : list) {
    if (entry.is_array() && entry.size() == 2 && entry[0].is_string() && entry[1].is_string()) {
      out.emplace_back(entry[0].get<std::string>(), entry[1].get<std::string>());
    }
  }
  return out;
}

std::uint64_t LocalStorage::outside_changes() {
  return static_cast<std::uint64_t>(dypls_js_storage_changes());
}

console::LockState WebLock::acquire(const std::string& name) {
  return dypls_js_lock_acquire(name.c_str()) != 0 ? console::LockState::kHeld
                                                  : console::LockState::kWaiting;
}

void WebLock::release(const std::string& name) {
  dypls_js_lock_release(name.c_str());
}

void set_leave_warning(bool on) {
  dypls_js_leave_warning(on ? 1 : 0);
}

}  // namespace dypls::platform
