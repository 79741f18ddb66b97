// dypls-relay: parse the configuration, bind, announce the address, serve until SIGTERM or
// SIGINT, then finish the requests in flight and exit.
#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "relay/relay_app.h"
#include "relay/relay_config.h"

int main(int argc, char** argv) {
  using namespace dypls::relay;

  // 1. Configuration from flags and DYPLS_RELAY_* variables.
  const std::vector<std::string> args(argv + 1, argv + argc);
  const ConfigResult parsed =
      parse_config(args, [](std::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
      });
  if (parsed.show_help) {
    std::fputs(help_text().c_str(), stdout);
    return 0;
  }
  if (!parsed.config) {
    std::fprintf(stderr, "dypls-relay: %s\n", parsed.error.c_str());
    return 2;
  }

  // 2. Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  // 3. Bind before announcing, so the announced port is real.
  RelayApp app(*parsed.config);
  std::string error;
  const int port = app.bind(error);
  if (port < 0) {
    std::fprintf(stderr, "dypls-relay: %s\n", error.c_str());
    return 1;
  }
  const auto& config = *parsed.config;
  const bool ipv6 = config.listen_host.find(':') != std::string::npos;
  std::printf("dypls-relay listening on http://%s%s%s:%d\n", ipv6 ? "[" : "",
              config.listen_host.c_str(), ipv6 ? "]" : "", port);
  std::fflush(stdout);
  std::fprintf(stderr, "dypls-relay: upstream %s, %zu actions, %zu extra origins%s%s\n",
               config.upstream.base_url().c_str(), config.admission.allowed_actions.size(),
               config.admission.allowed_origins.size(), config.sandbox ? ", sandbox mode" : "",
               config.static_dir.empty() ? "" : (", page from " + config.static_dir).c_str());

  // 4. Serve; a stop signal closes the listener and the workers drain.
  std::thread stopper([&app, stop_signals] {
    int received = 0;
    sigwait(&stop_signals, &received);
    std::fprintf(stderr, "dypls-relay: signal %d, finishing requests in flight\n", received);
    app.stop();
  });
  app.run();
  std::fprintf(stderr, "dypls-relay: stopped\n");
  // The stopper has already returned unless run() ended on its own (listener failure).
  if (stopper.joinable()) {
    pthread_kill(stopper.native_handle(), SIGTERM);
    stopper.join();
  }
  return 0;
}
