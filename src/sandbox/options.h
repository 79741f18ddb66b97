// The command line of dypls-sandbox, parsed without side effects so it can be tested.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/authenticator.h"
#include "sandbox/faults.h"
#include "sandbox/inventory.h"

namespace dypls::sandbox {

struct AccountFlag {
  std::string key_id;
  std::string secret;
};

struct SandboxOptions {
  std::string host = "127.0.0.1";
  int port = 8090;
  std::vector<AccountFlag> accounts;
  std::vector<std::string> pools;
  std::optional<std::uint64_t> seed;  // drawn at random when not given
  std::string state_file;
  std::vector<StockOverride> stock;
  FaultConfig faults;
  AuthPolicy auth;
  int threads = 32;  // workers for API calls (the injected latency sleeps in one)
  bool help = false;
};

struct ParsedOptions {
  std::optional<SandboxOptions> options;  // set when the line is usable
  std::string error;                      // otherwise: what was wrong and what to do
};

ParsedOptions parse_options(const std::vector<std::string>& args);
std::string usage();

}  // namespace dypls::sandbox
