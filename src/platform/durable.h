// The browser edges the purchase ledger needs: localStorage (kept across reloads, shared by the
// profile's tabs, changes from other tabs counted through storage events), the cross-tab
// purchase lock (navigator.locks, or a lease in localStorage with an expiry where that is
// missing) and the warning before leaving. The page-side code is web/glue.js.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ports.h"

namespace dypls::platform {

class LocalStorage final : public console::DurableStorage {
 public:
  std::optional<std::string> get(const std::string& key) override;
  bool set(const std::string& key, const std::string& value) override;
  void remove(const std::string& key) override;
  std::vector<std::pair<std::string, std::string>> entries(const std::string& prefix) override;
  std::uint64_t outside_changes() override;
};

class WebLock final : public console::PurchaseLock {
 public:
  console::LockState acquire(const std::string& name) override;
  void release(const std::string& name) override;
  console::LockView peek(const std::string& name) override;
};

// Asks the browser to confirm before the page is left (beforeunload) while `on`.
void set_leave_warning(bool on);

}  // namespace dypls::platform
