#include "http/upstream_client.h"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cerrno>
#include <chrono>
#include <optional>
#include <vector>

#include "http/lazy_deadline.h"

namespace dypls::http {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// One connection to the upstream: plain TCP or TLS over it. Both kinds are used through
// with_stream(), so each operation is written once.
struct Connection {
  Connection(const net::any_io_executor& ex, std::size_t header_limit)
      : executor(ex), buffer(header_limit + 4096) {}

  tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }
  template <class F>
  void with_stream(F&& f) {
    if (tls) {  // NOLINT(bugprone-branch-clone): the same call on two different stream types
      f(*tls);
    } else {
      f(*plain);
    }
  }

  net::any_io_executor executor;
  std::optional<tcp::socket> plain;
  std::unique_ptr<ssl::stream<tcp::socket>> tls;
  beast::flat_buffer buffer;  // kept with the connection: a reused one allocates none
};

// True when a kept-alive connection can carry another request: still open, nothing unread on it
// (an upstream that wrote more than its answer, or closed, makes it unusable).
bool idle_and_clean(Connection& connection) {
  tcp::socket& socket = connection.socket();
  if (!socket.is_open()) return false;
  if (connection.tls && SSL_pending(connection.tls->native_handle()) > 0) return false;
  char byte = 0;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  (void)net::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

struct UpstreamClient::State {
  State(UpstreamTarget t, ClientLimits l, std::shared_ptr<IoLoops> shared)
      : loops(std::move(shared)),
        idle(loops->size()),
        target(std::move(t)),
        limits(l),
        tls_context(ssl::context::tls_client) {
    if (target.tls) {
      tls_context.set_verify_mode(ssl::verify_peer);
      boost::system::error_code ec;
      if (target.ca_file.empty()) {
        tls_context.set_default_verify_paths(ec);
      } else {
        tls_context.load_verify_file(target.ca_file, ec);
      }
      ca_error = ec ? ec.message() : "";
    }
  }

  // Each loop's idle connections are touched only on that loop's thread: no lock.
  std::unique_ptr<Connection> take_idle(std::size_t loop) {
    auto& mine = idle[loop];
    while (!mine.empty()) {
      auto connection = std::move(mine.back());
      mine.pop_back();
      if (idle_and_clean(*connection)) return connection;
    }
    return nullptr;
  }
  void give_back(std::size_t loop, std::unique_ptr<Connection> connection) {
    if (idle[loop].size() < limits.max_idle) idle[loop].push_back(std::move(connection));
  }

  std::shared_ptr<IoLoops> loops;  // first: the idle sockets below are closed before their loops
  std::vector<std::vector<std::unique_ptr<Connection>>> idle;  // per loop
  UpstreamTarget target;
  ClientLimits limits;
  ssl::context tls_context;
  std::string ca_error;
};

namespace {

class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(std::shared_ptr<UpstreamClient::State> state, std::size_t loop,
           std::unique_ptr<Connection> connection, ClientRequest request,
           std::function<void(ClientAnswer)> done)
      : state_(std::move(state)),
        loop_(loop),
        connection_(std::move(connection)),
        deadline_(connection_->executor, [this] { expire(); }),
        done_(std::move(done)),
        start_(Clock::now()),
        idempotent_(request.idempotent),
        head_request_(request.method == "HEAD") {
    serialize(request);
  }

  void start(bool reused) {
    reused_ = reused;
    if (reused) return write();
    connect();
  }

 private:
  // The request's bytes, as Beast would write them: the headers in order, then a Content-Length
  // when there is a body or the method is POST. Kept whole: a retry sends them again.
  void serialize(ClientRequest& request) {
    std::string& out = request_bytes_;
    out.reserve(request.target.size() + request.body.size() + 256);
    out += request.method;
    out += ' ';
    out += request.target;
    out += " HTTP/1.1\r\n";
    for (const auto& [name, value] : request.headers) {
      if (beast::iequals(name, "content-length")) continue;  // ours, below
      out += name;
      out += ": ";
      out += value;
      out += "\r\n";
    }
    if (!request.body.empty() || request.method == "POST") {
      out += "Content-Length: ";
      out += std::to_string(request.body.size());
      out += "\r\n";
    }
    out += "\r\n";
    out += request.body;
  }

  void connect() {
    const auto& limits = state_->limits;
    arm(std::min(limits.connect_ms, limits.total_ms), ClientFailure::kConnect);
    if (state_->target.tls) {
      connection_->tls =
          std::make_unique<ssl::stream<tcp::socket>>(connection_->executor, state_->tls_context);
    } else {
      connection_->plain.emplace(connection_->executor);
    }
    resolver_.emplace(connection_->executor);
    resolver_->async_resolve(
        state_->target.host, std::to_string(state_->target.port),
        [self = shared_from_this()](boost::system::error_code ec,
                                    const tcp::resolver::results_type& results) {
          if (ec) return self->finish(ClientFailure::kConnect, "resolve: " + ec.message());
          net::async_connect(self->connection_->socket(), results,
                             [self](boost::system::error_code ec2, const tcp::endpoint&) {
                               if (ec2) return self->finish(ClientFailure::kConnect, ec2.message());
                               self->connected();
                             });
        });
  }

  // When the deadline passes the socket is closed; the pending operation fails and finish()
  // reports `why` instead of what the operation saw.
  void arm(int milliseconds, ClientFailure why) {
    const auto total_left = std::chrono::duration_cast<std::chrono::milliseconds>(
        start_ + std::chrono::milliseconds(state_->limits.total_ms) - Clock::now());
    auto wait = std::chrono::milliseconds(milliseconds);
    if (total_left <= wait) {
      wait = std::max(total_left, std::chrono::milliseconds(0));
      if (why == ClientFailure::kRead) why = ClientFailure::kDeadline;
    }
    why_ = why;
    deadline_.arm(Clock::now() + wait, *this);
  }
  void expire() {
    if (finished_) return;
    expired_ = why_;
    boost::system::error_code ignored;
    if (resolver_) resolver_->cancel();
    connection_->socket().close(ignored);
  }

  void connected() {
    boost::system::error_code ignored;
    connection_->socket().set_option(tcp::no_delay(true), ignored);
    if (!connection_->tls) return write();
    if (!state_->ca_error.empty()) {
      return finish(ClientFailure::kTls,
                    "CA certificates could not be loaded (certificate "
                    "verification impossible): " +
                        state_->ca_error);
    }
    auto& tls = *connection_->tls;
    const std::string& host = state_->target.host;
    // SNI for names (never for IP literals), and the certificate must name the host.
    if (!is_ip_literal(host)) (void)SSL_set_tlsext_host_name(tls.native_handle(), host.c_str());
    tls.set_verify_callback(ssl::host_name_verification(host));
    tls.async_handshake(
        ssl::stream_base::client, [self = shared_from_this()](boost::system::error_code ec) {
          if (ec) {
            return self->finish(ClientFailure::kTls,
                                "TLS handshake or certificate check failed: " + ec.message());
          }
          self->write();
        });
  }

  void write() {
    arm(state_->limits.read_ms, ClientFailure::kRead);
    connection_->with_stream([this](auto& stream) {
      net::async_write(stream, net::buffer(request_bytes_),
                       [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                         if (ec && n == 0 && self->reused_ && !self->expired_) {
                           return self->retry_on_new_connection();
                         }
                         if (ec) return self->finish(ClientFailure::kWrite, ec.message());
                         self->read();
                       });
    });
  }

  // A kept-alive connection the upstream closed just before it was reused: the request goes once
  // more, on a new connection (only when nothing reached the upstream, or it is idempotent).
  void retry_on_new_connection() {
    reused_ = false;
    boost::system::error_code ignored;
    connection_->socket().close(ignored);
    connection_ = std::make_unique<Connection>(connection_->executor, state_->limits.header_limit);
    connect();  // the same bytes go again
  }

  void read() {
    // The silence budget restarts once the request is out; the total deadline still holds.
    arm(state_->limits.read_ms, ClientFailure::kRead);
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->limits.header_limit));
    parser_->body_limit(state_->limits.body_limit);
    if (head_request_) parser_->skip(true);
    connection_->with_stream([this](auto& stream) {
      bhttp::async_read(stream, connection_->buffer, *parser_,
                        [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                          self->on_read(ec);
                        });
    });
  }

  void on_read(boost::system::error_code ec) {
    // A reused connection that ended before any byte of an answer most likely was closed by the
    // upstream (its keep-alive timeout) as the request went out. An idempotent request is sent
    // once more on a new connection; any other is reported, as its outcome is unknown.
    if (ec && reused_ && idempotent_ && !expired_ && !parser_->got_some() &&
        connection_->buffer.size() == 0 &&
        (ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe)) {
      return retry_on_new_connection();
    }
    if (ec == bhttp::error::header_limit || ec == bhttp::error::body_limit ||
        ec == bhttp::error::buffer_overflow) {
      return finish(ClientFailure::kTooLarge, ec.message());
    }
    if (ec && ec.category() == bhttp::make_error_code(bhttp::error::need_more).category() &&
        !expired_) {
      if (ec != bhttp::error::partial_message && ec != bhttp::error::end_of_stream) {
        return finish(ClientFailure::kBadAnswer, ec.message());
      }
    }
    if (ec) return finish(ClientFailure::kRead, ec.message());
    const auto& answer = parser_->get();
    const auto count = static_cast<std::size_t>(std::distance(answer.begin(), answer.end()));
    if (count > state_->limits.max_header_count) {
      return finish(ClientFailure::kTooLarge, std::to_string(count) + " header lines");
    }
    if (answer.reason().size() > state_->limits.max_reason_bytes) {
      return finish(ClientFailure::kTooLarge, "status line too long");
    }
    const auto coding = answer[bhttp::field::content_encoding];
    if (!coding.empty() && !beast::iequals(coding, "identity")) {
      return finish(ClientFailure::kBadAnswer, "a Content-Encoding that was not asked for");
    }
    finish(ClientFailure::kNone, "");
  }

  void finish(ClientFailure failure, std::string detail) {
    if (finished_) return;
    finished_ = true;
    deadline_.cancel();
    ClientAnswer answer;
    answer.failure = expired_ ? *expired_ : failure;
    answer.detail = expired_ ? "deadline passed" : std::move(detail);
    answer.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
    if (answer.failure == ClientFailure::kNone) {
      auto& message = parser_->get();
      answer.status = static_cast<int>(message.result_int());
      for (const auto& field : message) {
        answer.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      answer.body = std::move(message.body());
      // Reused only when the answer was read to its end and nothing followed it.
      if (parser_->is_done() && parser_->keep_alive() && connection_->buffer.size() == 0) {
        state_->give_back(loop_, std::move(connection_));
      }
    }
    if (connection_) {
      boost::system::error_code ignored;
      connection_->socket().close(ignored);
    }
    auto done = std::move(done_);
    done(std::move(answer));
  }

  std::shared_ptr<UpstreamClient::State> state_;
  std::size_t loop_;
  std::unique_ptr<Connection> connection_;
  LazyDeadline deadline_;
  std::optional<tcp::resolver> resolver_;  // only for a new connection
  std::function<void(ClientAnswer)> done_;
  Clock::time_point start_;
  bool idempotent_;
  bool head_request_;
  std::string request_bytes_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  ClientFailure why_ = ClientFailure::kDeadline;  // what passing deadline_ means
  std::optional<ClientFailure> expired_;
  bool finished_ = false;
  bool reused_ = false;
};

}  // namespace

UpstreamClient::UpstreamClient(UpstreamTarget target, ClientLimits limits,
                               std::shared_ptr<IoLoops> loops)
    : state_(std::make_shared<State>(std::move(target), limits, std::move(loops))) {}

void UpstreamClient::send(ClientRequest request, std::function<void(ClientAnswer)> done,
                          std::size_t loop) {
  auto state = state_;
  if (loop >= state->loops->size()) loop = 0;
  net::io_context& io = state->loops->at(loop);
  // Called on that loop (the usual case: the connection's own) it starts at once.
  net::dispatch(
      io, [state, loop, &io, request = std::move(request), done = std::move(done)]() mutable {
        auto connection = state->take_idle(loop);
        const bool reused = connection != nullptr;
        // One thread runs each loop, so the connections need no strand.
        if (!connection) {
          connection = std::make_unique<Connection>(io.get_executor(), state->limits.header_limit);
        }
        auto exchange = std::make_shared<Exchange>(state, loop, std::move(connection),
                                                   std::move(request), std::move(done));
        exchange->start(reused);
      });
}

}  // namespace dypls::http
