// dypls-sandbox: the Dyplsapi emulator as a server. Reads flags, loads or seeds the state,
// listens, prints the listening line first, and serves until SIGINT/SIGTERM.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

#include "sandbox/http_server.h"
#include "sandbox/options.h"
#include "sandbox/state_codec.h"

namespace {

using dypls::sandbox::SandboxOptions;
using dypls::sandbox::SandboxState;

// Loads the saved state, or seeds a fresh one; then applies --account and --pool.
std::unique_ptr<SandboxState> prepare_state(const SandboxOptions& options,
                                            dypls::sandbox::StateFile* file, bool& demo) {
  std::unique_ptr<SandboxState> state;
  if (file != nullptr) {
    std::string error;
    const auto document = file->load(error);
    if (!error.empty()) {
      std::cerr << "dypls-sandbox: " << error << "\n";
      return nullptr;
    }
    if (document) {
      state = dypls::sandbox::decode_state(*document, error);
      if (!state) {
        std::cerr << "dypls-sandbox: " << file->path() << ": " << error << "\n";
        return nullptr;
      }
      if (options.seed && *options.seed != state->seed) {
        std::cerr << "dypls-sandbox: note: " << file->path() << " was seeded with " << state->seed
                  << "; --seed " << *options.seed << " is ignored\n";
      }
      if (!options.stock.empty()) {
        std::cerr << "dypls-sandbox: note: --stock is ignored when a saved state is loaded\n";
      }
    }
  }
  if (!state) {
    const std::uint64_t seed = options.seed ? *options.seed : std::random_device{}();
    state = std::make_unique<SandboxState>(seed, options.stock);
  }
  for (const auto& account : options.accounts) {
    state->keys.add_account(account.key_id, account.secret, state->rng);
  }
  for (const auto& pool : options.pools) state->inventory.add_pool(pool);
  demo = options.accounts.empty() && options.pools.empty();
  if (demo && state->keys.accounts().empty()) {
    state->keys.add_account("LTAI5tSandbox" + state->rng.text(11, dypls::sandbox::kAlphanumeric),
                            state->rng.text(30, dypls::sandbox::kAlphanumeric), state->rng);
  }
  if (demo && state->inventory.pools().empty()) {
    state->inventory.add_pool("FC" + state->rng.digits(15));
  }
  return state;
}

void print_demo(const SandboxState& state, const std::string& url) {
  const auto& account = state.keys.accounts().front();
  std::cout << "\nSandbox demo account (works only against this sandbox):\n"
            << "  AccessKeyId:     " << account.key_id << "\n"
            << "  AccessKeySecret: " << account.secret << "\n"
            << "  PoolKey:         " << *state.inventory.pools().begin() << "\n"
            << "Temporary (STS) credentials: GET " << url << "/sandbox/assume-role\n"
            << "State: GET " << url << "/sandbox/state   seed: " << state.seed << "\n"
            << std::flush;
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed =
      dypls::sandbox::parse_options(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed.options) {
    std::cerr << "dypls-sandbox: " << parsed.error << "\n";
    return 2;
  }
  const SandboxOptions& options = *parsed.options;
  if (options.help) {
    std::cout << dypls::sandbox::usage();
    return 0;
  }

  // Signals are taken by one thread with sigwait, so stopping never runs inside a handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  (void)std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill us

  std::unique_ptr<dypls::sandbox::StateFile> file;
  if (!options.state_file.empty()) {
    file = std::make_unique<dypls::sandbox::StateFile>(options.state_file);
  }
  bool demo = false;
  std::unique_ptr<SandboxState> state = prepare_state(options, file.get(), demo);
  if (!state) return 1;
  const bool print_demo_account = demo;
  dypls::sandbox::Sandbox sandbox(std::move(state), options.auth, options.faults);

  dypls::sandbox::HttpServer server(
      sandbox, file.get(), options.threads,
      [](const std::string& line) { std::cerr << "dypls-sandbox: " << line << "\n"; });
  std::string error;
  const int port = server.bind(options.host, options.port, error);
  if (port < 0) {
    std::cerr << "dypls-sandbox: " << error << "\n";
    return 1;
  }
  const std::string url = "http://" + options.host + ":" + std::to_string(port);
  std::cout << "dypls-sandbox listening on " << url << std::endl;
  if (file) {
    // Save what was loaded or seeded (and the flags' additions) before the first request.
    std::uint64_t version = 0;
    const auto document = sandbox.snapshot(version);
    if (!file->save(document, version, error)) std::cerr << "dypls-sandbox: " << error << "\n";
  }
  if (print_demo_account) {
    std::uint64_t ignored = 0;
    std::string decode_error;
    const auto copy = dypls::sandbox::decode_state(sandbox.snapshot(ignored), decode_error);
    if (copy) print_demo(*copy, url);
  }
  if (!options.auth.check_nonce) {
    std::cerr << "dypls-sandbox: warning: --no-nonce-check: repeated nonces are accepted "
                 "(load testing only)\n";
  }

  // On SIGINT/SIGTERM: stop accepting, save once more for anything that raced the signal, and
  // leave, without waiting for kept-alive connections to time out;
  // every change is already on disk.
  std::thread stopper([&server, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server.stop();
    server.save_now();
    std::cout.flush();
    std::cerr.flush();
    std::_Exit(0);
  });
  stopper.detach();
  server.run();  // returns only if serving fails; a signal ends the process in the stopper
  std::cerr << "dypls-sandbox: the server stopped unexpectedly\n";
  server.save_now();
  std::_Exit(1);
}
