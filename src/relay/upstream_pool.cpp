#include "relay/upstream_pool.h"

#include <httplib.h>

#include <chrono>

#include "relay/admission.h"

namespace dypls::relay {
namespace {

using Clock = std::chrono::steady_clock;

UpstreamFailure failure_of(httplib::Error error) {
  switch (error) {
    case httplib::Error::Success:
      return UpstreamFailure::kNone;
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::BindIPAddress:
      return UpstreamFailure::kConnect;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return UpstreamFailure::kTls;
    case httplib::Error::Write:
      return UpstreamFailure::kWrite;
    case httplib::Error::Read:
      return UpstreamFailure::kRead;
    default:
      return UpstreamFailure::kOther;
  }
}

// The answer headers the page may see; everything else (Set-Cookie, Location, hop-by-hop,
// the upstream's server details) stays behind.
bool passed_to_page(std::string_view name) {
  for (std::string_view allowed :
       {"content-type", "x-acs-request-id", "x-acs-retry-after", "retry-after"}) {
    if (name.size() == allowed.size() &&
        std::equal(name.begin(), name.end(), allowed.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      return true;
    }
  }
  return false;
}

}  // namespace

UpstreamPool::UpstreamPool(const RelayConfig& config) : config_(config) {}
UpstreamPool::~UpstreamPool() = default;

std::unique_ptr<httplib::Client> UpstreamPool::borrow() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      auto client = std::move(idle_.back());
      idle_.pop_back();
      return client;
    }
  }
  auto client = std::make_unique<httplib::Client>(config_.upstream.base_url());
  const auto ms = [](int value) { return std::chrono::milliseconds(value); };
  client->set_connection_timeout(ms(config_.connect_timeout_ms));
  client->set_read_timeout(ms(config_.read_timeout_ms));
  client->set_write_timeout(ms(config_.read_timeout_ms));
  client->set_keep_alive(true);
  client->set_tcp_nodelay(true);  // headers and body go out as separate writes
  client->set_follow_location(false);
  client->set_url_encode(false);  // the query was checked and is forwarded byte for byte
  client->set_compress(false);
  client->set_decompress(true);
  if (config_.upstream.tls) {
    client->enable_server_certificate_verification(true);
    if (!config_.ca_file.empty()) client->set_ca_cert_path(config_.ca_file);
  }
  return client;
}

void UpstreamPool::give_back(std::unique_ptr<httplib::Client> client) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(client));
}

UpstreamAnswer UpstreamPool::send(std::string_view method, const std::string& path_and_query,
                                  const HeaderList& headers, const std::string& body) {
  UpstreamAnswer answer;
  auto client = borrow();

  httplib::Request request;
  request.method = std::string(method);
  request.path = path_and_query;
  for (const auto& [name, value] : headers) request.headers.emplace(name, value);
  request.headers.emplace("Host", config_.upstream.sign_host());
  request.body = body;

  const auto start = Clock::now();
  const auto deadline = start + std::chrono::milliseconds(config_.total_timeout_ms);
  bool past_deadline = false;
  bool too_large = false;
  request.content_receiver = [&](const char* data, size_t length, uint64_t, uint64_t) {
    if (Clock::now() > deadline) {
      past_deadline = true;
      return false;
    }
    if (answer.body.size() + length > config_.max_answer_bytes) {
      too_large = true;
      return false;
    }
    answer.body.append(data, length);
    return true;
  };

  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  const bool sent = client->send(request, response, error);
  answer.result.elapsed_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (past_deadline) {
    answer.result.failure = UpstreamFailure::kDeadline;
  } else if (too_large) {
    answer.result.failure = UpstreamFailure::kAnswerTooLarge;
  } else if (!sent) {
    answer.result.failure = failure_of(error);
    if (answer.result.failure == UpstreamFailure::kNone)
      answer.result.failure = UpstreamFailure::kOther;
  } else {
    answer.result.status = response.status;
    for (const auto& [name, value] : response.headers) {
      if (passed_to_page(name)) answer.headers.emplace_back(name, value);
    }
  }
  // A client whose exchange failed may hold a half-read connection: drop it, not reuse it.
  if (answer.result.failure == UpstreamFailure::kNone) give_back(std::move(client));
  return answer;
}

}  // namespace dypls::relay
