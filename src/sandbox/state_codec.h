// SandboxState <-> JSON, for `--state FILE`. Stock is not written out: it is re-seeded from the
// seed and the overrides, minus every number ever sold, so the file stays small.
#pragma once
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/sandbox_state.h"

namespace dypls::sandbox {

nlohmann::json encode_state(const SandboxState& state);
// nullptr with a message saying what is wrong when the document is not a saved state.
std::unique_ptr<SandboxState> decode_state(const nlohmann::json& document, std::string& error);

}  // namespace dypls::sandbox
