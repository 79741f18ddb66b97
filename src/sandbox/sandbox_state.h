// Everything the sandbox remembers between requests (and between runs, through state_codec):
// keys, inventory and the generator that makes ids, tokens and purchases reproducible.
#pragma once
#include <cstdint>
#include <vector>

#include "sandbox/inventory.h"
#include "sandbox/key_store.h"
#include "sandbox/rng.h"

namespace dypls::sandbox {

struct SandboxState {
  explicit SandboxState(std::uint64_t seed_value, std::vector<StockOverride> overrides = {})
      : seed(seed_value), inventory(seed_value, std::move(overrides)), rng(seed_value) {}

  std::uint64_t seed;
  KeyStore keys;
  Inventory inventory;
  Rng rng;
};

}  // namespace dypls::sandbox
