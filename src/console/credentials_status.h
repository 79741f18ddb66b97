// How much life the pasted credentials have left, as the header's colour and countdown show it.
#pragma once
#include <cstdint>

#include "console_state.h"

namespace dypls::console {

inline constexpr std::int64_t kExpiringSoonSeconds = std::int64_t{10} * 60;

struct CredentialsLife {
  CredentialsStatus status = CredentialsStatus::kNone;
  std::int64_t seconds_left = 0;  // meaningful for kValid and kExpiringSoon
  std::int64_t lifetime = 0;      // from paste to expiry, for the shrinking bar
};

// `now` is epoch seconds (already corrected for the clock offset).
CredentialsLife credentials_life(const CredentialsState& credentials, std::int64_t pasted_at,
                                 std::int64_t now);

}  // namespace dypls::console
