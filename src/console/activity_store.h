// This tab's activity log across a reload: the finished entries (no signing stages, never a
// secret) kept in the tab's sessionStorage, and read back into the log when the page starts.
#pragma once
#include <cstddef>

#include "ports.h"
#include "request_log.h"

namespace dypls::console {

inline constexpr const char* kActivityKey = "dypls.activity";  // sessionStorage: this tab's log
inline constexpr std::size_t kActivityKept = 200;

// Writes the last kActivityKept finished entries of `log`.
void save_activity(const RequestLog& log, Storage& storage);
// Adds what was saved to `log`; a missing or unreadable record adds nothing.
void restore_activity(Storage& storage, RequestLog& log);

}  // namespace dypls::console
