// The browser's two key-value stores, behind one set of calls: sessionStorage (this tab, gone
// when it closes) and localStorage (kept across reloads, shared by the profile's tabs). Both
// can throw in the page (disabled storage, a full quota); here that is an empty answer or false.
#pragma once
#include <optional>
#include <string>

namespace dypls::platform {

enum class StorageArea { kSession, kLocal };

std::optional<std::string> storage_get(StorageArea area, const std::string& key);
// False when the browser refused the write (full quota or storage disabled).
bool storage_set(StorageArea area, const std::string& key, const std::string& value);
void storage_remove(StorageArea area, const std::string& key);

// Takes ownership of a malloc'd UTF-8 string handed over from JavaScript ("" for null).
std::string take_js_string(char* text);

}  // namespace dypls::platform
