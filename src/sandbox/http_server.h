// The HTTP edge: binds cpp-httplib to a Sandbox, converts requests and replies, sleeps for the
// injected latency, drops connections when told to, and saves state after changes.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "sandbox/sandbox.h"
#include "sandbox/state_file.h"

namespace httplib {
class Server;
}

namespace dypls::sandbox {

class HttpServer {
 public:
  // `state_file` may be null (nothing is saved). `log` receives one line per failure to save.
  HttpServer(Sandbox& sandbox, StateFile* state_file, int threads,
             std::function<void(const std::string&)> log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Returns the bound port (useful with port 0), or -1 with `error` set.
  int bind(const std::string& host, int port, std::string& error);
  // Serves until stop(); returns false if the loop could not run.
  bool run();
  void stop();
  // Saves the state now (no-op without a state file).
  void save_now() { persist(); }

 private:
  void install_routes();
  void persist();

  Sandbox& sandbox_;
  StateFile* state_file_;
  std::function<void(const std::string&)> log_;
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace dypls::sandbox
