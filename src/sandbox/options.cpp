#include "sandbox/options.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace dypls::sandbox {
namespace {

bool parse_integer(const std::string& text, long long low, long long high, long long& out) {
  if (text.empty() || text.size() > 19 ||
      !std::all_of(text.begin(), text.end(),
                   [](unsigned char c) { return std::isdigit(c) != 0; })) {
    return false;
  }
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
  if (errno != 0 || value > static_cast<unsigned long long>(high)) return false;
  out = static_cast<long long>(value);
  return out >= low;
}

bool parse_share(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && out >= 0.0 && out <= 1.0;
}

bool parse_listen(const std::string& text, std::string& host, int& port) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  long long value = 0;
  if (!parse_integer(text.substr(colon + 1), 0, 65535, value)) return false;
  host = text.substr(0, colon);
  port = static_cast<int>(value);
  return true;
}

}  // namespace

std::string usage() {
  return R"(dypls-sandbox: an emulator of Alibaba Cloud's Dyplsapi (privacy numbers) for demos and tests.

Usage: dypls-sandbox [options]
  --listen HOST:PORT        where to listen (default 127.0.0.1:8090; port 0 picks a free one)
  --account KEYID:SECRET    add an account with this long-term key (repeatable)
  --pool POOLKEY            add a pool every account may use (repeatable)
      With neither --account nor --pool, a demo account and pool are created and printed.
  --seed N                  make stock, numbers and ids reproducible (default: random)
  --state FILE              load state from FILE if present; save it there after every change
  --stock SPEC:CITY:N       set the stock of one city and SpecId (e.g. 1:拉萨:2) (repeatable)
  --latency-ms N            fault: add N ms before every API answer
  --error-rate R            fault: answer a share R (0..1) of API calls 500 InternalError
  --throttle-rate R         fault: answer a share R of API calls 400 Throttling.User
  --drop-after-commit R     fault: for a share R of purchases, buy the number, then drop the
                            connection without answering
  --no-nonce-check          accept a repeated SignatureNonce (load tests replaying one request)
  --threads N               worker threads for API calls (default 32)
  --help                    this text

API at "/": V1 (query or form) and V3 (ACS3-HMAC-SHA256) signed calls of QuerySecretNoRemain,
BuySecretNo, ReleaseSecretNo, QuerySecretNoDetail, LockSecretNo and UnlockSecretNo.
Extras: GET /sandbox/assume-role[?DurationSeconds=N], GET /sandbox/state,
POST /sandbox/faults {"latencyMs","errorRate","throttleRate","dropAfterCommit"},
POST /sandbox/bind?PoolKey=..&SecretNo=..[&Bound=false].
)";
}

ParsedOptions parse_options(const std::vector<std::string>& args) {
  SandboxOptions options;
  ParsedOptions result;
  const auto fail = [&](std::string message) {
    result.error = std::move(message) + " (see --help)";
    return result;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      options.help = true;
      continue;
    }
    if (flag == "--no-nonce-check") {
      options.auth.check_nonce = false;
      continue;
    }
    if (flag.rfind("--", 0) != 0) return fail("unexpected argument \"" + flag + "\"");
    if (i + 1 >= args.size()) return fail(flag + " needs a value");
    const std::string& value = args[++i];
    long long number = 0;
    if (flag == "--listen") {
      if (!parse_listen(value, options.host, options.port)) {
        return fail("--listen wants HOST:PORT such as 127.0.0.1:8090, got \"" + value + "\"");
      }
    } else if (flag == "--account") {
      const std::size_t colon = value.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) {
        return fail("--account wants KEYID:SECRET, both non-empty");
      }
      options.accounts.push_back({value.substr(0, colon), value.substr(colon + 1)});
    } else if (flag == "--pool") {
      if (value.empty()) return fail("--pool wants a PoolKey such as FC100000000000001");
      options.pools.push_back(value);
    } else if (flag == "--seed") {
      if (!parse_integer(value, 0, 0x7FFFFFFFFFFFFFFFLL, number)) {
        return fail("--seed wants a non-negative integer, got \"" + value + "\"");
      }
      options.seed = static_cast<std::uint64_t>(number);
    } else if (flag == "--state") {
      if (value.empty()) return fail("--state wants a file name");
      options.state_file = value;
    } else if (flag == "--stock") {
      const std::size_t first = value.find(':');
      const std::size_t last = value.rfind(':');
      long long spec = 0;
      long long amount = 0;
      if (first == std::string::npos || first == last ||
          !parse_integer(value.substr(0, first), kMinSpecId, kMaxSpecId, spec) ||
          !parse_integer(value.substr(last + 1), 0, 50000, amount) || last == first + 1) {
        return fail("--stock wants SPEC:CITY:N with SpecId 1-3 and N from 0 to 50000, got \"" +
                    value + "\"");
      }
      options.stock.push_back(
          {static_cast<int>(spec), value.substr(first + 1, last - first - 1), amount});
    } else if (flag == "--latency-ms") {
      if (!parse_integer(value, 0, 60000, number)) {
        return fail("--latency-ms wants milliseconds from 0 to 60000");
      }
      options.faults.latency_ms = static_cast<int>(number);
    } else if (flag == "--error-rate" || flag == "--throttle-rate" ||
               flag == "--drop-after-commit") {
      double share = 0;
      if (!parse_share(value, share)) return fail(flag + " wants a share from 0 to 1");
      (flag == "--error-rate"      ? options.faults.error_rate
       : flag == "--throttle-rate" ? options.faults.throttle_rate
                                   : options.faults.drop_after_commit) = share;
    } else if (flag == "--threads") {
      if (!parse_integer(value, 1, 256, number)) return fail("--threads wants 1 to 256");
      options.threads = static_cast<int>(number);
    } else {
      return fail("unknown option " + flag);
    }
  }
  result.options = std::move(options);
  return result;
}

}  // namespace dypls::sandbox
