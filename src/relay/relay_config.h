// The relay's settings, from flags and DYPLS_RELAY_* environment variables (a flag wins over the
// variable). Parsing is pure: the edge passes argv and a way to read the environment.
#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "relay/admission.h"
#include "relay/rate_limiter.h"
#include "relay/upstream_url.h"

namespace dypls::relay {

struct RelayConfig {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  Upstream upstream;  // default https://dyplsapi.aliyuncs.com
  AdmissionPolicy admission;
  RateLimit rate;
  std::string static_dir;                // empty: no page
  std::vector<std::string> connect_src;  // extra CSP connect-src origins
  bool sandbox = false;
  std::string ca_file;  // empty: the system CA store
  int workers = 16;
  int queue = 64;
  int client_timeout_ms = 10000;  // to receive one whole request (headers and body)
  int keep_alive_ms = 5000;       // idle time between requests on a connection
  int connect_timeout_ms = 3000;  // upstream TCP + TLS connect
  int read_timeout_ms = 10000;    // upstream: silence allowed while waiting for the answer
  int total_timeout_ms = 15000;   // upstream: whole exchange
  std::size_t max_answer_bytes = 1 << 20;
};

struct ConfigResult {
  std::optional<RelayConfig> config;
  bool show_help = false;
  std::string error;  // what was wrong and what to do, when config is empty and !show_help
};

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

ConfigResult parse_config(const std::vector<std::string>& args, const EnvLookup& env);

std::string help_text();

// The actions the console uses (mirrors core/actions.h); the default allow-list.
const std::vector<std::string>& default_actions();

}  // namespace dypls::relay
