#include "sandbox/http_server.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>

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

// Converts what httplib parsed into the library-free request; false on malformed encoding.
bool to_incoming(const httplib::Request& req, IncomingRequest& out) {
  out.method = req.method;
  out.host = req.get_header_value("Host");
  for (const auto& [name, value] : req.headers) out.headers.emplace_back(lower(name), value);
  const std::size_t question = req.target.find('?');
  if (question != std::string::npos &&
      !parse_form(std::string_view(req.target).substr(question + 1), out.query)) {
    return false;
  }
  out.body = req.body;
  const std::string content_type = lower(req.get_header_value("Content-Type"));
  if (content_type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    return parse_form(req.body, out.form);
  }
  return true;
}

void write_reply(const Reply& reply, httplib::Response& res) {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  if (reply.drop_connection) {
    // The action is committed; declare a body, then fail to produce it, so the client sees the
    // connection drop without an answer.
    res.set_content_provider(reply.body.size(), std::string(kJson),
                             [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
    return;
  }
  res.set_content(reply.body, std::string(reply.xml ? kXml : kJson));
}

Reply bad_encoding_reply(const std::string& request_id) {
  const GatewayError error{400, "InvalidParameter",
                           "The request has a malformed percent-encoding (a '%' not followed by "
                           "two hex digits) in its query or form body."};
  return {400, gateway_error_body(error, request_id).dump(), {}, false, false};
}

}  // namespace

HttpServer::HttpServer(Sandbox& sandbox, StateFile* state_file, int threads,
                       std::function<void(const std::string&)> log)
    : sandbox_(sandbox),
      state_file_(state_file),
      log_(std::move(log)),
      server_(std::make_unique<httplib::Server>()) {
  const auto pool_size = static_cast<std::size_t>(std::max(1, threads));
  server_->new_task_queue = [pool_size] { return new httplib::ThreadPool(pool_size); };
  server_->set_payload_max_length(kMaxBodyBytes);
  server_->set_read_timeout(10, 0);
  server_->set_write_timeout(10, 0);
  server_->set_keep_alive_max_count(1000);
  server_->set_keep_alive_timeout(3);  // an idle connection holds a worker: free it soon
  server_->set_tcp_nodelay(true);      // small JSON answers: no 40 ms Nagle/delayed-ACK stall
  install_routes();
}

HttpServer::~HttpServer() = default;

void HttpServer::persist() {
  if (state_file_ == nullptr) return;
  std::uint64_t version = 0;
  const nlohmann::json document = sandbox_.snapshot(version);
  std::string error;
  if (!state_file_->save(document, version, error)) log_("could not save state: " + error);
}

void HttpServer::install_routes() {
  const auto api = [this](const httplib::Request& req, httplib::Response& res) {
    if (const int latency = sandbox_.latency_ms(); latency > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(latency));
    }
    IncomingRequest incoming;
    const Reply reply = to_incoming(req, incoming) ? sandbox_.handle_api(incoming, now_seconds())
                                                   : bad_encoding_reply(sandbox_.new_request_id());
    if (reply.state_changed) persist();
    write_reply(reply, res);
  };
  server_->Get("/", api);
  server_->Post("/", api);

  server_->Get("/sandbox/assume-role", [this](const httplib::Request& req, httplib::Response& res) {
    std::optional<std::string_view> duration;
    const std::string text = req.get_param_value("DurationSeconds");
    if (req.has_param("DurationSeconds")) duration = text;
    const Reply reply = sandbox_.assume_role(duration, now_seconds());
    if (reply.state_changed) persist();
    write_reply(reply, res);
  });
  server_->Get("/sandbox/state", [this](const httplib::Request&, httplib::Response& res) {
    write_reply(sandbox_.state_dump(now_seconds()), res);
  });
  server_->Post("/sandbox/faults", [this](const httplib::Request& req, httplib::Response& res) {
    write_reply(sandbox_.set_faults(req.body), res);
  });
  server_->Post("/sandbox/bind", [this](const httplib::Request& req, httplib::Response& res) {
    IncomingRequest incoming;
    if (!to_incoming(req, incoming)) {
      write_reply(bad_encoding_reply(sandbox_.new_request_id()), res);
      return;
    }
    ParamList params = incoming.query;
    params.insert(params.end(), incoming.form.begin(), incoming.form.end());
    const Reply reply = sandbox_.bind(params);
    if (reply.state_changed) persist();
    write_reply(reply, res);
  });
  // Unknown paths and methods get the gateway's JSON shape too, not an empty body.
  const httplib::Server::HandlerWithResponse on_error = [this](const httplib::Request& req,
                                                               httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    GatewayError error{res.status, "BadRequest",
                       "The request could not be read (HTTP " + std::to_string(res.status) +
                           "): use GET or POST at / with a query or a form body."};
    if (res.status == 404) {
      error = {404, "InvalidAction.NotFound",
               "Specified path " + req.path + " is not found: the API answers at /."};
    } else if (res.status == 413) {
      error = {413, "RequestTooLarge", "The request body is larger than 64 KB."};
    }
    res.set_content(gateway_error_body(error, sandbox_.new_request_id()).dump(),
                    std::string(kJson));
    return httplib::Server::HandlerResponse::Handled;
  };
  server_->set_error_handler(on_error);
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"ok\":true}", std::string(kJson));
  });
}

int HttpServer::bind(const std::string& host, int port, std::string& error) {
  const int bound =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound < 0)
    error = "cannot listen on " + host + ":" + std::to_string(port) +
            " (address in use, or not an address of this machine)";
  return bound;
}

bool HttpServer::run() {
  return server_->listen_after_bind();
}

void HttpServer::stop() {
  server_->stop();
}

}  // namespace dypls::sandbox
