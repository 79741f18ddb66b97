#include "relay/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace dypls::relay {

void RateLimiter::refill(Bucket& bucket, std::int64_t now_ms) const {
  if (now_ms > bucket.updated_ms) {
    const double elapsed_s = static_cast<double>(now_ms - bucket.updated_ms) / 1000.0;
    bucket.tokens = std::min(limit_.burst, bucket.tokens + elapsed_s * limit_.per_second);
    bucket.updated_ms = now_ms;
  }
}

void RateLimiter::evict(std::int64_t now_ms) {
  // Full buckets carry no state worth keeping: dropping them forgets nothing.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now_ms);
    it = it->second.tokens >= limit_.burst ? buckets_.erase(it) : std::next(it);
  }
  // Still too many clients at once: drop the fullest ones, which is the least generous choice
  // for an attacker cycling addresses and harmless for real users.
  while (buckets_.size() >= limit_.max_clients && !buckets_.empty()) {
    auto fullest = std::max_element(
        buckets_.begin(), buckets_.end(),
        [](const auto& a, const auto& b) { return a.second.tokens < b.second.tokens; });
    buckets_.erase(fullest);
  }
}

std::optional<int> RateLimiter::take(std::string_view client, std::int64_t now_ms) {
  if (limit_.per_second <= 0) return std::nullopt;
  auto it = buckets_.find(std::string(client));
  if (it == buckets_.end()) {
    if (buckets_.size() >= limit_.max_clients) evict(now_ms);
    it = buckets_.emplace(std::string(client), Bucket{limit_.burst, now_ms}).first;
  }
  Bucket& bucket = it->second;
  refill(bucket, now_ms);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait_s = (1.0 - bucket.tokens) / limit_.per_second;
  return std::max(1, static_cast<int>(std::ceil(wait_s)));
}

}  // namespace dypls::relay
