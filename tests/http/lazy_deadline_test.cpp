#include "http/lazy_deadline.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

namespace dypls::http {
namespace {

using Clock = LazyDeadline::Clock;
using std::chrono::milliseconds;

// What the server and the upstream client do with one: a shared owner holding the deadline.
struct Owner : std::enable_shared_from_this<Owner> {
  explicit Owner(boost::asio::io_context& io)
      : deadline(io.get_executor(), [this] {
          ++expiries;
          expired_at = Clock::now();
        }) {}
  LazyDeadline deadline;
  int expiries = 0;
  Clock::time_point expired_at;
};

TEST(LazyDeadline, ExpiresOnceWhenItsTimePasses) {
  boost::asio::io_context io;
  auto owner = std::make_shared<Owner>(io);
  const auto start = Clock::now();
  owner->deadline.arm(start + milliseconds(20), *owner);
  io.run();
  EXPECT_EQ(owner->expiries, 1);
  EXPECT_GE(owner->expired_at - start, milliseconds(20));
  EXPECT_FALSE(owner->deadline.armed());
}

TEST(LazyDeadline, MovedLaterItExpiresAtTheLaterTime) {
  boost::asio::io_context io;
  auto owner = std::make_shared<Owner>(io);
  const auto start = Clock::now();
  owner->deadline.arm(start + milliseconds(10), *owner);
  owner->deadline.arm(start + milliseconds(60), *owner);  // only noted: the timer sleeps on
  io.run();
  EXPECT_EQ(owner->expiries, 1);
  EXPECT_GE(owner->expired_at - start, milliseconds(60));
}

TEST(LazyDeadline, MovedEarlierItExpiresAtTheEarlierTime) {
  boost::asio::io_context io;
  auto owner = std::make_shared<Owner>(io);
  const auto start = Clock::now();
  owner->deadline.arm(start + milliseconds(5000), *owner);
  owner->deadline.arm(start + milliseconds(10), *owner);
  io.run();  // would take 5 s if the first wait still decided
  EXPECT_EQ(owner->expiries, 1);
  EXPECT_LT(owner->expired_at - start, milliseconds(4000));
}

TEST(LazyDeadline, DisarmedItDoesNotExpireAndCanBeArmedAgain) {
  boost::asio::io_context io;
  auto owner = std::make_shared<Owner>(io);
  owner->deadline.arm(Clock::now() + milliseconds(10), *owner);
  owner->deadline.disarm();
  boost::asio::steady_timer later(io, milliseconds(40));
  later.async_wait([&](boost::system::error_code) {
    EXPECT_EQ(owner->expiries, 0);
    owner->deadline.arm(Clock::now() + milliseconds(10), *owner);
  });
  io.run();
  EXPECT_EQ(owner->expiries, 1);
}

TEST(LazyDeadline, CancelledItLetsItsOwnerGoAndNeverExpires) {
  boost::asio::io_context io;
  auto owner = std::make_shared<Owner>(io);
  std::weak_ptr<Owner> watch = owner;
  owner->deadline.arm(Clock::now() + milliseconds(5000), *owner);
  EXPECT_EQ(owner.use_count(), 2);  // the pending wait holds it
  boost::asio::post(io, [&] {
    owner->deadline.cancel();
    owner->deadline.arm(Clock::now() + milliseconds(1), *owner);  // ignored after cancel()
    owner.reset();
  });
  const auto start = Clock::now();
  io.run();
  EXPECT_TRUE(watch.expired());
  EXPECT_LT(Clock::now() - start, milliseconds(4000));
}

}  // namespace
}  // namespace dypls::http
