// The relay's HTTP edge: routes each request to the pure decisions (admission, CORS, rate
// limit, static files, log lines) and to the upstream. Owns the server (dypls_http), the upstream
// pool, the rate limiter and the page's files.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "http/io_loops.h"
#include "http/server.h"
#include "relay/admission.h"
#include "relay/page_files.h"
#include "relay/rate_limiter.h"
#include "relay/relay_config.h"
#include "relay/relay_error.h"
#include "relay/upstream_pool.h"

namespace dypls::relay {

class RelayApp : public http::Handler {
 public:
  explicit RelayApp(RelayConfig config);
  // Binds; returns the port (useful with port 0), or -1 with `error` set.
  int bind(std::string& error);
  // Serves until stop(); in-flight requests are finished before it returns.
  void run();
  void stop();

  // http::Handler: everything but an upstream call is answered from the head, before any body is
  // read; the upstream calls go through handle().
  std::optional<http::Response> on_head(http::Request& head) override;
  void handle(http::Request request, std::function<void(http::Response)> respond) override;
  http::Response on_problem(http::Problem problem, const http::Request& head,
                            const std::string& detail) override;

 private:
  // What the log line and the answer's headers need to know about one request.
  struct Trace {
    std::string action;
    std::string key_id;
    std::string request_id;
    std::string relay_code;
    std::optional<int> upstream_status;
  };
  using Respond = std::function<void(http::Response)>;

  http::Response answer_preflight_request(const http::Request& req, Trace& trace);
  http::Response answer_relay_config() const;
  void forward(http::Request&& req, const std::string& method, ForwardPlan&& plan, Trace&& trace,
               Respond&& respond);
  http::Response refusal_answer(const Refusal& refusal, Trace& trace);
  // Every answer: Date, Cache-Control, CORS (on errors too, unless `cors` is false: a foreign
  // Host); then the log line.
  http::Response finish(const http::Request& req, const Trace& trace, http::Response res,
                        bool cors = true);
  void log(const http::Request& req, const Trace& trace, const http::Response& res);
  void flush_log(std::size_t loop);
  void flush_logs();
  std::optional<Refusal> take_rate_token(const http::Request& req);
  // request_host_allowed, remembering per loop the last Host value found allowed (a kept-alive
  // connection's requests, the same client's, carry the same one).
  bool host_allowed_here(const http::Request& req);
  std::string next_request_id();

  RelayConfig config_;
  std::shared_ptr<http::IoLoops> loops_;  // the server's and the upstream exchanges'
  UpstreamPool upstream_;
  PageFiles page_;
  std::mutex limiter_mutex_;
  RateLimiter limiter_;
  // Lines not yet written (see log()), one buffer per event loop: the loops do not contend for
  // a lock on every request. The mutex is for the final flush, from another thread.
  struct LogBuffer {
    std::mutex mutex;
    std::string lines;
    std::chrono::steady_clock::time_point last_write;
    std::unique_ptr<boost::asio::steady_timer> timer;  // on the buffer's loop: a paced write
  };
  // On `loop`: writes its lines now, or when kLogPace has passed since its last write.
  void write_log_soon(std::size_t loop);
  std::vector<LogBuffer> log_buffers_;
  std::vector<std::string> allowed_host_;  // per loop: touched only on its thread
  std::string id_prefix_;
  http::Server server_;  // last: stopped and destroyed before what its handlers use
};

}  // namespace dypls::relay
