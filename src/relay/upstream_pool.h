// Sends an admitted request to the one upstream (dypls_http's client, with its kept-alive pool)
// and keeps the number of calls bounded: `workers` in flight, `queue` more waiting for one of
// them; beyond that the caller answers Relay.Busy.
#pragma once
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/signer.h"
#include "http/upstream_client.h"
#include "relay/relay_config.h"
#include "relay/upstream_outcome.h"

namespace dypls::relay {

struct UpstreamAnswer {
  UpstreamResult result;
  std::string body;
  HeaderList headers;  // only those passed on to the page
};

class UpstreamPool {
 public:
  // A call's own state, which takes its answer: held by the exchange until then (no
  // std::function per call, no allocation besides the call's own).
  class Call : public http::ClientCallback {
   public:
    // Called once, from the client's thread.
    virtual void on_answer(UpstreamAnswer&& answer) = 0;

   private:
    friend class UpstreamPool;
    void on_client_answer(http::ClientAnswer&& got) final;
    UpstreamPool* pool_ = nullptr;
  };

  // Upstream exchanges run on `loops` (the server's).
  UpstreamPool(const RelayConfig& config, std::shared_ptr<http::IoLoops> loops);

  // True when a call now would be refused (all workers busy and the queue full).
  bool saturated() const;
  // `path_and_query` is relative to the upstream's root; `headers` must not include Host (the
  // pool sets it to the upstream's own). False (and `call` never answered) when saturated;
  // otherwise `call` is answered once, from the client's thread.
  // `loop`: the loop of the connection that asked; the exchange runs there. `idempotent`: see
  // http::ClientRequest.
  bool send(std::string_view method, std::string path_and_query, HeaderList headers,
            std::string body, bool idempotent, std::size_t loop, std::shared_ptr<Call> call);
  // Closes the kept-alive upstream connections and keeps none from now on (see
  // http::UpstreamClient::stop); calls under way finish.
  void stop() { client_.stop(); }

 private:
  void start(http::ClientRequest&& request, std::size_t loop, std::shared_ptr<Call>&& call);
  void finished();
  // Takes one of the `workers` slots, if one is free.
  bool claim();
  // Starts waiting calls while slots are free.
  void drain();

  const std::string sign_host_;
  const std::size_t max_active_;
  const std::size_t max_waiting_;
  // Every event loop sends and finishes calls: the counts are atomic, so a call that finds a free
  // slot and no queue takes no lock. Whoever queues a call or frees a slot then drains the queue,
  // so a waiting call is never left behind.
  std::atomic<std::size_t> active_{0};
  std::atomic<std::size_t> waiting_count_{0};
  std::mutex mutex_;  // guards waiting_
  std::deque<std::function<void()>> waiting_;
  http::UpstreamClient client_;
};

}  // namespace dypls::relay
