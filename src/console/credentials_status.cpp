#include "credentials_status.h"

namespace dypls::console {

CredentialsLife credentials_life(const CredentialsState& credentials, std::int64_t pasted_at,
                                 std::int64_t now) {
  CredentialsLife life;
  if (!credentials.active) return life;
  const auto& expires_at = credentials.active->expires_at;
  if (!expires_at) {
    life.status = CredentialsStatus::kNoExpiry;
    return life;
  }
  life.seconds_left = *expires_at - now;
  life.lifetime = *expires_at - pasted_at;
  if (life.seconds_left <= 0) {
    life.status = CredentialsStatus::kExpired;
    life.seconds_left = 0;
  } else if (life.seconds_left < kExpiringSoonSeconds) {
    life.status = CredentialsStatus::kExpiringSoon;
  } else {
    life.status = CredentialsStatus::kValid;
  }
  return life;
}

}  // namespace dypls::console
