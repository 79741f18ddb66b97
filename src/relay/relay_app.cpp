#include "relay/relay_app.h"

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "relay/access_log.h"
#include "relay/admission.h"
#include "relay/cors.h"
#include "relay/http_date.h"
#include "relay/static_assets.h"

namespace dypls::relay {
namespace {

using Clock = std::chrono::steady_clock;
using HandlerResponse = httplib::Server::HandlerResponse;

// What the log line and the answer's headers need to know about the request being served. Each
// request is read, handled, answered and logged on one worker thread, so a thread_local is
// exactly per request; the connection loop resets it before each one.
struct RequestTrace {
  Clock::time_point start;
  std::string action;
  std::string key_id;
  std::string request_id;
  std::string relay_code;
  std::optional<int> upstream_status;
  bool is_api = false;
};
thread_local RequestTrace tl_trace;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// httplib appends REMOTE_ADDR, REMOTE_PORT, LOCAL_ADDR and LOCAL_PORT to the request headers,
// after any the client sent under those names: drop the last of each, keep the client's.
RequestHead head_of(const httplib::Request& req) {
  static constexpr std::array<std::string_view, 4> kPseudo = {"REMOTE_ADDR", "REMOTE_PORT",
                                                              "LOCAL_ADDR", "LOCAL_PORT"};
  RequestHead head;
  head.method = req.method;
  head.target = req.target;
  std::array<std::size_t, 4> seen{};
  for (const auto& [name, value] : req.headers) {
    bool ours = false;
    for (std::size_t i = 0; i < kPseudo.size(); ++i) {
      if (iequals(name, kPseudo[i]) &&
          ++seen[i] == req.get_header_value_count(std::string(kPseudo[i]))) {
        ours = true;
      }
    }
    if (!ours) head.headers.emplace_back(name, value);
  }
  return head;
}

// httplib's set_header adds; these answers need exactly one of each.
void put_header(httplib::Response& res, const std::string& name, const std::string& value) {
  res.headers.erase(name);
  res.set_header(name, value);
}

std::optional<std::string_view> header_of(const httplib::Request& req, const char* name) {
  const auto it = req.headers.find(name);
  if (it == req.headers.end()) return std::nullopt;
  return std::string_view(it->second);
}

long long epoch_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t steady_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
      .count();
}

bool is_regular_file(const std::string& path, std::size_t& size) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  size = static_cast<std::size_t>(info.st_size);
  return true;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  out.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return !file.bad();
}

}  // namespace

RelayApp::RelayApp(RelayConfig config)
    : config_(std::move(config)),
      server_([this] {
        ConnectionLimits limits;
        limits.workers = config_.workers;
        limits.queue = config_.queue;
        limits.request_deadline_ms = config_.client_timeout_ms;
        limits.keep_alive_ms = config_.keep_alive_ms;
        limits.request_byte_budget =
            config_.admission.max_header_bytes + 8192 + config_.admission.max_body_bytes;
        return limits;
      }()),
      upstream_(config_),
      limiter_(config_.rate) {
  std::random_device random;
  std::ostringstream prefix;
  prefix << std::hex << random() << "-";
  id_prefix_ = prefix.str();
  install_handlers();
}

std::string RelayApp::next_request_id() {
  static std::atomic<unsigned long long> counter{0};
  return "relay-" + id_prefix_ + std::to_string(++counter);
}

int RelayApp::bind(std::string& error) {
  int port = config_.listen_port;
  if (port == 0) {
    port = server_.bind_to_any_port(config_.listen_host);
  } else if (!server_.bind_to_port(config_.listen_host, port)) {
    port = -1;
  }
  if (port >= 0 && !server_.tune_listener(1024)) {
    (void)std::fputs("dypls-relay: could not tune the listener (backlog, deferred accept)\n",
                     stderr);
  }
  if (port < 0) {
    error = "could not listen on " + config_.listen_host + ":" +
            std::to_string(config_.listen_port) + " (in use, or not an address of this machine)";
  }
  return port;
}

void RelayApp::run() {
  server_.listen_after_bind();
}
void RelayApp::stop() {
  server_.stop();
}

void RelayApp::install_handlers() {
  server_.set_payload_max_length(config_.admission.max_body_bytes);
  server_.set_tcp_nodelay(true);
  server_.set_request_start_hook([] {
    tl_trace = RequestTrace();
    tl_trace.start = Clock::now();
  });

  auto answer_error = [this](httplib::Response& res, const Refusal& refusal) {
    tl_trace.relay_code = std::string(code_name(refusal.code));
    tl_trace.request_id = next_request_id();
    res.status = http_status(refusal.code);
    res.set_content(error_body(refusal, tl_trace.request_id), "application/json");
    if (refusal.retry_after_seconds) {
      put_header(res, "Retry-After", std::to_string(*refusal.retry_after_seconds));
    }
    if (refusal.close_connection) ConnectionServer::close_after_this_response();
  };

  auto rate_limited = [this](const httplib::Request& req) -> std::optional<Refusal> {
    std::optional<int> wait;
    {
      std::lock_guard<std::mutex> lock(limiter_mutex_);
      wait = limiter_.take(req.remote_addr, steady_ms_now());
    }
    if (!wait) return std::nullopt;
    Refusal refusal = refuse(RelayCode::kRateLimited, "Too many calls from this address; wait " +
                                                          std::to_string(*wait) + " s.");
    refusal.retry_after_seconds = *wait;
    return refusal;
  };

  auto forward = [this, answer_error](const httplib::Request& req, httplib::Response& res,
                                      const std::string& method, const ForwardPlan& plan,
                                      const std::string& body) {
    UpstreamAnswer answer = upstream_.send(method, plan.path_and_query, plan.headers, body);
    if (answer.result.failure == UpstreamFailure::kNone) {
      tl_trace.upstream_status = answer.result.status;
    }
    if (auto refusal = judge_upstream(answer.result, config_.read_timeout_ms)) {
      answer_error(res, *refusal);
      return;
    }
    (void)req;
    res.status = answer.result.status;
    std::string content_type = "application/json";
    std::string request_id_header;
    for (const auto& [name, value] : answer.headers) {
      if (iequals(name, "content-type")) {
        content_type = value;
        continue;
      }
      if (iequals(name, "x-acs-request-id")) request_id_header = value;
      put_header(res, name, value);
    }
    tl_trace.request_id = extract_request_id(answer.body, request_id_header);
    res.body = std::move(answer.body);
    put_header(res, "Content-Type", content_type);
  };

  server_.set_pre_routing_handler([this, answer_error, rate_limited, forward](
                                      const httplib::Request& req, httplib::Response& res) {
    const RequestHead head = head_of(req);
    const std::string_view path = target_path(head.target);
    put_header(res, "Cache-Control", "no-store");

    if (WorkerPool::on_shedding_thread()) {
      Refusal refusal = refuse(RelayCode::kBusy, "The relay is at capacity; try again shortly.");
      refusal.retry_after_seconds = 1;
      refusal.close_connection = true;
      answer_error(res, refusal);
      return HandlerResponse::Handled;
    }
    // Origin-form only: an absolute URL, "//host" or "@host" is someone looking for a proxy.
    if (head.target.empty() || head.target.front() != '/' || head.target.rfind("//", 0) == 0) {
      Refusal refusal = refuse(RelayCode::kBadRequest,
                               "The request target must be a path: the relay has one upstream and "
                               "does not take URLs.");
      refusal.close_connection = true;
      answer_error(res, refusal);
      return HandlerResponse::Handled;
    }

    if (path.substr(0, 4) == "/api") {
      tl_trace.is_api = true;
      if (req.method == "OPTIONS") {
        const auto origin = header_of(req, "Origin");
        const auto verdict = judge_origin(config_.admission.allowed_origins, origin,
                                          header_of(req, "Host").value_or(""));
        const auto preflight = answer_preflight(
            verdict, origin, header_of(req, "Access-Control-Request-Method").value_or(""),
            header_of(req, "Access-Control-Request-Headers").value_or(""));
        for (const auto& [name, value] : preflight.headers) put_header(res, name, value);
        if (preflight.allowed) {
          res.status = 204;
        } else {
          answer_error(res, refuse(verdict == OriginVerdict::kRefused || !origin
                                       ? RelayCode::kOriginNotAllowed
                                       : RelayCode::kBadRequest,
                                   "Preflight refused: " + preflight.problem + "."));
        }
        return HandlerResponse::Handled;
      }
      if (auto refusal = check_api_head(config_.admission, head)) {
        answer_error(res, *refusal);
        return HandlerResponse::Handled;
      }
      if (auto refusal = rate_limited(req)) {
        if (req.method == "POST") refusal->close_connection = true;  // body left unread
        answer_error(res, *refusal);
        return HandlerResponse::Handled;
      }
      if (req.method == "POST") return HandlerResponse::Unhandled;  // read the body, then decide
      const Admission admission = admit_api_call(config_.admission, head, "");
      tl_trace.action = admission.plan.action;
      tl_trace.key_id = admission.plan.key_id;
      if (admission.refusal) {
        answer_error(res, *admission.refusal);
      } else {
        forward(req, res, "GET", admission.plan, "");
      }
      return HandlerResponse::Handled;
    }

    if (path == "/healthz" && (req.method == "GET" || req.method == "HEAD")) {
      res.set_content(R"({"status":"ok"})", "application/json");
      return HandlerResponse::Handled;
    }
    if (path == "/relay/config" && (req.method == "GET" || req.method == "HEAD")) {
      const nlohmann::json body = {{"sandbox", config_.sandbox},
                                   {"signHost", config_.upstream.sign_host()},
                                   {"actions", config_.admission.allowed_actions},
                                   {"version", config_.admission.version}};
      res.set_content(body.dump(), "application/json");
      return HandlerResponse::Handled;
    }
    if (config_.sandbox && path == "/sandbox/assume-role") {
      tl_trace.is_api = true;
      if (auto refusal = check_assume_role(head)) {
        answer_error(res, *refusal);
        return HandlerResponse::Handled;
      }
      if (auto refusal = rate_limited(req)) {
        answer_error(res, *refusal);
        return HandlerResponse::Handled;
      }
      ForwardPlan plan;
      plan.path_and_query = std::string(head.target);
      plan.action = "AssumeRole";
      forward(req, res, "GET", plan, "");
      return HandlerResponse::Handled;
    }

    if (!config_.static_dir.empty() && (req.method == "GET" || req.method == "HEAD")) {
      std::string decoded;
      std::optional<std::string> relative;
      if (percent_decode(path, decoded)) relative = static_relative_path(decoded);
      std::size_t size = 0;
      const std::string file = relative ? config_.static_dir + "/" + *relative : std::string();
      if (relative && is_regular_file(file, size)) {
        std::size_t unused = 0;
        const Precompressed choice = choose_precompressed(
            header_of(req, "Accept-Encoding").value_or(""), is_regular_file(file + ".br", unused),
            is_regular_file(file + ".gz", unused));
        std::string body;
        if (!read_file(file + std::string(extension_of(choice)), body)) {
          answer_error(res, refuse(RelayCode::kInternalError, "The file could not be read."));
          return HandlerResponse::Handled;
        }
        res.status = 200;
        for (const auto& [name, value] : page_security_headers(config_.connect_src)) {
          put_header(res, name, value);
        }
        put_header(res, "Cache-Control", std::string(cache_control_for(*relative)));
        put_header(res, "Vary", "Accept-Encoding");
        if (choice != Precompressed::kNone) {
          put_header(res, "Content-Encoding", std::string(encoding_name(choice)));
        }
        res.body = std::move(body);
        put_header(res, "Content-Type", std::string(content_type_for(*relative)));
        return HandlerResponse::Handled;
      }
    }
    Refusal not_found = refuse(RelayCode::kNotFound, "Nothing here: API calls go to /api/.");
    if (req.method != "GET" && req.method != "HEAD") not_found.close_connection = true;
    answer_error(res, not_found);
    return HandlerResponse::Handled;
  });

  server_.Post("/api/",
               [this, answer_error, forward](const httplib::Request& req, httplib::Response& res) {
                 const RequestHead head = head_of(req);
                 const Admission admission = admit_api_call(config_.admission, head, req.body);
                 tl_trace.action = admission.plan.action;
                 tl_trace.key_id = admission.plan.key_id;
                 if (admission.refusal) {
                   answer_error(res, *admission.refusal);
                   return;
                 }
                 forward(req, res, "POST", admission.plan, req.body);
               });

  // Answers httplib produced itself (unparsable request, body over the cap, URI too long).
  server_.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return HandlerResponse::Unhandled;
        RelayCode code = RelayCode::kBadRequest;
        std::string message = "The request could not be parsed as HTTP/1.1.";
        if (res.status == 413 || res.status == 414) {
          code = RelayCode::kPayloadTooLarge;
          message = res.status == 413 ? "The body is too large." : "The request line is too long.";
        } else if (res.status == 404) {
          code = RelayCode::kNotFound;
          message = "Nothing here: API calls go to /api/.";
        } else if (res.status >= 500) {
          code = RelayCode::kInternalError;
          message = "The relay failed to handle this request; nothing was forwarded.";
        }
        tl_trace.relay_code = std::string(code_name(code));
        tl_trace.request_id = next_request_id();
        const int status = res.status;
        res.set_content(error_body(refuse(code, message), tl_trace.request_id), "application/json");
        res.status = status;
        ConnectionServer::close_after_this_response();
        return HandlerResponse::Handled;
      }));

  // Never show an exception's text to the client.
  server_.set_exception_handler([this](const httplib::Request&, httplib::Response& res,
                                       const std::exception_ptr&) {
    tl_trace.relay_code = "Relay.InternalError";
    tl_trace.request_id = next_request_id();
    res.status = 500;
    res.set_content(
        error_body(refuse(RelayCode::kInternalError, "The relay failed to handle this request."),
                   tl_trace.request_id),
        "application/json");
  });

  // Every answer: the clock for the console, CORS (on errors too), and the connection's fate.
  server_.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const long long now_ms = epoch_ms_now();
    put_header(res, "Date", http_date(now_ms / 1000));
    const auto origin = header_of(req, "Origin");
    if (tl_trace.is_api && req.method != "OPTIONS") {
      const auto verdict = judge_origin(config_.admission.allowed_origins, origin,
                                        header_of(req, "Host").value_or(""));
      for (const auto& [name, value] : cors_headers(verdict, origin)) put_header(res, name, value);
    } else if (!res.has_header("Vary")) {
      put_header(res, "Vary", "Origin");
    }
    if (ConnectionServer::closing_after_this_response()) {
      res.headers.erase("Keep-Alive");
      put_header(res, "Connection", "close");
    }
  });

  server_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    AccessLogEntry entry;
    const long long now_ms = epoch_ms_now();
    entry.time = log_timestamp(now_ms);
    entry.client = req.remote_addr;
    entry.method = req.method;
    entry.path = std::string(target_path(req.target));
    entry.action = tl_trace.action;
    entry.status = res.status;
    entry.upstream_status = tl_trace.upstream_status;
    entry.request_id = tl_trace.request_id;
    entry.relay_code = tl_trace.relay_code;
    entry.key_id = tl_trace.key_id;
    entry.latency_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - tl_trace.start).count();
    const std::string line = format_access_log(entry) + "\n";
    std::lock_guard<std::mutex> lock(log_mutex_);
    (void)std::fwrite(line.data(), 1, line.size(), stderr);
  });
}

}  // namespace dypls::relay
