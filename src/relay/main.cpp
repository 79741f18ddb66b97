// dypls-relay: parse the configuration, bind, announce the address, serve until SIGTERM or
// SIGINT, then finish the requests in flight and exit.
#include <pthread.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "relay/relay_app.h"
#include "relay/relay_config.h"

namespace {

void say(const std::string& line) {
  (void)std::fputs((line + "\n").c_str(), stderr);
}

}  // namespace

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
    (void)std::fputs(help_text().c_str(), stdout);
    return 0;
  }
  if (!parsed.config) {
    say("dypls-relay: " + parsed.error);
    return 2;
  }
  const RelayConfig& config = *parsed.config;

  // 2. Block the stop signals in every thread (threads inherit the mask); one thread waits.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  (void)std::signal(SIGPIPE, SIG_IGN);

  // 3. Bind before announcing, so the announced port is real.
  RelayApp app(config);
  std::string error;
  const int port = app.bind(error);
  if (port < 0) {
    say("dypls-relay: " + error);
    return 1;
  }
  const bool ipv6 = config.listen_host.find(':') != std::string::npos;
  (void)std::printf("dypls-relay listening on http://%s%s%s:%d\n", ipv6 ? "[" : "",
                    config.listen_host.c_str(), ipv6 ? "]" : "", port);
  (void)std::fflush(stdout);
  say("dypls-relay: upstream " + config.upstream.base_url() + ", " +
      std::to_string(config.admission.allowed_actions.size()) + " actions, " +
      std::to_string(config.admission.allowed_origins.size()) + " extra origins" +
      (config.sandbox ? ", sandbox mode" : "") +
      (config.static_dir.empty() ? "" : ", page from " + config.static_dir));

  // 4. Serve; a stop signal closes the listener, then the workers drain what is in flight.
  std::atomic<bool> serving{true};
  std::thread stopper([&app, &serving, stop_signals] {
    const timespec poll_interval{0, 200L * 1000 * 1000};
    while (serving) {
      const int received = sigtimedwait(&stop_signals, nullptr, &poll_interval);
      if (received > 0) {
        say("dypls-relay: signal " + std::to_string(received) + ", finishing requests in flight");
        app.stop();
        return;
      }
    }
  });
  app.run();
  serving = false;
  stopper.join();
  say("dypls-relay: stopped");
  return 0;
}
