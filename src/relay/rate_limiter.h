// Per-client token buckets. Time is an input (milliseconds on any monotonic clock), so the
// limiter is tested without sleeping. Not thread-safe: the edge holds a lock around it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dypls::relay {

struct RateLimit {
  double per_second = 5.0;          // refill rate; 0 turns the limiter off
  double burst = 20.0;              // bucket size
  std::size_t max_clients = 10000;  // memory bound: idle (full) buckets are dropped first
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  // Takes one token for `client` at `now_ms`. nullopt: allowed. Otherwise: whole seconds to wait
  // (at least 1) before a token is available, for Retry-After.
  std::optional<int> take(std::string_view client, std::int64_t now_ms);

  std::size_t tracked_clients() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t updated_ms = 0;
  };
  void refill(Bucket& bucket, std::int64_t now_ms) const;
  void evict(std::int64_t now_ms);

  RateLimit limit_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace dypls::relay
