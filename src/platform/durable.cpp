#include "durable.h"

#include <emscripten.h>

#include <nlohmann/json.hpp>

#include "web_storage.h"

// These bodies are JavaScript: keep clang-format away.
// clang-format off
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
EM_JS(double, dypls_js_storage_changes, (), { return window["dyplsGlue"]["storageChanges"](); });
// 1 held by this tab, 0 asked for and not answered yet, 2 held by another tab.
EM_JS(int, dypls_js_lock_acquire, (const char* name),
      { return window["dyplsGlue"]["lockAcquire"](UTF8ToString(name)); });
EM_JS(void, dypls_js_lock_release, (const char* name),
      { window["dyplsGlue"]["lockRelease"](UTF8ToString(name)); });
// 0 not known, 1 held by another tab, 2 free; the time it was first seen so in *since_ms.
EM_JS(int, dypls_js_lock_peek, (const char* name, double* since_ms), {
  const seen = window["dyplsGlue"]["lockPeek"](UTF8ToString(name));
  if (!seen) return 0;
  HEAPF64[since_ms >> 3] = seen["since"];
  return seen["heldElsewhere"] ? 1 : 2;
});
EM_JS(void, dypls_js_leave_warning, (int on), { window["dyplsGlue"]["leaveWarning"](!!on); });
// clang-format on

namespace dypls::platform {
std::optional<std::string> LocalStorage::get(const std::string& key) {
  return storage_get(StorageArea::kLocal, key);
}

bool LocalStorage::set(const std::string& key, const std::string& value) {
  return storage_set(StorageArea::kLocal, key, value);
}

void LocalStorage::remove(const std::string& key) {
  storage_remove(StorageArea::kLocal, key);
}

std::vector<std::pair<std::string, std::string>> LocalStorage::entries(const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto list =
      nlohmann::json::parse(take_js_string(dypls_js_local_entries(prefix.c_str())), nullptr, false);
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
  switch (dypls_js_lock_acquire(name.c_str())) {
    case 1:
      return console::LockState::kHeld;
    case 2:
      return console::LockState::kWaiting;
    default:
      return console::LockState::kAsked;
  }
}

void WebLock::release(const std::string& name) {
  dypls_js_lock_release(name.c_str());
}

console::LockView WebLock::peek(const std::string& name) {
  double since = 0;
  const int seen = dypls_js_lock_peek(name.c_str(), &since);
  if (seen == 0) return {};
  return {seen == 1 ? console::LockPeek::kHeldElsewhere : console::LockPeek::kFree,
          static_cast<std::int64_t>(since)};
}

void set_leave_warning(bool on) {
  dypls_js_leave_warning(on ? 1 : 0);
}

}  // namespace dypls::platform
