// The HTTP edge: binds dypls_http's server to a Sandbox, converts requests and replies, runs the
// API on a few worker threads (the injected latency sleeps there, not on the I/O thread), drops
// connections when told to, and saves state after changes.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "sandbox/sandbox.h"
#include "sandbox/state_file.h"

namespace dypls::sandbox {

class HttpServer : public http::Handler {
 public:
  // `state_file` may be null (nothing is saved). `log` receives one line per failure to save.
  HttpServer(Sandbox& sandbox, StateFile* state_file, int threads,
             std::function<void(const std::string&)> log);
  ~HttpServer() override;
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Returns the bound port (useful with port 0), or -1 with `error` set.
  int bind(const std::string& host, int port, std::string& error);
  // Serves until stop(); returns false if the loop could not run.
  bool run();
  void stop();
  // Saves the state now (no-op without a state file).
  void save_now() { persist(); }

  std::optional<http::Response> on_head(http::Request& head) override;
  void handle(http::Request request, std::function<void(http::Response)> respond) override;
  http::Response on_problem(http::Problem problem, const http::Request& head,
                            const std::string& detail) override;

 private:
  http::Response serve(const http::Request& req);
  void persist();
  void work();

  Sandbox& sandbox_;
  StateFile* state_file_;
  std::function<void(const std::string&)> log_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  http::Server server_;
};

}  // namespace dypls::sandbox
