// An HTTP/1.1 client for one upstream, on Boost.Beast, with a pool of kept-alive connections per
// event loop; it runs on the loops it is given (the server's: an exchange stays on the thread of
// the connection that asked for it). Every exchange has a total deadline enforced by a timer that
// closes the socket, and the answer is capped (status line and headers in bytes and count, body in
// bytes), so a hostile or broken upstream costs bounded memory and time. A connection goes back to
// the pool only when its answer was read to the end and nothing else arrived after it, and leaves
// it (closed) as soon as anything arrives while it waits there.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "http/io_loops.h"
#include "http/server.h"

namespace dypls::http {

struct UpstreamTarget {
  bool tls = true;
  std::string host;  // name or IP literal (IPv6 without brackets)
  int port = 443;
  std::string ca_file;  // empty: the system's CA store
};

struct ClientLimits {
  int connect_ms = 3000;             // TCP connect and TLS handshake
  int read_ms = 10000;               // from the request's last byte to the answer's last
  int total_ms = 15000;              // the whole exchange
  std::size_t header_limit = 16384;  // status line and headers, bytes
  std::size_t max_header_count = 100;
  std::size_t max_reason_bytes = 256;
  std::size_t body_limit = 1 << 20;
  std::size_t max_idle = 32;  // kept-alive connections waiting for reuse, per loop
};

struct ClientRequest {
  std::string method;
  std::string target;  // origin-form, sent as is
  Fields headers;      // Host included
  std::string body;
  // Safe to send twice: on a reused connection that ends before any byte of the answer (the
  // upstream's keep-alive close racing the request), it is sent once more on a new connection.
  // Any request is, when its write failed before a byte left.
  bool idempotent = false;
};

enum class ClientFailure {
  kNone,
  kConnect,    // nothing was sent
  kTls,        // nothing was sent
  kWrite,      // while sending (a reused connection that took no byte is retried on a new one)
  kRead,       // sent, then the connection failed or stayed silent past read_ms
  kDeadline,   // sent, and total_ms passed
  kTooLarge,   // the answer broke a cap
  kBadAnswer,  // not HTTP/1.1
};

struct ClientAnswer {
  ClientFailure failure = ClientFailure::kNone;
  int status = 0;
  Fields headers;
  std::string body;
  double elapsed_ms = 0;
  std::string detail;  // for the operator's log
};

// Who takes an exchange's answer, as an object of the caller's (a call's own state): no
// std::function, no allocation of its own per exchange. on_client_answer is called once.
class ClientCallback {
 public:
  ClientCallback() = default;
  ClientCallback(const ClientCallback&) = delete;
  ClientCallback& operator=(const ClientCallback&) = delete;
  virtual ~ClientCallback() = default;
  virtual void on_client_answer(ClientAnswer&& answer) = 0;
};

class UpstreamClient {
 public:
  // The loops must run for exchanges to progress.
  UpstreamClient(UpstreamTarget target, ClientLimits limits, std::shared_ptr<IoLoops> loops);
  UpstreamClient(const UpstreamClient&) = delete;
  UpstreamClient& operator=(const UpstreamClient&) = delete;

  // Runs the exchange on `loop` (an index into the loops; out of range: the first); `done` is
  // called once, on that loop's thread (the exchange holds it until then).
  void send(ClientRequest request, std::shared_ptr<ClientCallback> done, std::size_t loop = 0);
  // From any thread: the idle connections are closed and no connection is kept from now on (a
  // kept one holds a pending read, which would keep its loop running). Exchanges under way end
  // as usual.
  void stop();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace dypls::http
