// The relay's own description of itself (GET /relay/config): whether it fronts the sandbox, the
// host V3 signs for, the actions it forwards and its version.
#pragma once
#include "console_state.h"
#include "ports.h"

namespace dypls::console {

// `failed` when the answer is not a 200 with a JSON object; fields of the wrong type are skipped.
RelayConfig read_relay_config(const HttpResponse& response);

}  // namespace dypls::console
