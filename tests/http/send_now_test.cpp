#include "http/send_now.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <string>

namespace dypls::http {
namespace {

// A connected pair of stream sockets, closed at the end.
struct Pair {
  Pair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds.data()), 0); }
  ~Pair() {
    for (const int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }
  Pair(const Pair&) = delete;
  Pair& operator=(const Pair&) = delete;
  std::string read_all() const {
    std::string out;
    std::array<char, 4096> chunk{};
    for (;;) {
      const ssize_t n = ::recv(fds[1], chunk.data(), chunk.size(), MSG_DONTWAIT);
      if (n <= 0) return out;
      out.append(chunk.data(), static_cast<std::size_t>(n));
    }
  }
  std::array<int, 2> fds{-1, -1};
};

TEST(SendNow, SendsBothPartsInOrderInOneCall) {
  Pair pair;
  boost::system::error_code ec;
  EXPECT_EQ(send_now(pair.fds[0], "HTTP/1.1 200 OK\r\n\r\n", "body", ec), 23U);
  EXPECT_FALSE(ec);
  EXPECT_EQ(pair.read_all(), "HTTP/1.1 200 OK\r\n\r\nbody");
}

TEST(SendNow, EmptyPartsAreSkipped) {
  Pair pair;
  boost::system::error_code ec;
  EXPECT_EQ(send_now(pair.fds[0], "", "only", ec), 4U);
  EXPECT_EQ(send_now(pair.fds[0], "", "", ec), 0U);
  EXPECT_FALSE(ec);
  EXPECT_EQ(pair.read_all(), "only");
}

// A full send buffer is a short count (the rest goes by an async write), never an error and
// never a wait.
TEST(SendNow, AFullSocketTakesPartWithoutWaitingOrFailing) {
  Pair pair;
  const std::string big(std::size_t{8} << 20, 'x');
  boost::system::error_code ec;
  const std::size_t first = send_now(pair.fds[0], big, "", ec);
  EXPECT_FALSE(ec);
  EXPECT_GT(first, 0U);
  EXPECT_LT(first, big.size());
  EXPECT_EQ(send_now(pair.fds[0], big, "", ec), 0U);  // nothing more fits until the peer reads
  EXPECT_FALSE(ec);
}

// A peer that left is an error code, not a SIGPIPE that ends the process.
TEST(SendNow, APeerThatLeftIsAnError) {
  Pair pair;
  ::close(pair.fds[1]);
  pair.fds[1] = -1;
  boost::system::error_code ec;
  EXPECT_EQ(send_now(pair.fds[0], "GET / HTTP/1.1\r\n\r\n", "", ec), 0U);
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace dypls::http
