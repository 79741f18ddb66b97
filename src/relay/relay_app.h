// The relay's HTTP edge: routes each request to the pure decisions (admission, CORS, rate
// limit, static files, log lines) and to the upstream. Owns the server, the upstream pool, the
// rate limiter and the page's files.
#pragma once
#include <mutex>
#include <optional>
#include <string>

#include "relay/admission.h"
#include "relay/connection_server.h"
#include "relay/page_files.h"
#include "relay/rate_limiter.h"
#include "relay/relay_config.h"
#include "relay/relay_error.h"
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
  using HandlerResponse = httplib::Server::HandlerResponse;

  void install_handlers();
  // Everything but a POST to /api/ is answered here, before any body is read.
  HandlerResponse route(const httplib::Request& req, httplib::Response& res);
  void answer_preflight_request(const httplib::Request& req, httplib::Response& res);
  // A POST to /api/, once its body (capped) has been read.
  void answer_api_post(const httplib::Request& req, httplib::Response& res);
  void answer_relay_config(httplib::Response& res) const;
  void forward(httplib::Response& res, const std::string& method, const ForwardPlan& plan,
               const std::string& body);
  void answer_refusal(httplib::Response& res, const Refusal& refusal);
  // The answer httplib produced itself (unparsable request, URI too long) has no body yet.
  HandlerResponse fill_error_body(httplib::Response& res);
  void finish_answer(const httplib::Request& req, httplib::Response& res) const;
  void log(const httplib::Request& req, const httplib::Response& res);
  std::optional<Refusal> take_rate_token(const httplib::Request& req);
  std::string next_request_id();

  RelayConfig config_;
  ConnectionServer server_;
  UpstreamPool upstream_;
  PageFiles page_;
  std::mutex limiter_mutex_;
  RateLimiter limiter_;
  std::mutex log_mutex_;
  std::string id_prefix_;
};

}  // namespace dypls::relay
