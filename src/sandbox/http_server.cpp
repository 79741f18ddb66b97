#include "sandbox/http_server.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "sandbox/answers.h"

namespace dypls::sandbox {
namespace {

constexpr std::size_t kMaxBodyBytes = std::size_t{64} * 1024;
constexpr std::string_view kJson = "application/json;charset=utf-8";
constexpr std::string_view kXml = "text/xml;charset=utf-8";

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

std::string header_value(const http::Request& req, std::string_view name) {
  for (const auto& [key, value] : req.headers) {
    if (lower(key) == name) return value;
  }
  return {};
}

// Converts the request into the library-free one; false on malformed encoding.
bool to_incoming(const http::Request& req, IncomingRequest& out) {
  out.method = req.method == "HEAD" ? "GET" : req.method;
  out.host = header_value(req, "host");
  for (const auto& [name, value] : req.headers) out.headers.emplace_back(lower(name), value);
  const std::size_t question = req.target.find('?');
  if (question != std::string::npos &&
      !parse_form(std::string_view(req.target).substr(question + 1), out.query)) {
    return false;
  }
  out.body = req.body;
  if (lower(header_value(req, "content-type")).rfind("application/x-www-form-urlencoded", 0) == 0) {
    return parse_form(req.body, out.form);
  }
  return true;
}

http::Response to_response(const Reply& reply, bool head_only) {
  http::Response res;
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.headers.emplace_back(name, value);
  // The action is committed; the connection drops without an answer.
  res.drop = reply.drop_connection;
  res.body = reply.body;
  res.head_only = head_only;
  res.headers.emplace_back("Content-Type", std::string(reply.xml ? kXml : kJson));
  return res;
}

Reply bad_encoding_reply(const std::string& request_id) {
  const GatewayError error{400, "InvalidParameter",
                           "The request has a malformed percent-encoding (a '%' not followed by "
                           "two hex digits) in its query or form body."};
  return {400, gateway_error_body(error, request_id).dump(), {}, false, false};
}

http::Response gateway_error(const GatewayError& error, const std::string& request_id) {
  http::Response res;
  res.status = error.status;
  res.body = gateway_error_body(error, request_id).dump();
  res.headers.emplace_back("Content-Type", std::string(kJson));
  return res;
}

bool is_read(const http::Request& req) {
  return req.method == "GET" || req.method == "HEAD";
}

http::Limits limits() {
  http::Limits limits;
  limits.body_limit = kMaxBodyBytes;
  limits.header_limit = 32768;
  limits.head_deadline_ms = 10000;
  limits.body_deadline_ms = 10000;
  limits.idle_ms = 3000;
  limits.max_requests_per_connection = 1000;
  return limits;
}

}  // namespace

HttpServer::HttpServer(Sandbox& sandbox, StateFile* state_file, int threads,
                       std::function<void(const std::string&)> log)
    : sandbox_(sandbox), state_file_(state_file), log_(std::move(log)), server_(limits(), *this) {
  for (int i = 0; i < std::max(1, threads); ++i) workers_.emplace_back([this] { work(); });
}

HttpServer::~HttpServer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void HttpServer::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

void HttpServer::persist() {
  if (state_file_ == nullptr) return;
  std::uint64_t version = 0;
  const nlohmann::json document = sandbox_.snapshot(version);
  std::string error;
  if (!state_file_->save(document, version, error)) log_("could not save state: " + error);
}

std::optional<http::Response> HttpServer::on_head(http::Request& req) {
  const std::string_view path = path_of(req.target);
  if (path == "/healthz" && is_read(req)) {
    http::Response res;
    res.body = "{\"ok\":true}";
    res.head_only = req.method == "HEAD";
    res.headers.emplace_back("Content-Type", std::string(kJson));
    return res;
  }
  const bool known =
      ((path == "/" && (is_read(req) || req.method == "POST")) ||
       (is_read(req) && (path == "/sandbox/assume-role" || path == "/sandbox/state")) ||
       (req.method == "POST" && (path == "/sandbox/faults" || path == "/sandbox/bind")));
  if (known) return std::nullopt;  // read the body, then handle() on a worker
  // Unknown paths and methods get the gateway's JSON shape too, not an empty body.
  return gateway_error(
      {404, "InvalidAction.NotFound",
       "Specified path " + std::string(path) + " is not found: the API answers at /."},
      sandbox_.new_request_id());
}

void HttpServer::handle(http::Request request, std::function<void(http::Response)> respond) {
  auto job = [this, request = std::move(request), respond = std::move(respond)] {
    respond(serve(request));
  };
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  ready_.notify_one();
}

http::Response HttpServer::serve(const http::Request& req) {
  const std::string_view path = path_of(req.target);
  const bool head_only = req.method == "HEAD";
  if (path == "/") {
    if (const int latency = sandbox_.latency_ms(); latency > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(latency));
    }
    IncomingRequest incoming;
    const Reply reply = to_incoming(req, incoming) ? sandbox_.handle_api(incoming, now_seconds())
                                                   : bad_encoding_reply(sandbox_.new_request_id());
    if (reply.state_changed) persist();
    return to_response(reply, head_only);
  }
  IncomingRequest incoming;
  if (!to_incoming(req, incoming)) {
    return to_response(bad_encoding_reply(sandbox_.new_request_id()), head_only);
  }
  if (path == "/sandbox/assume-role") {
    const auto duration = find_param(incoming.query, "DurationSeconds");
    const Reply reply = sandbox_.assume_role(duration, now_seconds());
    if (reply.state_changed) persist();
    return to_response(reply, head_only);
  }
  if (path == "/sandbox/state") return to_response(sandbox_.state_dump(now_seconds()), head_only);
  if (path == "/sandbox/faults") return to_response(sandbox_.set_faults(req.body), false);
  // /sandbox/bind
  ParamList params = incoming.query;
  params.insert(params.end(), incoming.form.begin(), incoming.form.end());
  const Reply reply = sandbox_.bind(params);
  if (reply.state_changed) persist();
  return to_response(reply, false);
}

http::Response HttpServer::on_problem(http::Problem problem, const http::Request&,
                                      const std::string& detail) {
  GatewayError error{400, "BadRequest",
                     "The request could not be read (" + detail +
                         "): use GET or POST at / with a query or a form body."};
  if (problem == http::Problem::kBodyTooLarge) {
    error = {413, "RequestTooLarge", "The request body is larger than 64 KB."};
  } else if (problem == http::Problem::kRequestLineTooLong) {
    error = {414, "BadRequest", "The request line is too long."};
  } else if (problem == http::Problem::kBusy) {
    error = {503, "ServiceUnavailable", "Too many connections; try again shortly."};
  }
  return gateway_error(error, sandbox_.new_request_id());
}

int HttpServer::bind(const std::string& host, int port, std::string& error) {
  std::string detail;
  const int bound = server_.bind(host, port, detail);
  if (bound < 0) {
    error = "cannot listen on " + host + ":" + std::to_string(port) +
            " (address in use, or not an address of this machine: " + detail + ")";
  }
  return bound;
}

bool HttpServer::run() {
  server_.run();
  return true;
}

void HttpServer::stop() {
  server_.stop();
}

}  // namespace dypls::sandbox
