// Sends an admitted request to the one upstream over a small pool of kept-alive httplib
// clients (one per concurrent call; a client is not shared while in use).
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/signer.h"
#include "relay/relay_config.h"
#include "relay/upstream_outcome.h"

namespace httplib {
class Client;
}

namespace dypls::relay {

struct UpstreamAnswer {
  UpstreamResult result;
  std::string body;
  HeaderList headers;  // only those passed on to the page
};

class UpstreamPool {
 public:
  explicit UpstreamPool(const RelayConfig& config);
  ~UpstreamPool();
  UpstreamPool(const UpstreamPool&) = delete;
  UpstreamPool& operator=(const UpstreamPool&) = delete;

  // `path_and_query` is relative to the upstream's root; `headers` must not include Host (the
  // pool sets it to the upstream's own).
  UpstreamAnswer send(std::string_view method, const std::string& path_and_query,
                      const HeaderList& headers, const std::string& body);

 private:
  std::unique_ptr<httplib::Client> borrow();
  void give_back(std::unique_ptr<httplib::Client> client);

  const RelayConfig& config_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<httplib::Client>> idle_;
};

}  // namespace dypls::relay
