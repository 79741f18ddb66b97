#include "http/io_loops.h"

#include <sched.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <thread>

namespace dypls::http {

IoLoops::IoLoops(int count) {
  for (int i = 0; i < std::max(1, count); ++i) {
    // One thread runs each context: the hint lets Asio skip its internal locking.
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
  }
}

IoLoops::~IoLoops() = default;

void IoLoops::post(std::size_t loop, std::function<void()> task) {
  boost::asio::post(*contexts_.at(loop < contexts_.size() ? loop : 0), std::move(task));
}

void IoLoops::run() {
  std::vector<std::thread> extra;
  for (std::size_t i = 1; i < contexts_.size(); ++i) {
    extra.emplace_back([context = contexts_[i].get()] { context->run(); });
  }
  contexts_.front()->run();
  for (auto& thread : extra) thread.join();
}

int IoLoops::cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

}  // namespace dypls::http
