#include "relay/connection_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

namespace dypls::relay {
namespace {

using Clock = std::chrono::steady_clock;

thread_local bool tl_shedding = false;
thread_local bool tl_close_after = false;

int ms_until(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<long long>(0, left));
}

// Waits for `events` on `sock` for up to `timeout_ms`; true when ready.
bool wait_for(socket_t sock, short events, int timeout_ms) {
  pollfd pfd{sock, events, 0};
  for (;;) {
    const int n = ::poll(&pfd, 1, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

void address_of(const sockaddr_storage& addr, std::string& ip, int& port) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &in->sin_addr, text.data(), text.size());
    port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text.data(), text.size());
    port = ntohs(in6->sin6_port);
  }
  ip = text.data();
}

// A socket stream whose reads stop at a deadline and after a byte budget, whatever the pace.
// One lives as long as its connection: httplib reads request lines a byte at a time, so reads
// go through a buffer, and bytes of a pipelined next request stay in it for the next one.
class DeadlineStream final : public httplib::Stream {
 public:
  DeadlineStream(socket_t sock, int write_timeout_ms)
      : sock_(sock), write_timeout_ms_(write_timeout_ms) {}

  // Each request gets its own deadline and budget.
  void start_request(Clock::time_point deadline, std::size_t budget) {
    deadline_ = deadline;
    budget_ = budget;
  }
  bool has_buffered() const { return offset_ < filled_; }

  bool is_readable() const override {
    return has_buffered() || wait_for(sock_, POLLIN, ms_until(deadline_));
  }
  bool is_writable() const override { return wait_for(sock_, POLLOUT, write_timeout_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    size = std::min(size, budget_);
    if (size == 0) return -1;
    if (!has_buffered()) {
      if (!is_readable()) return -1;
      ssize_t n = 0;
      do {
        n = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      offset_ = 0;
      filled_ = static_cast<std::size_t>(n);
    }
    size = std::min(size, filled_ - offset_);
    std::copy_n(buffer_.data() + offset_, size, ptr);
    offset_ += size;
    budget_ -= size;
    return static_cast<ssize_t>(size);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    for (;;) {
      const ssize_t n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      return n;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      address_of(addr, ip, port);
    }
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      address_of(addr, ip, port);
    }
  }

  socket_t socket() const override { return sock_; }

 private:
  socket_t sock_;
  int write_timeout_ms_;
  Clock::time_point deadline_ = Clock::now();
  std::size_t budget_ = 0;
  std::array<char, 4096> buffer_{};
  std::size_t offset_ = 0;
  std::size_t filled_ = 0;
};

}  // namespace

WorkerPool::WorkerPool(int workers, int queue_limit)
    : queue_limit_(static_cast<std::size_t>(std::max(1, queue_limit))) {
  for (int i = 0; i < std::max(1, workers); ++i) threads_.emplace_back([this] { work(false); });
  threads_.emplace_back([this] { work(true); });
}

WorkerPool::~WorkerPool() {
  shutdown();
}

void WorkerPool::enqueue(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (jobs_.size() < queue_limit_) {
      jobs_.push_back(std::move(fn));
    } else {
      shed_jobs_.push_back(std::move(fn));
    }
  }
  ready_.notify_all();
}

void WorkerPool::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

std::size_t WorkerPool::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_.size();
}

std::size_t WorkerPool::shed_waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return shed_jobs_.size();
}

bool WorkerPool::on_shedding_thread() {
  return tl_shedding;
}

void WorkerPool::work(bool shedding) {
  tl_shedding = shedding;
  auto& queue = shedding ? shed_jobs_ : jobs_;
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and everything queued has been served
      // Workers serve in arrival order. The shedding thread serves the newest first: a fresh
      // connection is the likeliest to be a live client with its request sent, while the oldest
      // in a flood are the idle ones.
      if (shedding) {
        job = std::move(queue.back());
        queue.pop_back();
      } else {
        job = std::move(queue.front());
        queue.pop_front();
      }
    }
    job();
  }
}

ConnectionServer::ConnectionServer(ConnectionLimits limits) : limits_(limits) {
  new_task_queue = [this] {
    auto* pool = new WorkerPool(limits_.workers, limits_.queue);
    pool_ = pool;
    return pool;
  };
  set_keep_alive_max_count(limits_.keep_alive_max_requests);
  set_keep_alive_timeout(std::max(1, limits_.keep_alive_ms / 1000));
  set_read_timeout(limits_.request_deadline_ms / 1000,
                   static_cast<time_t>(limits_.request_deadline_ms % 1000) * 1000);
  set_write_timeout(limits_.write_timeout_ms / 1000,
                    static_cast<time_t>(limits_.write_timeout_ms % 1000) * 1000);
}

void ConnectionServer::close_after_this_response() {
  tl_close_after = true;
}
bool ConnectionServer::closing_after_this_response() {
  return tl_close_after;
}

std::size_t ConnectionServer::waiting_connections() const {
  WorkerPool* pool = pool_;
  return pool != nullptr ? pool->waiting() : 0;
}

std::size_t ConnectionServer::shed_connections() const {
  WorkerPool* pool = pool_;
  return pool != nullptr ? pool->shed_waiting() : 0;
}

bool ConnectionServer::tune_listener(int backlog) {
  const socket_t listener = svr_sock_;
  if (listener == INVALID_SOCKET) return false;
  // Hand a connection to accept() only once its first bytes arrived: idle connections then
  // cost no worker at all.
  const int defer_seconds = std::max(1, limits_.request_deadline_ms / 1000);
  const bool deferred = ::setsockopt(listener, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_seconds,
                                     sizeof defer_seconds) == 0;
  return ::listen(listener, backlog) == 0 && deferred;
}

bool ConnectionServer::process_and_close_socket(socket_t sock) {
  const bool shedding = WorkerPool::on_shedding_thread();
  // Shedding answers Relay.Busy to a client whose request is (nearly) there; in a flood, only to
  // those whose request has already arrived, so the shedding thread never falls behind.
  constexpr std::size_t kFloodBacklog = 32;
  const int shed_ms = shedding && shed_connections() > kFloodBacklog ? 0 : limits_.shed_deadline_ms;
  // httplib writes an answer's head and body separately: without this, Nagle holds the body
  // until the client's delayed ACK (up to 40 ms).
  const int on = 1;
  (void)::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  DeadlineStream stream(sock, limits_.write_timeout_ms);
  bool ok = false;
  for (std::size_t served = 0; served < limits_.keep_alive_max_requests; ++served) {
    // Stopping: every accepted connection still gets its one answer; none is kept alive.
    if (svr_sock_ == INVALID_SOCKET && served > 0) break;
    // Wait for the next request: a new connection gets the request deadline to start; a kept-
    // alive one gets the keep-alive time, cut short when others are waiting for a worker.
    const int idle_ms =
        served == 0 ? (shedding ? shed_ms : limits_.request_deadline_ms) : limits_.keep_alive_ms;
    const auto idle_until = Clock::now() + std::chrono::milliseconds(idle_ms);
    bool readable = stream.has_buffered();
    while (!readable) {
      if (served > 0 && waiting_connections() > 0) break;
      readable = wait_for(sock, POLLIN, std::min(100, ms_until(idle_until)));
      if (Clock::now() >= idle_until || (served > 0 && svr_sock_ == INVALID_SOCKET)) break;
    }
    if (!readable) break;

    tl_close_after = false;
    if (request_start_) request_start_();
    const int deadline_ms = shedding ? shed_ms : limits_.request_deadline_ms;
    stream.start_request(Clock::now() + std::chrono::milliseconds(deadline_ms),
                         limits_.request_byte_budget);
    const bool last =
        shedding || svr_sock_ == INVALID_SOCKET || served + 1 == limits_.keep_alive_max_requests;
    bool connection_closed = false;
    ok = process_request(stream, last, connection_closed, nullptr);
    if (!ok || connection_closed || tl_close_after || last) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace dypls::relay
