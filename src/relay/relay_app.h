// The relay's HTTP edge: wires the pure decisions (admission, CORS, rate limit, static files,
// logging) to httplib. Owns the server, the upstream pool and the rate limiter.
#pragma once
#include <memory>
#include <mutex>
#include <string>

#include "relay/connection_server.h"
#include "relay/rate_limiter.h"
#include "relay/relay_config.h"
#include "relay/upstream_pool.h"

namespace dypls::relay {

class RelayApp {
 public:
  explicit RelayApp(RelayConfig config);
  // Binds; returns the port (useful with port 0), or -1 with `error` set.
  int bind(std::string& error);
  // Serves until stop(); in-flight requests are finished before it returns.
  void run();
  void stop();

 private:
  void install_handlers();
  std::string next_request_id();

  RelayConfig config_;
  ConnectionServer server_;
  UpstreamPool upstream_;
  std::mutex limiter_mutex_;
  RateLimiter limiter_;
  std::mutex log_mutex_;
  std::string id_prefix_;
};

}  // namespace dypls::relay
