// An event-driven HTTP/1.1 server on Boost.Beast with explicit limits, for servers that face the
// internet. One I/O thread (or a few) serves every connection: an idle or slow client costs a
// socket and a small buffer, never a thread. Each connection has deadlines (the whole head, the
// body, keep-alive idle, each answer's write), the head is checked strictly before anything is
// decided, and a request whose body is not read is answered and the connection closed, so no
// byte is ever read as the next request by mistake. Connections beyond the caps (overall and per
// client address) are answered with the handler's "busy" answer and closed.
#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dypls::http {

class IoLoops;

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;
  std::string target;
  int version = 11;  // 10 or 11
  Fields headers;    // as received, in order, duplicates kept
  std::string body;
  std::string client;                             // the peer's address
  bool body_announced = false;                    // Content-Length > 0 or chunked
  std::chrono::steady_clock::time_point started;  // when the head's first byte arrived
  std::size_t loop = 0;  // the IoLoops loop serving the connection: work for it can stay there
  // What the handler's on_head worked out, handed to its handle() so it is not worked out twice.
  std::shared_ptr<const void> note;
};

struct Response {
  int status = 200;
  Fields headers;  // Content-Length and Connection are the server's
  std::string body;
  bool head_only = false;  // an answer to HEAD: the body's length is announced, the body not sent
  bool close = false;      // close the connection after this answer
  bool drop = false;       // close it without answering (a test double's injected fault)
};

enum class Problem {
  kBadRequest,  // not strict HTTP/1.1 (the detail says what)
  kRequestLineTooLong,
  kHeadTooLarge,
  kBodyTooLarge,
  kBusy,  // over a connection cap: answered, then closed
};

class Handler {
 public:
  virtual ~Handler() = default;
  // The head has been read and checked. Return an answer to give it without reading the body (the
  // connection is then closed when a body was announced), or nullopt to read the body (capped)
  // and call handle(); `head.note` may be set for handle().
  virtual std::optional<Response> on_head(Request& head) = 0;
  // The whole request. Call `respond` exactly once, from any thread.
  virtual void handle(Request request, std::function<void(Response)> respond) = 0;
  // The server's own refusals. `head` holds what is known (nothing for a head that did not parse).
  virtual Response on_problem(Problem problem, const Request& head, const std::string& detail) = 0;
};

struct Limits {
  std::size_t header_limit = 16384;  // request line and headers
  std::size_t request_line_limit = 8192;
  std::size_t body_limit = 8192;
  int head_deadline_ms = 5000;  // the whole head, from its first byte (or from accept)
  int body_deadline_ms = 10000;
  int idle_ms = 5000;  // between requests on a kept-alive connection
  int write_deadline_ms = 10000;
  int shed_deadline_ms = 200;  // a connection over a cap: time to send its head for a busy answer
  std::size_t max_connections = 10000;
  std::size_t max_connections_per_client = 1000;
  // Peers the per-client cap does not apply to (a trusted proxy carries many clients); the
  // overall cap still does.
  std::function<bool(const std::string& peer)> uncapped_client;
  std::size_t max_shedding = 256;  // connections being answered "busy" at once; beyond: closed
  std::size_t max_requests_per_connection = 1000;
  int io_threads = 1;  // loops the server makes when it is not given any
};

class Server {
 public:
  Server(Limits limits, Handler& handler);
  // Serves on `loops`, shared with whatever else runs on them (the upstream client).
  Server(Limits limits, Handler& handler, std::shared_ptr<IoLoops> loops);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds `host:port` (port 0: any); returns the port, or -1 with `error` set.
  int bind(const std::string& host, int port, std::string& error);
  // Runs the loops until stop(); requests in flight are answered (and their connections closed)
  // first.
  void run();
  // From any thread.
  void stop();

  std::size_t open_connections() const;

  struct State;  // shared with the connections, which may outlive a stop()

 private:
  std::shared_ptr<State> state_;
};

}  // namespace dypls::http
