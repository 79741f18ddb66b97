#include "sandbox/nonce_window.h"

namespace dypls::sandbox {

bool NonceWindow::remember(std::string_view key_id, std::string_view nonce, std::int64_t forget_at,
                           std::int64_t now) {
  forget_until(now);
  std::string key;
  key.reserve(key_id.size() + nonce.size() + 1);
  key.append(key_id).append("\n").append(nonce);
  const auto [it, inserted] = expiry_.emplace(key, forget_at);
  if (!inserted) return false;
  by_time_.emplace(forget_at, std::move(key));
  return true;
}

void NonceWindow::forget_until(std::int64_t now) {
  auto it = by_time_.begin();
  while (it != by_time_.end() && it->first < now) {
    expiry_.erase(it->second);
    it = by_time_.erase(it);
  }
}

}  // namespace dypls::sandbox
