// Remembers signature nonces for as long as their request could still be accepted, so a replay
// within the time window fails with SignatureNonceUsed. Pure: the caller supplies "now".
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace dypls::sandbox {

class NonceWindow {
 public:
  // Records `nonce` for `key_id` until `forget_at`. Returns false if it was already recorded
  // and not yet forgotten (a replay).
  bool remember(std::string_view key_id, std::string_view nonce, std::int64_t forget_at,
                std::int64_t now);
  std::size_t size() const { return expiry_.size(); }

 private:
  void forget_until(std::int64_t now);

  std::map<std::string, std::int64_t, std::less<>> expiry_;  // key id + '\n' + nonce -> time
  std::multimap<std::int64_t, std::string> by_time_;
};

}  // namespace dypls::sandbox
