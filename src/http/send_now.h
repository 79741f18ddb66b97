// A write the socket takes at once, without waiting for it to become writable. A short answer or
// upstream request almost always fits the socket's send buffer: sending it here, then going on
// with the next step, saves a trip through the event loop (a posted completion, and with it a
// non-blocking epoll_wait) per write. Whatever the socket did not take is left to an async write.
#pragma once
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <string_view>

namespace dypls::http {

// Sends `first` then `second` (either may be empty) in one non-blocking call on the connected
// socket `fd`; returns the bytes it took. `ec` is set on a failure (a closed or reset
// connection), never for a full send buffer: that is a short count.
std::size_t send_now(int fd, std::string_view first, std::string_view second,
                     boost::system::error_code& ec);

}  // namespace dypls::http
