#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "core/ascii_text.h"
#include "http/framing_header.h"
#include "http/io_loops.h"
#include "http/lazy_deadline.h"
#include "http/request_head.h"
#include "http/send_now.h"

namespace dypls::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;

class Session;

// What every connection shares: the limits, the handler, the counts behind the caps, and the
// list of live connections (to close the idle ones on stop).
struct Server::State {
  State(Limits l, Handler& h, std::shared_ptr<IoLoops> shared)
      : limits(std::move(l)),
        handler(h),
        loops(shared ? std::move(shared) : std::make_shared<IoLoops>(limits.io_threads)),
        per_loop(loops->size(), 0) {}

  net::io_context& io() { return loops->at(0); }  // the acceptor's loop

  Limits limits;
  Handler& handler;
  std::shared_ptr<IoLoops> loops;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::steady_timer> accept_pause;
  std::atomic<bool> stopping{false};

  std::mutex mutex;
  std::size_t connections = 0;
  std::size_t shedding = 0;
  std::unordered_map<std::string, std::size_t> per_client;
  std::vector<std::size_t> per_loop;  // open connections on each loop
  std::map<const Session*, std::weak_ptr<Session>> sessions;
};

namespace {

// A CR or LF in a header name or value would split the answer. A plain loop: the string's
// find_first_of("\r\n") calls memchr on the set for every byte, the costliest part of an answer.
bool has_line_break(std::string_view text) {
  return std::memchr(text.data(), '\r', text.size()) != nullptr ||
         std::memchr(text.data(), '\n', text.size()) != nullptr;
}

// Content-Length, Connection and Transfer-Encoding: the server writes them (sizes first: every
// header of every answer is looked at).
bool is_servers_header(std::string_view name) {
  const FramingHeader kind = framing_header(name);
  return kind == FramingHeader::kContentLength || kind == FramingHeader::kConnection ||
         kind == FramingHeader::kTransferEncoding;
}

// 1xx, 204 and 304 answers have no body.
bool no_body(int status) {
  return status / 100 == 1 || status == 204 || status == 304;
}

// Lingering close: after the answer, keep reading (and dropping) for a short while so that unread
// request bytes do not make the kernel reset the connection before the client read the answer.
constexpr int kLingerMs = 500;
constexpr std::size_t kLingerBytes = std::size_t{256} * 1024;
constexpr std::size_t kReadChunk = 4096;
constexpr std::size_t kFirstRead = 1024;      // room for a request's first read, kept while idle
constexpr std::size_t kMaxHeaderLine = 8192;  // one header line at most, refused beyond

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Server::State> state, tcp::socket socket, std::size_t loop,
          std::string client, bool shed)
      : state_(std::move(state)),
        loop_(loop),
        socket_(std::move(socket)),
        deadline_(socket_.get_executor(), [this] { close_now(); }),
        client_(std::move(client)),
        shed_(shed),
        buffer_(std::max(state_->limits.header_limit, std::size_t{kReadChunk}) + kReadChunk) {}

  ~Session() {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->sessions.erase(this);
    --state_->per_loop[loop_];
    if (shed_) {
      --state_->shedding;
      return;
    }
    --state_->connections;
    auto it = state_->per_client.find(client_);
    if (it != state_->per_client.end() && --it->second == 0) state_->per_client.erase(it);
  }

  void start() {
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    wait_for_request(limits().head_deadline_ms);
  }

  // On the session's executor: close now if nothing is under way, else after the answer.
  void stop() {
    stopping_ = true;
    if (!in_exchange_) close_now();
  }

  net::any_io_executor executor() { return socket_.get_executor(); }

 private:
  const Limits& limits() const { return state_->limits; }

  // When the deadline passes, the socket is closed and whatever was pending fails.
  void arm(int milliseconds) { deadline_.arm(Clock::now() + ms(milliseconds), *this); }
  void disarm() { deadline_.disarm(); }

  void close_now() {
    if (closed_) return;
    closed_ = true;
    deadline_.cancel();  // its wait holds this session
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  // Waits for the next request with a small room in the buffer, any larger room a long head needed
  // given back first: an idle connection holds no more, the room is reused request after request
  // (no allocation), and a short request arrives in one read (a read, not a wait for readiness
  // then a read, which costs the event loop a re-registration per request).
  void wait_for_request(int wait_ms) {
    request_ = Request();
    scanned_ = 0;
    if (buffer_.size() > 0) {  // a pipelined request already arrived
      begin_head();
      return;
    }
    if (buffer_.capacity() > kFirstRead) buffer_.shrink_to_fit();
    if (stopping_) {
      close_now();
      return;
    }
    arm(shed_ ? limits().shed_deadline_ms : wait_ms);
    socket_.async_read_some(
        buffer_.prepare(kFirstRead),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
          if (ec || self->closed_) return self->close_now();
          self->buffer_.commit(n);
          self->begin_head();
        });
  }

  void begin_head() {
    request_.started = Clock::now();
    request_.client = client_;
    request_.loop = loop_;
    // The whole head within the deadline, however it is paced (not a per-read timeout).
    arm(shed_ ? limits().shed_deadline_ms : limits().head_deadline_ms);
    read_head();
  }

  void read_head() {
    const auto bytes = buffered();
    const HeadScan scan = find_head_end(bytes, scanned_);
    scanned_ = bytes.size();
    if (scan.state == HeadState::kBadLineEnding) {
      return refuse(Problem::kBadRequest, "Lines must end with CRLF (a bare LF or CR was sent).");
    }
    if (scan.state == HeadState::kComplete) return on_head_bytes(scan.length);
    if (request_line_unfinished(bytes) && bytes.size() >= limits().request_line_limit) {
      return refuse(Problem::kRequestLineTooLong, "The request line is too long.");
    }
    if (bytes.size() >= limits().header_limit) {
      return refuse(Problem::kHeadTooLarge, "The request head is larger than " +
                                                std::to_string(limits().header_limit) + " bytes.");
    }
    const std::size_t room = std::min(kReadChunk, limits().header_limit - bytes.size());
    socket_.async_read_some(
        buffer_.prepare(room),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
          if (ec || self->closed_) return self->close_now();  // gone, or the head deadline passed
          self->buffer_.commit(n);
          self->read_head();
        });
  }

  std::string_view buffered() const {
    const auto data = buffer_.data();
    return {static_cast<const char*>(data.data()), data.size()};
  }

  void on_head_bytes(std::size_t length) {
    const std::string_view head = buffered().substr(0, length);
    // Most requests have no body and a plain head: split as it is checked, without Beast's
    // parser (which reads every other head, and every body).
    std::optional<BodilessHead> simple;
    if (auto problem = check_request_head(head, kMaxHeaderLine, &simple)) {
      return refuse(Problem::kBadRequest, *problem);
    }
    if (simple) {
      buffer_.consume(length);
      request_.method = std::move(simple->method);
      request_.target = std::move(simple->target);
      request_.version = simple->version;
      request_.headers = std::move(simple->headers);
      request_.body_announced = false;
      keep_alive_ = simple->keep_alive;
      return on_request_head(std::nullopt);
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(length + 1));
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // checked below, with a head
    parser_->eager(false);
    boost::system::error_code ec;
    parser_->put(net::buffer(head.data(), head.size()), ec);
    if (ec && ec != bhttp::error::need_more) return refuse(Problem::kBadRequest, ec.message());
    if (!parser_->is_header_done()) return refuse(Problem::kBadRequest, "Incomplete head.");
    buffer_.consume(length);

    const auto& message = parser_->get();
    request_.method = std::string(message.method_string());
    request_.target = std::string(message.target());
    request_.version = static_cast<int>(message.version());
    for (const auto& field : message) {
      request_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    const auto content_length = parser_->content_length();
    request_.body_announced = parser_->chunked() || (content_length && *content_length > 0);
    keep_alive_ = parser_->keep_alive();
    on_request_head(content_length ? std::optional<std::uint64_t>(*content_length) : std::nullopt);
  }

  // The head is read (`content_length`: what it announced): the handler decides.
  void on_request_head(std::optional<std::uint64_t> content_length) {
    in_exchange_ = true;
    if (shed_) return refuse(Problem::kBusy, "Too many connections.");
    std::optional<Response> answer = state_->handler.on_head(request_);
    if (answer) {
      answer->close = answer->close || request_.body_announced;
      return send(std::move(*answer));
    }
    if (!request_.body_announced) return dispatch();
    if (content_length && *content_length > limits().body_limit) {
      return refuse(Problem::kBodyTooLarge,
                    "The body is larger than " + std::to_string(limits().body_limit) + " bytes.");
    }
    read_body();
  }

  void read_body() {
    body_parser_.emplace(std::move(*parser_));
    parser_.reset();
    body_parser_->body_limit(limits().body_limit);
    arm(limits().body_deadline_ms);
    bhttp::async_read(socket_, buffer_, *body_parser_,
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (self->closed_) return;
                        if (ec == bhttp::error::body_limit) {
                          return self->refuse(Problem::kBodyTooLarge, "The body is too large.");
                        }
                        if (ec == bhttp::error::end_of_stream || ec == net::error::eof ||
                            ec == net::error::connection_reset ||
                            ec == net::error::operation_aborted) {
                          return self->close_now();
                        }
                        if (ec) return self->refuse(Problem::kBadRequest, ec.message());
                        self->request_.body = std::move(self->body_parser_->get().body());
                        self->dispatch();
                      });
  }

  void dispatch() {
    disarm();  // the handler's own deadlines apply now
    // Nothing of ours is pending while the handler works: keep the I/O loop (and a stop()) waiting
    // for its answer.
    handler_work_.emplace(net::make_work_guard(state_->loops->at(loop_)));
    parser_.reset();
    body_parser_.reset();
    auto self = shared_from_this();
    // On the connection's own loop (an upstream answer) the answer goes out at once; from another
    // thread (a worker) it is handed to the loop.
    auto respond = [self](Response&& response) {
      net::io_context& loop = self->state_->loops->at(self->loop_);
      if (loop.get_executor().running_in_this_thread()) return self->send(std::move(response));
      net::post(loop, [self, response = std::move(response)]() mutable {
        self->send(std::move(response));
      });
    };
    state_->handler.handle(std::move(request_), std::move(respond));
  }

  void refuse(Problem problem, const std::string& detail) {
    Response answer = state_->handler.on_problem(problem, request_, detail);
    answer.close = true;  // what follows on this connection cannot be trusted
    keep_alive_ = false;
    send(std::move(answer));
  }

  void send(Response&& answer) {
    handler_work_.reset();
    if (closed_) return;
    if (answer.drop) return close_now();
    in_exchange_ = true;
    ++served_;
    const bool close = answer.close || !keep_alive_ || shed_ || stopping_ || state_->stopping ||
                       served_ >= limits().max_requests_per_connection;
    closing_ = close;
    write_head(answer, close);
    out_ = std::move(answer);
    if (no_body(out_.status)) out_.body.clear();
    parser_.reset();
    body_parser_.reset();
    const std::string_view head(out_head_.data(), out_head_size_);
    const std::string_view body = out_.head_only ? std::string_view() : std::string_view(out_.body);
    // Sent now when the socket takes it all (the usual answer): no trip through the loop.
    boost::system::error_code ec;
    const std::size_t sent = send_now(socket_.native_handle(), head, body, ec);
    if (ec) {
      in_exchange_ = false;
      out_ = Response();
      return close_now();
    }
    if (sent == head.size() + body.size()) {
      // A pipelined request already waiting is read on the next loop turn, not in this call: a
      // long pipeline must not grow the stack.
      if (buffer_.size() > 0 && !closing_) {
        net::post(socket_.get_executor(), [self = shared_from_this()] { self->answered(); });
        return;
      }
      return answered();
    }
    arm(limits().write_deadline_ms);
    const std::array<net::const_buffer, 2> rest = {
        net::buffer(head.substr(std::min(sent, head.size()))),
        net::buffer(body.substr(sent > head.size() ? sent - head.size() : 0))};
    net::async_write(socket_, rest,
                     [self = shared_from_this()](boost::system::error_code ec2, std::size_t) {
                       if (ec2 || self->closed_) {
                         self->in_exchange_ = false;
                         self->out_ = Response();
                         return self->close_now();
                       }
                       self->answered();
                     });
  }

  // The answer's last byte is out: the next request, or the close.
  void answered() {
    in_exchange_ = false;
    out_ = Response();
    if (closed_) return;
    if (closing_) return linger();
    wait_for_request(limits().idle_ms);
  }

  // The status line and headers, in the bytes Beast would write for them (the handler's headers
  // in order, then Content-Length, then "Connection: close" when closing), into a buffer the
  // connection keeps. Content-Length, Connection and Transfer-Encoding are the server's; a line
  // break in a name or value would split the answer, so such a header is dropped.
  void write_head(const Response& answer, bool close) {
    const auto status = static_cast<unsigned>(answer.status);
    const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
    // Measured, then written once by pointer: an append per piece (four per header) was most of
    // this. The measure counts every header; dropped ones leave room unused.
    constexpr std::string_view kLength = "Content-Length: ";
    constexpr std::string_view kClose = "Connection: close\r\n";
    constexpr std::size_t kDigits = 24;  // any integer's decimal text
    std::size_t room =
        9 + kDigits + 1 + reason.size() + 2 + kLength.size() + kDigits + 2 + kClose.size() + 2;
    for (const auto& [name, value] : answer.headers) room += name.size() + value.size() + 4;
    if (out_head_.size() < room) out_head_.resize(room);  // kept: not cleared and refilled
    char* const begin = out_head_.data();
    char* at = begin;
    const auto put = [&at](std::string_view text) { put_bytes(at, text); };
    put("HTTP/1.1 ");
    at = std::to_chars(at, at + kDigits, status).ptr;
    *at++ = ' ';
    put(std::string_view(reason.data(), reason.size()));
    put("\r\n");
    for (const auto& [name, value] : answer.headers) {
      if (is_servers_header(name) || has_line_break(name) || has_line_break(value)) continue;
      put(name);
      put(": ");
      put(value);
      put("\r\n");
    }
    // No length on answers that cannot have a body, as Beast's prepare_payload.
    if (!no_body(answer.status) || answer.head_only) {
      put(kLength);
      at = std::to_chars(at, at + kDigits, answer.body.size()).ptr;
      put("\r\n");
    }
    if (close) put(kClose);
    put("\r\n");
    out_head_size_ = static_cast<std::size_t>(at - begin);
  }

  // Half-close, then drop whatever the client still sends, briefly: the answer is delivered
  // instead of being lost to a reset.
  void linger() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    arm(kLingerMs);
    buffer_.clear();
    drain();
  }
  void drain() {
    if (lingered_ >= kLingerBytes) return close_now();
    socket_.async_read_some(
        buffer_.prepare(kReadChunk),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
          if (ec || self->closed_) return self->close_now();
          self->lingered_ += n;
          self->buffer_.clear();
          self->drain();
        });
  }

  std::shared_ptr<Server::State> state_;
  std::size_t loop_;
  tcp::socket socket_;
  LazyDeadline deadline_;
  std::string client_;
  bool shed_;
  beast::flat_buffer buffer_;
  std::size_t scanned_ = 0;
  std::optional<bhttp::request_parser<bhttp::empty_body>> parser_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_parser_;
  Request request_;
  Response out_;          // the answer being written
  std::string out_head_;  // its status line and headers, at its start
  std::size_t out_head_size_ = 0;
  std::size_t served_ = 0;
  std::size_t lingered_ = 0;
  bool keep_alive_ = true;
  bool closing_ = false;
  bool closed_ = false;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> handler_work_;
  bool in_exchange_ = false;  // between the head's acceptance and the answer's last byte
  bool stopping_ = false;
};

namespace {

void accept_next(const std::shared_ptr<Server::State>& state);

// Admits a connection under the caps; over them it is "shed": answered busy and closed. Beyond
// the shedding budget it is closed at once.
void admit(const std::shared_ptr<Server::State>& state, tcp::socket socket, std::size_t loop) {
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) return;
  std::string client = peer.address().to_string();
  bool shed = false;
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    const auto& limits = state->limits;
    auto& mine = state->per_client[client];
    const bool over_client_cap = mine >= limits.max_connections_per_client &&
                                 !(limits.uncapped_client && limits.uncapped_client(client));
    if (state->connections >= limits.max_connections || over_client_cap) {
      if (mine == 0) state->per_client.erase(client);
      if (state->shedding >= limits.max_shedding) return;  // the socket closes as it leaves
      shed = true;
      ++state->shedding;
    } else {
      ++mine;
      ++state->connections;
    }
  }
  auto session = std::make_shared<Session>(state, std::move(socket), loop, std::move(client), shed);
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    state->sessions[session.get()] = session;
    ++state->per_loop[loop];
  }
  net::dispatch(session->executor(), [session] { session->start(); });
}

// The loop a new connection is served on (one thread each: no strand): the first loop with fewer
// than kPackPerLoop open connections, past that the one with the fewest. A few busy connections
// share one loop, as nginx's usually share one worker: four spread two and two over two loops
// woke each loop about twice as often per request. Many still spread over every loop.
std::size_t pick_loop(Server::State& state) {
  constexpr std::size_t kPackPerLoop = 8;
  std::lock_guard<std::mutex> lock(state.mutex);
  std::size_t least = 0;
  for (std::size_t i = 0; i < state.per_loop.size(); ++i) {
    if (state.per_loop[i] < kPackPerLoop) return i;
    if (state.per_loop[i] < state.per_loop[least]) least = i;
  }
  return least;
}

void accept_next(const std::shared_ptr<Server::State>& state) {
  if (state->stopping || !state->acceptor) return;
  // Accepted on the first loop, served on the one pick_loop() chose.
  const std::size_t loop = pick_loop(*state);
  state->acceptor->async_accept(state->loops->at(loop), [state, loop](boost::system::error_code ec,
                                                                      tcp::socket socket) {
    if (state->stopping) return;
    if (ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors or memory: pause instead of spinning; the caps should prevent it.
      state->accept_pause->expires_after(ms(50));
      state->accept_pause->async_wait([state](boost::system::error_code) { accept_next(state); });
      return;
    }
    admit(state, std::move(socket), loop);
    accept_next(state);
  });
}

}  // namespace

Server::Server(Limits limits, Handler& handler)
    : state_(std::make_shared<State>(std::move(limits), handler, nullptr)) {}

Server::Server(Limits limits, Handler& handler, std::shared_ptr<IoLoops> loops)
    : state_(std::make_shared<State>(std::move(limits), handler, std::move(loops))) {}

Server::~Server() {
  stop();
}

int Server::bind(const std::string& host, int port, std::string& error) {
  boost::system::error_code ec;
  tcp::endpoint endpoint;
  const auto address = net::ip::make_address(host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, static_cast<unsigned short>(port));
  } else {
    tcp::resolver resolver(state_->io());
    const auto results = resolver.resolve(host, std::to_string(port), ec);
    if (ec || results.empty()) {
      error = "could not resolve " + host;
      return -1;
    }
    endpoint = results.begin()->endpoint();
  }
  tcp::acceptor acceptor(state_->io());
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(1024, ec);
  if (ec) {
    error = "could not listen on " + host + ":" + std::to_string(port) + " (" + ec.message() + ")";
    return -1;
  }
  const int bound = acceptor.local_endpoint(ec).port();
  state_->acceptor.emplace(std::move(acceptor));
  state_->accept_pause.emplace(state_->io());
  return bound;
}

void Server::run() {
  // Every loop keeps running, even with nothing to do, until stop().
  for (std::size_t i = 0; i < state_->loops->size(); ++i) {
    state_->keep_running.push_back(net::make_work_guard(state_->loops->at(i)));
  }
  accept_next(state_);
  state_->loops->run();
}

void Server::stop() {
  if (state_->stopping.exchange(true)) return;
  auto state = state_;
  net::post(state->io(), [state] {
    state->keep_running.clear();
    boost::system::error_code ignored;
    if (state->acceptor) state->acceptor->close(ignored);
    if (state->accept_pause) state->accept_pause->cancel();
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard<std::mutex> lock(state->mutex);
      for (auto& [key, weak] : state->sessions) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
      }
    }
    for (auto& session : live) {
      net::dispatch(session->executor(), [session] { session->stop(); });
    }
  });
}

std::size_t Server::open_connections() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->connections;
}

}  // namespace dypls::http
