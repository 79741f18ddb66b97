// httplib's server with the connection handling a public relay needs, which 0.11.4 lacks:
//  - a deadline for receiving each whole request (httplib's read timeout restarts on every byte,
//    so a client trickling a byte at a time would hold a worker forever: slowloris);
//  - a byte budget per request (httplib does not cap the number of header lines);
//  - a bounded queue of waiting connections; beyond it, connections are handed to a shedding
//    thread whose requests are answered Relay.Busy at once instead of waiting;
//  - idle kept-alive connections are closed early when others are waiting for a worker.
#pragma once
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dypls::relay {

struct ConnectionLimits {
  int workers = 16;
  int queue = 64;
  int request_deadline_ms = 10000;  // to receive one whole request
  int shed_deadline_ms = 200;       // a shed connection's time to send its request
  int keep_alive_ms = 5000;
  int write_timeout_ms = 10000;
  std::size_t request_byte_budget = std::size_t{64} * 1024;  // headers + body of one request
  std::size_t keep_alive_max_requests = 100;
};

// A fixed set of workers and a bounded queue; overflow goes to one shedding thread.
class WorkerPool : public httplib::TaskQueue {
 public:
  WorkerPool(int workers, int queue_limit);
  ~WorkerPool() override;
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  std::size_t waiting() const;
  std::size_t shed_waiting() const;
  // True on the shedding thread: the connection it serves gets Relay.Busy.
  static bool on_shedding_thread();

 private:
  void work(bool shedding);

  const std::size_t queue_limit_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::deque<std::function<void()>> shed_jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

class ConnectionServer : public httplib::Server {
 public:
  explicit ConnectionServer(ConnectionLimits limits);
  // Called before each request is read; the application resets its per-request state here.
  void set_request_start_hook(std::function<void()> hook) { request_start_ = std::move(hook); }
  // Set by a handler: close the connection after this answer (its body was not read).
  static void close_after_this_response();
  static bool closing_after_this_response();
  std::size_t waiting_connections() const;
  std::size_t shed_connections() const;
  // httplib 0.11.4 listens with a backlog of 5: a burst of clients would see SYNs dropped and
  // retried seconds later; Linux lets listen() be called again to raise it. Also defers accept
  // until a connection has data. Call after binding.
  bool tune_listener(int backlog);

 private:
  bool process_and_close_socket(socket_t sock) override;

  ConnectionLimits limits_;
  std::atomic<WorkerPool*> pool_{nullptr};
  std::function<void()> request_start_;
};

}  // namespace dypls::relay
