// The six Dyplsapi actions on top of the inventory: reads and type-checks their parameters (as the
// gateway does) and builds the answer the real endpoint gives. Pure.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "sandbox/answers.h"
#include "sandbox/authenticator.h"
#include "sandbox/inventory.h"
#include "sandbox/rng.h"

namespace dypls::sandbox {

inline constexpr std::string_view kSupportedVersion = "2017-05-25";

struct ActionResult {
  int status = 200;
  OrderedJson body;
  bool state_changed = false;
  bool committed_purchase = false;  // a number was bought (the drop-after-commit fault targets it)
};

bool is_known_action(std::string_view action);

// Runs `caller.action` (already authenticated) and answers it.
ActionResult run_action(const Caller& caller, Inventory& inventory, Rng& rng, std::int64_t now,
                        const std::string& request_id);

}  // namespace dypls::sandbox
