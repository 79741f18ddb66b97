#include "http/upstream_client.h"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <optional>
#include <vector>

#include "core/ascii_text.h"
#include "http/answer_head.h"
#include "http/lazy_deadline.h"
#include "http/send_now.h"

namespace dypls::http {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kAnswerRead = 16384;       // an answer's first read: the usual one whole
constexpr std::size_t kKeptRequestBytes = 4096;  // a request's room a kept connection keeps

// What a watched connection's pending read hands its bytes (or its end) to: the exchange that took
// the connection. Held by a shared_ptr, as a callback holding the exchange was (a std::function
// holding a shared_ptr is allocated anew for every exchange).
struct AnswerReader {
  virtual void on_first_read(boost::system::error_code ec, std::size_t n) = 0;

 protected:
  ~AnswerReader() = default;
};

// One connection to the upstream: plain TCP or TLS over it. Both kinds are used through
// with_stream(), so each operation is written once. Its deadline outlives each exchange: a reused
// connection's next exchange only notes a new time, where a timer per exchange cost a wait, a
// cancel and the cancelled wait's completion on every call.
//
// A plain connection waiting in the pool keeps a read pending (watch()): whatever the upstream
// sends or does while nothing was asked (stray bytes, a close) ends that read, and the connection
// is dropped at once. So taking it again needs no look at the socket (a peek per call), and the
// next answer arrives through that same read, with no read tried between the request going out
// and the answer coming back (which finds nothing and costs a call to the kernel).
struct Connection : std::enable_shared_from_this<Connection> {
  Connection(const net::any_io_executor& ex, std::size_t header_limit)
      : executor(ex), deadline(ex, [this] { deadline_passed(); }), buffer(header_limit + 4096) {}

  tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }
  bool has_socket() const { return tls || plain; }
  void deadline_passed() {
    if (on_deadline) on_deadline();
  }
  // Not to be used again: the socket is closed and the deadline's wait (and a pending read) let
  // the connection go.
  void discard() {
    on_deadline = nullptr;
    on_read = nullptr;
    spoiled = true;
    deadline.cancel();
    boost::system::error_code ignored;
    if (has_socket()) socket().close(ignored);
  }
  // Plain and idle: the read the next answer will come through, pending from now on. Until an
  // exchange sets on_read, anything it brings (bytes, an end, an error) spoils the connection.
  void watch() {
    if (!plain || reading || spoiled || !plain->is_open()) return;
    reading = true;
    plain->async_read_some(
        buffer.prepare(kAnswerRead),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
          self->reading = false;
          if (auto exchange = std::move(self->on_read)) {
            self->on_read = nullptr;
            return exchange->on_first_read(ec, n);
          }
          self->discard();  // nothing was asked: the upstream wrote or closed on its own
        });
  }
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
  std::function<void()> on_deadline;  // the exchange under way's, while there is one
  // The exchange's handler for the pending read's bytes (its answer), once it took the connection.
  std::shared_ptr<AnswerReader> on_read;
  LazyDeadline deadline;
  beast::flat_buffer buffer;  // kept with the connection: a reused one allocates none
  // The exchange's request bytes, at its start (the exchange knows how many): kept with the
  // connection as the buffer is, so a reused one writes its next request without allocating.
  std::string request;
  bool reading = false;  // watch()'s read is pending
  bool idle = false;     // in the pool
  bool spoiled = false;  // not to be reused
};

// True when a kept-alive connection can carry another request: still open, nothing unread on it
// (an upstream that wrote more than its answer, or closed, makes it unusable). A watched one
// (plain, with its read pending) would have been spoiled by either; a TLS one is peeked at.
bool idle_and_clean(Connection& connection) {
  if (connection.spoiled) return false;
  tcp::socket& socket = connection.socket();
  if (!socket.is_open()) return false;
  if (connection.reading) return true;
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

  ~State() {
    for (auto& mine : idle) {
      for (auto& connection : mine) connection->discard();
    }
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  // Each loop's idle connections are touched only on that loop's thread: no lock.
  std::shared_ptr<Connection> take_idle(std::size_t loop) {
    auto& mine = idle[loop];
    while (!mine.empty()) {
      auto connection = std::move(mine.back());
      mine.pop_back();
      connection->idle = false;
      if (idle_and_clean(*connection)) return connection;
      connection->discard();
    }
    return nullptr;
  }
  void give_back(std::size_t loop, std::shared_ptr<Connection> connection) {
    if (!stopping && idle[loop].size() < limits.max_idle) {
      connection->idle = true;
      idle[loop].push_back(std::move(connection));
    } else {
      connection->discard();
    }
  }
  // On `loop`'s thread: every idle connection closed, and none kept from now on (their pending
  // reads and deadlines would keep the loop running).
  void close_idle(std::size_t loop) {
    stopping = true;
    for (auto& connection : idle[loop]) connection->discard();
    idle[loop].clear();
  }

  std::shared_ptr<IoLoops> loops;  // first: the idle sockets below are closed before their loops
  std::vector<std::vector<std::shared_ptr<Connection>>> idle;  // per loop
  UpstreamTarget target;
  ClientLimits limits;
  ssl::context tls_context;
  std::string ca_error;
  std::atomic<bool> stopping{false};
};

namespace {

class Exchange final : public AnswerReader, public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(std::shared_ptr<UpstreamClient::State> state, std::size_t loop,
           std::shared_ptr<Connection> connection, const ClientRequest& request,
           std::shared_ptr<ClientCallback>&& done)
      : state_(std::move(state)),
        loop_(loop),
        connection_(std::move(connection)),
        done_(std::move(done)),
        start_(Clock::now()),
        idempotent_(request.idempotent),
        head_request_(std::string_view(request.method) == "HEAD") {
    serialize(request);
  }
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;
  ~Exchange() {
    // Only when the loop dropped its handlers unrun (finish() lets the connection go otherwise).
    if (connection_) {
      connection_->on_deadline = nullptr;
      connection_->on_read = nullptr;
    }
  }

  void start(bool reused) {
    reused_ = reused;
    // The deadline's wait holds the connection, and this exchange holds its pending operations:
    // the connection's deadline reaches it while it is under way.
    connection_->on_deadline = [this] { expire(); };
    if (!reused) return connect();
    // A watched connection: whatever its pending read brings from now on is this exchange's
    // answer (or the end that spoils it), even if it comes before the request is all out.
    if (connection_->reading) {
      answer_read_started_ = true;
      connection_->on_read = shared_from_this();
    }
    write();
  }

 private:
  // The request's bytes, as Beast would write them: the headers in order, then a Content-Length
  // when there is a body or the method is POST. Kept whole: a retry sends them again.
  void serialize(const ClientRequest& request) {
    // Measured, then written once by pointer (an append per piece was most of this).
    const bool length = !request.body.empty() || std::string_view(request.method) == "POST";
    constexpr std::string_view kLength = "Content-Length: ";
    constexpr std::size_t kDigits = 24;
    std::size_t room = request.method.size() + 1 + request.target.size() + 11 + kLength.size() +
                       kDigits + 2 + 2 + request.body.size();
    for (const auto& [name, value] : request.headers) room += name.size() + value.size() + 4;
    std::string& out = connection_->request;
    if (out.size() < room) out.resize(room);
    char* const begin = out.data();
    char* at = begin;
    const auto put = [&at](std::string_view text) { put_bytes(at, text); };
    put(request.method);
    put(" ");
    put(request.target);
    put(" HTTP/1.1\r\n");
    for (const auto& [name, value] : request.headers) {
      if (name.size() == 14 && beast::iequals(name, "content-length")) continue;  // ours, below
      put(name);
      put(": ");
      put(value);
      put("\r\n");
    }
    if (length) {
      put(kLength);
      at = std::to_chars(at, at + kDigits, request.body.size()).ptr;
      put("\r\n");
    }
    put("\r\n");
    put(request.body);
    request_size_ = static_cast<std::size_t>(at - begin);
  }

  std::string_view request_bytes() const { return {connection_->request.data(), request_size_}; }

  void connect() {
    const auto& limits = state_->limits;
    if (state_->target.tls) {
      connection_->tls =
          std::make_unique<ssl::stream<tcp::socket>>(connection_->executor, state_->tls_context);
    } else {
      connection_->plain.emplace(connection_->executor);
    }
    arm(std::min(limits.connect_ms, limits.total_ms), ClientFailure::kConnect);
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
    connection_->deadline.arm(Clock::now() + wait, *connection_);
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
    std::size_t sent = 0;
    if (connection_->plain) {
      // Sent now when the socket takes it all (the usual request): no trip through the loop.
      boost::system::error_code ec;
      sent = send_now(connection_->plain->native_handle(), request_bytes(), {}, ec);
      if (ec || sent == request_size_) return written(ec, sent);
    }
    connection_->with_stream([this, sent](auto& stream) {
      // The handler holds the connection, whose bytes these are, until the write is over.
      net::async_write(
          stream, net::buffer(request_bytes().substr(sent)),
          [self = shared_from_this(), connection = connection_, sent](
              boost::system::error_code ec, std::size_t n) { self->written(ec, sent + n); });
    });
  }

  // `n`: how many of the request's bytes went out.
  void written(boost::system::error_code ec, std::size_t n) {
    if (finished_) return;  // a watched connection's answer (or end) came first
    if (ec && n == 0 && reused_ && !expired_) return retry_on_new_connection();
    if (ec) return finish(ClientFailure::kWrite, ec.message());
    request_sent_ = true;
    read();
  }

  // A kept-alive connection the upstream closed just before it was reused: the request goes once
  // more, on a new connection (only when nothing reached the upstream, or it is idempotent).
  void retry_on_new_connection() {
    reused_ = false;
    answer_read_started_ = false;
    auto executor = connection_->executor;
    std::string bytes = std::move(connection_->request);  // the same bytes go again
    connection_->discard();
    connection_ = std::make_shared<Connection>(executor, state_->limits.header_limit);
    connection_->request = std::move(bytes);
    connection_->on_deadline = [this] { expire(); };
    connect();  // the same bytes go again
  }

  void read() {
    // The silence budget restarts once the request is out; the total deadline still holds.
    arm(state_->limits.read_ms, ClientFailure::kRead);
    if (answer_read_started_) return;  // a watched connection's read: already pending
    answer_read_started_ = true;
    if (head_request_) return read_with_parser();
    // The usual answer arrives in one read and is plain: split without Beast's parser.
    auto& buffer = connection_->buffer;
    const std::size_t room = std::min(kAnswerRead, buffer.max_size() - buffer.size());
    connection_->with_stream([this, room](auto& stream) {
      stream.async_read_some(
          connection_->buffer.prepare(room),
          [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
            self->on_first_read(ec, n);
          });
    });
  }

  void on_first_read(boost::system::error_code ec, std::size_t n) override {
    auto& buffer = connection_->buffer;
    buffer.commit(n);
    if (ec) {
      // As Beast's read reports it: an end before any byte of the answer is end_of_stream.
      make_parser();
      return on_read(ec == net::error::eof && buffer.size() == 0
                         ? boost::system::error_code(bhttp::error::end_of_stream)
                         : ec);
    }
    if (!head_request_) {  // an answer to HEAD announces a length it does not send
      const auto data = buffer.data();
      const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
      const AnswerCaps caps{state_->limits.header_limit, state_->limits.max_header_count,
                            state_->limits.max_reason_bytes, state_->limits.body_limit};
      if (auto plain = split_plain_answer(bytes, caps)) {
        return finish_plain(bytes, std::move(*plain));
      }
    }
    read_with_parser();  // Beast's parser reads what is buffered first
  }

  void make_parser() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->limits.header_limit));
    parser_->body_limit(state_->limits.body_limit);
    if (head_request_) parser_->skip(true);
  }

  void read_with_parser() {
    make_parser();
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

  // A plain answer split from `bytes` (the connection's buffer): the same checks and outcome as
  // on_read() gives the parsed one.
  void finish_plain(std::string_view bytes, PlainAnswer&& plain) {
    if (finished_) return;
    for (const auto& [name, value] : plain.headers) {
      if (!beast::iequals(name, "content-encoding")) continue;
      if (!value.empty() && !beast::iequals(value, "identity")) {
        return finish(ClientFailure::kBadAnswer, "a Content-Encoding that was not asked for");
      }
      break;  // the first one decides, as the parsed answer's lookup
    }
    ClientAnswer answer;
    answer.status = plain.status;
    answer.headers = std::move(plain.headers);
    answer.body.assign(bytes.substr(plain.head_length, plain.body_length));
    auto& buffer = connection_->buffer;
    buffer.consume(plain.head_length + plain.body_length);
    // Reused only when nothing followed the answer.
    complete(std::move(answer), ClientFailure::kNone, "", plain.keep_alive && buffer.size() == 0);
  }

  void finish(ClientFailure failure, std::string detail) {
    if (finished_) return;
    ClientAnswer answer;
    bool reusable = false;
    if (failure == ClientFailure::kNone && !expired_) {
      auto& message = parser_->get();
      answer.status = static_cast<int>(message.result_int());
      for (const auto& field : message) {
        answer.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      answer.body = std::move(message.body());
      // Reused only when the answer was read to its end and nothing followed it.
      reusable = parser_->is_done() && parser_->keep_alive() && connection_->buffer.size() == 0;
    }
    complete(std::move(answer), failure, std::move(detail), reusable);
  }

  // The end of the exchange: `answer` holds the status, headers and body when `failure` is kNone.
  void complete(ClientAnswer&& answer, ClientFailure failure, std::string detail, bool reusable) {
    finished_ = true;
    // The connection's deadline stays with it (disarmed) for its next exchange.
    connection_->on_deadline = nullptr;
    connection_->on_read = nullptr;
    connection_->deadline.disarm();
    answer.failure = expired_ ? *expired_ : failure;
    answer.detail = expired_ ? "deadline passed" : std::move(detail);
    answer.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
    if (answer.failure != ClientFailure::kNone) {
      answer.status = 0;
      answer.headers.clear();
      answer.body.clear();
    }
    std::shared_ptr<Connection> kept;
    // An answer that came before the request was all out leaves a write pending: not reused.
    if (answer.failure == ClientFailure::kNone && reusable && request_sent_) {
      // A large request's room is not kept for as long as the connection waits for reuse.
      if (connection_->request.size() > kKeptRequestBytes) connection_->request = std::string();
      kept = connection_;
      state_->give_back(loop_, std::move(connection_));
    }
    if (connection_) {
      connection_->discard();
      connection_.reset();
    }
    auto done = std::move(done_);
    done->on_client_answer(std::move(answer));
    // Watched once the caller had the answer (its own answer goes out first): unless `done` took
    // it for another exchange already.
    if (kept && kept->idle) kept->watch();
  }

  std::shared_ptr<UpstreamClient::State> state_;
  std::size_t loop_;
  std::shared_ptr<Connection> connection_;
  std::optional<tcp::resolver> resolver_;  // only for a new connection
  std::shared_ptr<ClientCallback> done_;
  Clock::time_point start_;
  bool idempotent_;
  bool head_request_;
  std::size_t request_size_ = 0;  // the request's bytes, at the start of connection_->request
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  ClientFailure why_ = ClientFailure::kDeadline;  // what passing deadline_ means
  std::optional<ClientFailure> expired_;
  bool finished_ = false;
  bool reused_ = false;
  bool answer_read_started_ = false;
  bool request_sent_ = false;
};

// One exchange on `loop`, on its thread: a kept-alive connection when one is idle there.
void start_exchange(const std::shared_ptr<UpstreamClient::State>& state, std::size_t loop,
                    const ClientRequest& request, std::shared_ptr<ClientCallback>&& done) {
  net::io_context& io = state->loops->at(loop);
  auto connection = state->take_idle(loop);
  const bool reused = connection != nullptr;
  // One thread runs each loop, so the connections need no strand.
  if (!connection) {
    connection = std::make_shared<Connection>(io.get_executor(), state->limits.header_limit);
  }
  auto exchange =
      std::make_shared<Exchange>(state, loop, std::move(connection), request, std::move(done));
  exchange->start(reused);
}

}  // namespace

UpstreamClient::UpstreamClient(UpstreamTarget target, ClientLimits limits,
                               std::shared_ptr<IoLoops> loops)
    : state_(std::make_shared<State>(std::move(target), limits, std::move(loops))) {}

void UpstreamClient::stop() {
  for (std::size_t loop = 0; loop < state_->loops->size(); ++loop) {
    state_->loops->post(loop, [state = state_, loop] { state->close_idle(loop); });
  }
}

void UpstreamClient::send(ClientRequest request, std::shared_ptr<ClientCallback> done,
                          std::size_t loop) {
  if (loop >= state_->loops->size()) loop = 0;
  // On that loop (the usual case: the connection's own) it starts at once, as a dispatch would,
  // without the request moved into a handler first; from another thread it is posted there.
  if (state_->loops->at(loop).get_executor().running_in_this_thread()) {
    return start_exchange(state_, loop, request, std::move(done));
  }
  net::post(state_->loops->at(loop),
            [state = state_, loop, request = std::move(request), done = std::move(done)]() mutable {
              start_exchange(state, loop, request, std::move(done));
            });
}

}  // namespace dypls::http
