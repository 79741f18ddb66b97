#include "sandbox/key_store.h"

#include <algorithm>

namespace dypls::sandbox {
namespace {

constexpr std::int64_t kForgetAfterSeconds = std::int64_t{24} * 3600;
constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

const Account& KeyStore::add_account(std::string key_id, std::string secret, Rng& rng) {
  const auto it = std::find_if(accounts_.begin(), accounts_.end(),
                               [&](const Account& a) { return a.key_id == key_id; });
  if (it != accounts_.end()) {
    it->secret = std::move(secret);
    return *it;
  }
  accounts_.push_back({std::move(key_id), std::move(secret), "1" + rng.digits(15)});
  return accounts_.back();
}

const Account* KeyStore::find_account(std::string_view key_id) const {
  const auto it = std::find_if(accounts_.begin(), accounts_.end(),
                               [&](const Account& a) { return a.key_id == key_id; });
  return it == accounts_.end() ? nullptr : &*it;
}

const TemporaryCredential& KeyStore::issue_temporary(const Account& owner,
                                                     std::int64_t duration_seconds,
                                                     std::int64_t now, Rng& rng) {
  for (auto it = temporary_.begin(); it != temporary_.end();) {
    if (it->second.expires_at + kForgetAfterSeconds < now) {
      token_owner_.erase(it->second.token);
      it = temporary_.erase(it);
    } else {
      ++it;
    }
  }
  const std::int64_t duration =
      std::clamp(duration_seconds, kMinStsDurationSeconds, kMaxStsDurationSeconds);
  TemporaryCredential credential;
  credential.key_id = "STS." + rng.text(26, kAlphanumeric);
  credential.secret = rng.text(44, kAlphanumeric);
  // Real tokens are a base64 blob starting "CAIS"; length and alphabet are what clients notice.
  credential.token = "CAIS" + rng.text(1020, kBase64Alphabet) + "==";
  credential.owner_key_id = owner.key_id;
  credential.role_arn = "acs:ram::" + owner.uid + ":role/dypls-sandbox-buyer/sandbox-session";
  credential.assumed_role_id = rng.digits(18) + ":sandbox-session";
  credential.expires_at = now + duration;
  token_owner_[credential.token] = credential.key_id;
  auto [it, inserted] = temporary_.emplace(credential.key_id, std::move(credential));
  (void)inserted;
  return it->second;
}

std::optional<SigningKey> KeyStore::find(std::string_view key_id) const {
  if (const Account* account = find_account(key_id)) {
    return SigningKey{account->secret, account->key_id, false, {}, 0};
  }
  const auto it = temporary_.find(key_id);
  if (it == temporary_.end()) return std::nullopt;
  const TemporaryCredential& c = it->second;
  return SigningKey{c.secret, c.owner_key_id, true, c.token, c.expires_at};
}

bool KeyStore::token_known(std::string_view token) const {
  return token_owner_.find(token) != token_owner_.end();
}

void KeyStore::restore(std::vector<Account> accounts, std::vector<TemporaryCredential> temporary) {
  accounts_ = std::move(accounts);
  temporary_.clear();
  token_owner_.clear();
  for (auto& credential : temporary) {
    token_owner_[credential.token] = credential.key_id;
    std::string key = credential.key_id;
    temporary_.emplace(std::move(key), std::move(credential));
  }
}

}  // namespace dypls::sandbox
