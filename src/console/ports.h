// The console's edges as small interfaces, so the whole flow runs natively with fakes in tests.
// The browser implementations live in src/platform/.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// The tab's sessionStorage: the credentials only when the person opts in to "remember in this
// tab", and the tab's activity history (no secrets), so a reload keeps both.
class Storage {
 public:
  virtual ~Storage() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
  virtual void set(const std::string& key, const std::string& value) = 0;
  virtual void remove(const std::string& key) = 0;
};

// localStorage: shared by every tab of the browser profile and kept across reloads. It holds the
// purchase ledger (ledger.h), never a secret.
class DurableStorage {
 public:
  virtual ~DurableStorage() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
  // False when the value was not stored (storage full or disabled): the caller must not go on
  // as if it were recorded.
  virtual bool set(const std::string& key, const std::string& value) = 0;
  virtual void remove(const std::string& key) = 0;
  // Every (key, value) whose key starts with `prefix`, in no particular order.
  virtual std::vector<std::pair<std::string, std::string>> entries(const std::string& prefix) = 0;
  // Counts changes other tabs made (storage events): a new value means "read the ledger again".
  virtual std::uint64_t outside_changes() = 0;
};

// kAsked: asked for, and the browser has not answered yet (not known to be held elsewhere);
// kWaiting: another tab holds it.
enum class LockState { kHeld, kAsked, kWaiting };

// What a tab can see of a lock without asking for it: held by another tab, free, or not known
// yet; and since when (this page's clock) it has been seen so.
enum class LockPeek { kNotKnown, kHeldElsewhere, kFree };
struct LockView {
  LockPeek state = LockPeek::kNotKnown;
  std::int64_t since_ms = 0;
};

// One purchase at a time across the tabs of a browser profile: navigator.locks, or a lease in
// localStorage with an expiry where that is missing. Released when the tab goes away.
class PurchaseLock {
 public:
  virtual ~PurchaseLock() = default;
  // Asks for the lock `name`; ask again (each frame) until kHeld. Held until release().
  virtual LockState acquire(const std::string& name) = 0;
  // Releases it, or gives up waiting for it.
  virtual void release(const std::string& name) = 0;
  // Looks at the lock `name` without asking for it (it may answer what it saw last, and look
  // again in the background). Its holder being another tab tells a purchase in flight there from
  // one a closed tab left behind.
  virtual LockView peek(const std::string& name) = 0;
};

}  // namespace dypls::console
