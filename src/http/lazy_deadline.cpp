#include "http/lazy_deadline.h"

#include <utility>

namespace dypls::http {

LazyDeadline::LazyDeadline(const boost::asio::any_io_executor& executor,
                           std::function<void()> on_expiry)
    : timer_(executor), on_expiry_(std::move(on_expiry)) {}

bool LazyDeadline::note(Clock::time_point when) {
  if (cancelled_) return false;
  deadline_ = when;
  armed_ = true;
  return !(waiting_ && timer_.expiry() <= deadline_);
}

void LazyDeadline::wait(std::shared_ptr<const void> owner) {
  timer_.expires_at(deadline_);  // a wait already pending ends, its generation stale
  waiting_ = true;
  const auto generation = ++generation_;
  timer_.async_wait(
      [this, owner = std::move(owner), generation](boost::system::error_code ec) mutable {
        if (generation != generation_) return;
        waiting_ = false;
        if (ec || !armed_ || cancelled_) return;
        if (Clock::now() < deadline_) return wait(std::move(owner));
        armed_ = false;
        on_expiry_();
      });
}

void LazyDeadline::cancel() {
  cancelled_ = true;
  armed_ = false;
  ++generation_;
  timer_.cancel();  // its wait holds the owner
}

}  // namespace dypls::http
