// One deadline per connection or exchange, on one timer, that is cheap to move later: every
// request moves it (head, body, idle, write...), and re-arming an Asio timer costs a cancel and a
// new wait each time. Here a later deadline only notes the time; the timer, still set earlier,
// wakes, sees the new deadline and sleeps again. When a deadline passes, `on_expiry` runs (on the
// timer's executor), usually closing the socket so that whatever was pending fails.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace dypls::http {

class LazyDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  LazyDeadline(const boost::asio::any_io_executor& executor, std::function<void()> on_expiry);

  // From now on the deadline is `when`. `owner` (whose member this is) is kept alive by the wait
  // when one has to start: its shared_from_this() is taken only then.
  template <class Owner>
  void arm(Clock::time_point when, Owner& owner) {
    if (note(when)) wait(owner.shared_from_this());
  }
  // No expiry until armed again (the timer may still wake, and sleeps on).
  void disarm() { armed_ = false; }
  // For good: the pending wait ends now and lets its owner go; on_expiry never runs again.
  void cancel();

  bool armed() const { return armed_; }
  Clock::time_point deadline() const { return deadline_; }

 private:
  // Records the deadline; true when the timer must be (re)started for it.
  bool note(Clock::time_point when);
  void wait(std::shared_ptr<const void> owner);

  boost::asio::steady_timer timer_;
  std::function<void()> on_expiry_;
  Clock::time_point deadline_;
  std::uint64_t generation_ = 0;  // a wait whose generation is stale was replaced: it does nothing
  bool armed_ = false;
  bool waiting_ = false;
  bool cancelled_ = false;
};

}  // namespace dypls::http
