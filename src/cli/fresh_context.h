// The edge where dypls-sign reads the clock and the system's randomness for a new attempt.
#pragma once
#include "core/signer.h"

namespace dypls::cli {

// Now, as the API writes it, and 16 random bytes as 32 hex digits.
SigningContext fresh_context();

}  // namespace dypls::cli
