// The console's edges as small interfaces, so the whole flow runs natively with fakes in tests.
// The browser implementations live in src/platform/.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/signer.h"

namespace dypls::console {

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  HeaderList headers;
  std::string body;
  int timeout_ms = 20000;
};

struct HttpResponse {
  int status = 0;      // 0: no answer at all (network error, timeout, CORS refusal)
  HeaderList headers;  // names lower-case
  std::string body;
  std::string transport_error;  // set when status is 0

  // The value of a header (name lower-case), if present.
  std::optional<std::string> header(std::string_view name) const;
};

using ResponseHandler = std::function<void(const HttpResponse&)>;

// Sends one request and calls `done` exactly once, later (never re-entrantly inside send()).
class Transport {
 public:
  virtual ~Transport() = default;
  virtual void send(HttpRequest request, ResponseHandler done) = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now_ms() const = 0;  // Unix epoch milliseconds
};

// Fresh, unpredictable signature nonces (crypto-random in the browser).
class NonceSource {
 public:
  virtual ~NonceSource() = default;
  virtual std::string next() = 0;
};

// The tab's sessionStorage: used only when the person opts in to "remember in this tab".
class Storage {
 public:
  virtual ~Storage() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
  virtual void set(const std::string& key, const std::string& value) = 0;
  virtual void remove(const std::string& key) = 0;
};

}  // namespace dypls::console
