// The console's state as JSON for browser tests (window.dypls.state()). It must never contain
// a secret: no AccessKeySecret, SecurityToken or signature, whatever the state holds.
#pragma once
#include <cstdint>
#include <string>

#include "console_state.h"

namespace dypls::console {

std::string state_json(const ConsoleState& state, std::int64_t pasted_at_s, std::int64_t now_ms);

}  // namespace dypls::console
