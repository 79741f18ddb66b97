// dypls-sign: with no options, signs one JSON request per stdin line (see docs/design.md);
// with options, signs one request described by flags and prints every stage and a curl command.
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/fresh_context.h"
#include "cli/human_mode.h"
#include "cli/sign_json.h"

namespace {

constexpr std::size_t kMaxLineBytes = 1 << 20;

constexpr const char* kUsage = R"(usage:
  dypls-sign [--json] < requests.jsonl
      One JSON request per line in, one JSON answer per line out, in order:
      {"method":"GET|POST","style":"v1|v3","accessKeyId":"...","accessKeySecret":"...",
       "securityToken":null,"action":"BuySecretNo","version":"2017-05-25",
       "endpoint":"dyplsapi.aliyuncs.com","nonce":"...","timestamp":"2026-11-28T06:52:17Z",
       "params":{"City":"杭州","SpecId":1,"DisplayPool":false},"id":"optional, echoed"}
      method defaults to POST, style to v1; nonce and timestamp default to fresh values.
      A line that cannot be signed gets {"error":"..."} and the next line goes on.

  dypls-sign --action ACTION [--param NAME=VALUE]... [--style v1|v3] [--method GET|POST]
             [--key-id ID] [--endpoint HOST[:PORT]] [--version V] [--timestamp T] [--nonce N]
      Prints each signing stage and a ready curl command.
      The secret comes from ALIBABA_CLOUD_ACCESS_KEY_SECRET or the first line of stdin, never
      from a flag. The key id may come from ALIBABA_CLOUD_ACCESS_KEY_ID, an STS token from
      ALIBABA_CLOUD_SECURITY_TOKEN.
)";

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// Reads stdin line by line without ever holding more than kMaxLineBytes of one line.
int run_json_lines() {
  std::string line;
  bool too_long = false;
  auto finish_line = [&]() {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string answer =
        too_long ? std::string(R"({"error":"line longer than 1 MiB: one request per line"})")
                 : dypls::cli::sign_json_line(line, dypls::cli::fresh_context());
    std::cout << answer << '\n';
    // A caller may wait for each answer before writing the next request: flush whenever no more
    // input is already waiting.
    if (std::cin.rdbuf()->in_avail() <= 0) std::cout.flush();
    line.clear();
    too_long = false;
  };
  bool pending = false;
  std::streambuf* input = std::cin.rdbuf();
  for (int c = input->sbumpc(); c != std::char_traits<char>::eof() && std::cout;
       c = input->sbumpc()) {
    if (c == '\n') {
      finish_line();
      pending = false;
      continue;
    }
    pending = true;
    if (line.size() < kMaxLineBytes) {
      line.push_back(static_cast<char>(c));
    } else {
      too_long = true;
    }
  }
  if (pending) finish_line();
  std::cout.flush();
  return std::cout ? 0 : 1;  // a closed stdout is worth a non-zero status
}

// At a terminal, asks for the secret without echoing it.
std::string prompt_secret() {
  std::cerr << "AccessKeySecret (not shown): " << std::flush;
  termios saved{};
  bool hidden = tcgetattr(STDIN_FILENO, &saved) == 0;
  if (hidden) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    hidden = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
  }
  std::string secret;
  std::getline(std::cin, secret);
  if (hidden) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  std::cerr << "\n";
  return secret;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);  // buffered stdin/stdout; we never mix in C stdio
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || (args.size() == 1 && args[0] == "--json")) return run_json_lines();
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
  }
  dypls::cli::HumanEnvironment env;
  env.key_id = env_or_empty("ALIBABA_CLOUD_ACCESS_KEY_ID");
  env.secret = env_or_empty("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
  if (env.secret.empty() && isatty(STDIN_FILENO) == 1) env.secret = prompt_secret();
  env.security_token = env_or_empty("ALIBABA_CLOUD_SECURITY_TOKEN");
  env.fresh = dypls::cli::fresh_context();
  return dypls::cli::run_human_mode(args, env, std::cin, std::cout, std::cerr);
}
