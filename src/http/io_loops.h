// A fixed set of event loops, one thread each, shared by a server and the upstream client it
// calls: a connection and the upstream exchanges it starts run on the same loop, so a request
// never changes threads (no wake-up or lock per hand-off), as in nginx's worker processes.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace dypls::http {

class IoLoops {
 public:
  explicit IoLoops(int count);
  ~IoLoops();
  IoLoops(const IoLoops&) = delete;
  IoLoops& operator=(const IoLoops&) = delete;

  std::size_t size() const { return contexts_.size(); }
  boost::asio::io_context& at(std::size_t index) { return *contexts_.at(index); }
  // Runs `task` on that loop after what it has ready now (out of range: the first loop).
  void post(std::size_t loop, std::function<void()> task);
  // Runs every loop (the caller's thread runs the first) until each has no work left.
  void run();

  // Cores this process may use (at least 1): the default count.
  static int cores();

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
};

}  // namespace dypls::http
