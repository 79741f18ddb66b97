// Who may call: long-term account keys and the temporary (STS) credentials the sandbox issues
// itself, each with an expiry. Pure: the caller supplies "now" and the generator.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/rng.h"

namespace dypls::sandbox {

struct Account {
  std::string key_id;
  std::string secret;
  std::string uid;  // the 16-digit account id that appears in role ARNs
};

struct TemporaryCredential {
  std::string key_id;  // "STS.…"
  std::string secret;
  std::string token;  // "CAIS…", over a thousand characters like the real ones
  std::string owner_key_id;
  std::string role_arn;
  std::string assumed_role_id;
  std::int64_t expires_at = 0;  // epoch seconds
};

// What the authenticator needs to know about a key id.
struct SigningKey {
  std::string secret;
  std::string owner_key_id;
  bool temporary = false;
  std::string token;            // temporary only
  std::int64_t expires_at = 0;  // temporary only
};

inline constexpr std::int64_t kMinStsDurationSeconds = 1;  // tiny lifetimes let tests see expiry
inline constexpr std::int64_t kMaxStsDurationSeconds = 43200;

class KeyStore {
 public:
  // Adds (or replaces the secret of) a long-term key; the account id is drawn from rng.
  const Account& add_account(std::string key_id, std::string secret, Rng& rng);
  const std::vector<Account>& accounts() const { return accounts_; }
  const Account* find_account(std::string_view key_id) const;

  // Mints credentials for `owner` valid until now + duration_seconds (clamped to the limits).
  // Credentials that expired more than a day ago are forgotten.
  const TemporaryCredential& issue_temporary(const Account& owner, std::int64_t duration_seconds,
                                             std::int64_t now, Rng& rng);
  const std::map<std::string, TemporaryCredential, std::less<>>& temporary() const {
    return temporary_;
  }

  std::optional<SigningKey> find(std::string_view key_id) const;
  // True when `token` was issued for some key (used to tell a mismatch from a forgery).
  bool token_known(std::string_view token) const;

  // For loading saved state.
  void restore(std::vector<Account> accounts, std::vector<TemporaryCredential> temporary);

 private:
  std::vector<Account> accounts_;
  std::map<std::string, TemporaryCredential, std::less<>> temporary_;
  std::map<std::string, std::string, std::less<>> token_owner_;  // token -> key id
};

}  // namespace dypls::sandbox
