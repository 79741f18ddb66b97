// The relay's settings, from flags and DYPLS_RELAY_* environment variables (a flag wins over the
// variable). Parsing is pure: the edge passes argv and a way to read the environment.
#pragma once
#include <array>
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

// An address or a CIDR block, for --trusted-proxy. IPv4 is held as ::ffff:a.b.c.d so one
// comparison serves both families.
struct AddressRange {
  std::array<unsigned char, 16> network{};
  int prefix_bits = 128;
};

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
  int workers = 16;     // upstream calls in flight at once (connections are event-driven)
  int queue = 64;
  int io_threads = 0;          // event loops, one thread each; 0: one per core this process may use
  int head_timeout_ms = 5000;  // to receive a whole request head, however it is paced
  int client_timeout_ms = 10000;  // to receive a request's body
  int keep_alive_ms = 5000;       // idle time between requests on a connection
  int connect_timeout_ms = 3000;  // upstream TCP + TLS connect
  int read_timeout_ms = 10000;    // upstream: silence allowed while waiting for the answer
  int total_timeout_ms = 15000;   // upstream: whole exchange
  std::size_t max_answer_bytes = 1 << 20;
  // The names the relay answers to, as a Host header carries them: "name" (any port) or
  // "name:port" (that port only). Any other Host gets 421, so a page on a DNS-rebinding name
  // cannot talk to a relay on a private network. parse_config fills the default: the listen
  // address (unless it is a wildcard), localhost and 127.0.0.1.
  std::vector<std::string> public_hosts;
  // Peers whose X-Forwarded-For (its last hop) names the client: the TLS terminator or load
  // balancer in front. Empty: every peer is the client.
  std::vector<AddressRange> trusted_proxies;
};

struct ConfigResult {
  std::optional<RelayConfig> config;
  bool show_help = false;
  std::string error;  // what was wrong and what to do, when config is empty and !show_help
};

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

ConfigResult parse_config(const std::vector<std::string>& args, const EnvLookup& env);

std::string help_text();

// "10.0.0.0/8", "192.168.1.7", "::1", "fd00::/8"; nullopt when it is none of these.
std::optional<AddressRange> parse_address_range(std::string_view text);

// Whether one Host header value names this relay (names compare without case; the value is
// trimmed of spaces and tabs; a port must be 1 to 65535 digits-only).
bool host_allowed(const RelayConfig& config, std::string_view host_header);
// The request's headers as received: exactly one Host, and host_allowed.
bool request_host_allowed(const RelayConfig& config, const HeaderList& headers);
// The value of the request's one Host header; nullopt when there is none, or more than one.
std::optional<std::string_view> single_host_header(const HeaderList& headers);

// The address rate limits and the log are keyed on. `peer_address` is the TCP peer; when it is
// in `trusted`, the last hop of X-Forwarded-For (every such header's values, joined in order) is
// believed if it is an address; otherwise, and from any other peer, the peer is the client.
std::string client_address(std::string_view peer_address,
                           const std::vector<std::string>& x_forwarded_for_values,
                           const std::vector<AddressRange>& trusted);

// The actions the console uses (mirrors core/actions.h); the default allow-list.
const std::vector<std::string>& default_actions();

}  // namespace dypls::relay
