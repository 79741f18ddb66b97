#include "http/send_now.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cerrno>

namespace dypls::http {

std::size_t send_now(int fd, std::string_view first, std::string_view second,
                     boost::system::error_code& ec) {
  ec.clear();
  std::array<iovec, 2> parts{};
  std::size_t count = 0;
  for (const std::string_view part : {first, second}) {
    if (part.empty()) continue;
    parts[count].iov_base = const_cast<char*>(part.data());  // NOLINT: sendmsg does not write
    parts[count].iov_len = part.size();
    ++count;
  }
  if (count == 0) return 0;
  msghdr message{};
  message.msg_iov = parts.data();
  message.msg_iovlen = count;
  for (;;) {
    // MSG_NOSIGNAL: a peer that left is an error here, not a SIGPIPE.
    const ssize_t sent = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent >= 0) return static_cast<std::size_t>(sent);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      ec.assign(errno, boost::system::system_category());
    }
    return 0;
  }
}

}  // namespace dypls::http
