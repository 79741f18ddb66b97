#include "relay/upstream_pool.h"

#include <algorithm>
#include <utility>

#include "core/ascii_text.h"

namespace dypls::relay {
namespace {

// The answer headers the page may see; everything else (Set-Cookie, Location, hop-by-hop,
// the upstream's server details) stays behind.
bool passed_to_page(std::string_view name) {
  for (std::string_view allowed :
       {"content-type", "x-acs-request-id", "x-acs-retry-after", "retry-after"}) {
    if (iequals_ascii(name, allowed)) return true;
  }
  return false;
}

UpstreamFailure failure_of(http::ClientFailure failure) {
  switch (failure) {
    case http::ClientFailure::kNone:
      return UpstreamFailure::kNone;
    case http::ClientFailure::kConnect:
      return UpstreamFailure::kConnect;
    case http::ClientFailure::kTls:
      return UpstreamFailure::kTls;
    case http::ClientFailure::kWrite:
      return UpstreamFailure::kWrite;
    case http::ClientFailure::kRead:
      return UpstreamFailure::kRead;
    case http::ClientFailure::kDeadline:
      return UpstreamFailure::kDeadline;
    case http::ClientFailure::kTooLarge:
      return UpstreamFailure::kAnswerTooLarge;
    case http::ClientFailure::kBadAnswer:
      return UpstreamFailure::kBadAnswer;
  }
  return UpstreamFailure::kOther;
}

http::UpstreamTarget target_of(const RelayConfig& config) {
  http::UpstreamTarget target;
  target.tls = config.upstream.tls;
  target.host = config.upstream.host;
  target.port = config.upstream.port;
  target.ca_file = config.ca_file;
  return target;
}

http::ClientLimits limits_of(const RelayConfig& config) {
  http::ClientLimits limits;
  limits.connect_ms = config.connect_timeout_ms;
  limits.read_ms = config.read_timeout_ms;
  limits.total_ms = config.total_timeout_ms;
  limits.body_limit = config.max_answer_bytes;
  limits.max_idle = static_cast<std::size_t>(config.workers);
  return limits;
}

}  // namespace

UpstreamPool::UpstreamPool(const RelayConfig& config, std::shared_ptr<http::IoLoops> loops)
    : sign_host_(config.upstream.sign_host()),
      max_active_(static_cast<std::size_t>(std::max(1, config.workers))),
      max_waiting_(static_cast<std::size_t>(std::max(0, config.queue))),
      client_(target_of(config), limits_of(config), std::move(loops)) {}

bool UpstreamPool::saturated() const {
  return active_.load() >= max_active_ && waiting_count_.load() >= max_waiting_;
}

bool UpstreamPool::claim() {
  std::size_t active = active_.load();
  while (active < max_active_) {
    if (active_.compare_exchange_weak(active, active + 1)) return true;
  }
  return false;
}

bool UpstreamPool::send(std::string_view method, std::string path_and_query, HeaderList headers,
                        std::string body, bool idempotent, std::size_t loop,
                        std::shared_ptr<Call> call) {
  http::ClientRequest request;
  request.method = std::string(method);
  request.target = std::move(path_and_query);
  request.headers = std::move(headers);
  request.headers.emplace_back("Host", sign_host_);
  request.body = std::move(body);
  request.idempotent = idempotent;
  if (waiting_count_.load() == 0 && claim()) {
    start(std::move(request), loop, std::move(call));
    return true;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (waiting_.size() >= max_waiting_) return false;
    waiting_.push_back(
        [this, loop, request = std::move(request), call = std::move(call)]() mutable {
          start(std::move(request), loop, std::move(call));
        });
    waiting_count_.store(waiting_.size());
  }
  drain();  // a slot may have been freed since claim() found none
  return true;
}

void UpstreamPool::start(http::ClientRequest&& request, std::size_t loop,
                         std::shared_ptr<Call>&& call) {
  call->pool_ = this;
  client_.send(std::move(request), std::move(call), loop);
}

void UpstreamPool::Call::on_client_answer(http::ClientAnswer&& got) {
  UpstreamAnswer answer;
  answer.result.failure = failure_of(got.failure);
  answer.result.elapsed_ms = got.elapsed_ms;
  if (answer.result.failure == UpstreamFailure::kNone) {
    answer.result.status = got.status;
    // Filtered in their own list, which keeps its room for the headers added later.
    answer.headers = std::move(got.headers);
    answer.headers.erase(
        std::remove_if(answer.headers.begin(), answer.headers.end(),
                       [](const auto& field) { return !passed_to_page(field.first); }),
        answer.headers.end());
    answer.body = std::move(got.body);
  }
  pool_->finished();
  on_answer(std::move(answer));
}

// A call ended: its slot goes to the next waiting call, if any.
void UpstreamPool::finished() {
  active_.fetch_sub(1);
  drain();
}

void UpstreamPool::drain() {
  while (waiting_count_.load() > 0 && claim()) {
    std::function<void()> next;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!waiting_.empty()) {
        next = std::move(waiting_.front());
        waiting_.pop_front();
        waiting_count_.store(waiting_.size());
      }
    }
    if (next) {
      next();
    } else {
      active_.fetch_sub(1);  // someone else started it; look again
    }
  }
}

}  // namespace dypls::relay
