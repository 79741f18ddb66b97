#include "relay/relay_app.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "relay/access_log.h"
#include "relay/cors.h"
#include "relay/http_date.h"

namespace dypls::relay {
namespace {

using Clock = std::chrono::steady_clock;

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
  bool is_api = false;  // answers carry CORS headers
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

// The address rate limits and the log use: the peer, or what a --trusted-proxy says it saw.
std::string client_of(const httplib::Request& req, const RelayConfig& config) {
  std::vector<std::string> forwarded;
  const auto range = req.headers.equal_range("X-Forwarded-For");
  for (auto it = range.first; it != range.second; ++it) forwarded.push_back(it->second);
  return client_address(req.remote_addr, forwarded, config.trusted_proxies);
}

bool is_read(const httplib::Request& req) {
  return req.method == "GET" || req.method == "HEAD";
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

ConnectionLimits limits_for(const RelayConfig& config) {
  ConnectionLimits limits;
  limits.workers = config.workers;
  limits.queue = config.queue;
  limits.request_deadline_ms = config.client_timeout_ms;
  limits.keep_alive_ms = config.keep_alive_ms;
  // Headers, the request line and the body: anything beyond is an attack, not a request.
  limits.request_byte_budget =
      config.admission.max_header_bytes + 8192 + config.admission.max_body_bytes;
  return limits;
}

}  // namespace

RelayApp::RelayApp(RelayConfig config)
    : config_(std::move(config)),
      server_(limits_for(config_)),
      upstream_(config_),
      page_(config_.static_dir, config_.connect_src),
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
  server_.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return route(req, res); });
  server_.Post("/api/", [this](const httplib::Request& req, httplib::Response& res) {
    answer_api_post(req, res);
  });
  server_.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request&, httplib::Response& res) { return fill_error_body(res); }));
  // Never show an exception's text to the client.
  server_.set_exception_handler(
      [this](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
        answer_refusal(
            res, refuse(RelayCode::kInternalError, "The relay failed to handle this request."));
      });
  server_.set_post_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { finish_answer(req, res); });
  server_.set_logger(
      [this](const httplib::Request& req, const httplib::Response& res) { log(req, res); });
}

RelayApp::HandlerResponse RelayApp::route(const httplib::Request& req, httplib::Response& res) {
  put_header(res, "Cache-Control", "no-store");
  const std::string& target = req.target;
  const std::string_view path = target_path(target);
  // API answers carry CORS headers, refusals included, or the page would see only "status 0".
  tl_trace.is_api = path.substr(0, 4) == "/api" || path.substr(0, 9) == "/sandbox/";
  if (!request_host_allowed(config_, head_of(req).headers)) {
    tl_trace.is_api = false;  // no CORS: a page on a rebinding name must not read the answer
    Refusal refusal = refuse(RelayCode::kMisdirectedHost,
                             "This relay does not answer to that Host; use one of its names.");
    refusal.close_connection = true;
    answer_refusal(res, refusal);
    return HandlerResponse::Handled;
  }
  if (WorkerPool::on_shedding_thread()) {
    Refusal busy = refuse(RelayCode::kBusy, "The relay is at capacity; try again shortly.");
    busy.retry_after_seconds = 1;
    busy.close_connection = true;
    answer_refusal(res, busy);
    return HandlerResponse::Handled;
  }
  // Origin-form only: an absolute URL, "//host" or "@host" is someone looking for a proxy.
  if (target.empty() || target.front() != '/' || target.rfind("//", 0) == 0) {
    Refusal refusal = refuse(RelayCode::kBadRequest,
                             "The request target must be a path: the relay has one upstream and "
                             "does not take URLs.");
    refusal.close_connection = true;
    answer_refusal(res, refusal);
    return HandlerResponse::Handled;
  }

  if (path.substr(0, 4) == "/api") {
    if (req.method == "OPTIONS") {
      answer_preflight_request(req, res);
      return HandlerResponse::Handled;
    }
    const RequestHead head = head_of(req);
    std::optional<Refusal> refusal = check_api_head(config_.admission, head);
    if (!refusal) refusal = take_rate_token(req);
    if (refusal) {
      if (req.method == "POST") refusal->close_connection = true;  // its body is left unread
      answer_refusal(res, *refusal);
      return HandlerResponse::Handled;
    }
    if (req.method == "POST") return HandlerResponse::Unhandled;  // read the body, then decide
    const Admission admission = admit_api_call(config_.admission, head, "");
    tl_trace.action = admission.plan.action;
    tl_trace.key_id = admission.plan.key_id;
    if (admission.refusal) {
      answer_refusal(res, *admission.refusal);
    } else {
      forward(res, "GET", admission.plan, "");
    }
    return HandlerResponse::Handled;
  }

  if (path == "/healthz" && is_read(req)) {
    res.set_content(R"({"status":"ok"})", "application/json");
    return HandlerResponse::Handled;
  }
  if (path == "/relay/config" && is_read(req)) {
    answer_relay_config(res);
    return HandlerResponse::Handled;
  }
  if (config_.sandbox && path == "/sandbox/assume-role") {
    std::optional<Refusal> refusal = check_assume_role(head_of(req));
    if (!refusal) refusal = take_rate_token(req);
    if (refusal) {
      answer_refusal(res, *refusal);
      return HandlerResponse::Handled;
    }
    ForwardPlan plan;
    plan.path_and_query = target;
    plan.action = "AssumeRole";
    forward(res, "GET", plan, "");
    return HandlerResponse::Handled;
  }
  if (page_.enabled() && is_read(req) && page_.serve(req, res)) {
    if (res.status >= 500) {
      answer_refusal(res, refuse(RelayCode::kInternalError, "The file could not be read."));
    }
    return HandlerResponse::Handled;
  }
  Refusal not_found = refuse(RelayCode::kNotFound, "Nothing here: API calls go to /api/.");
  not_found.close_connection = !is_read(req);  // a body may follow, unread
  answer_refusal(res, not_found);
  return HandlerResponse::Handled;
}

void RelayApp::answer_preflight_request(const httplib::Request& req, httplib::Response& res) {
  const auto origin = header_of(req, "Origin");
  const auto verdict =
      judge_origin(config_.admission.allowed_origins, origin, header_of(req, "Host").value_or(""));
  const auto preflight = answer_preflight(
      verdict, origin, header_of(req, "Access-Control-Request-Method").value_or(""),
      header_of(req, "Access-Control-Request-Headers").value_or(""));
  for (const auto& [name, value] : preflight.headers) put_header(res, name, value);
  if (preflight.allowed) {
    res.status = 204;
    return;
  }
  const bool origin_problem = verdict == OriginVerdict::kRefused || !origin;
  answer_refusal(res, refuse(origin_problem ? RelayCode::kOriginNotAllowed : RelayCode::kBadRequest,
                             "Preflight refused: " + preflight.problem + "."));
}

void RelayApp::answer_api_post(const httplib::Request& req, httplib::Response& res) {
  const Admission admission = admit_api_call(config_.admission, head_of(req), req.body);
  tl_trace.action = admission.plan.action;
  tl_trace.key_id = admission.plan.key_id;
  if (admission.refusal) {
    answer_refusal(res, *admission.refusal);
    return;
  }
  forward(res, "POST", admission.plan, req.body);
}

void RelayApp::answer_relay_config(httplib::Response& res) const {
  const nlohmann::json body = {{"sandbox", config_.sandbox},
                               {"signHost", config_.upstream.sign_host()},
                               {"actions", config_.admission.allowed_actions},
                               {"version", config_.admission.version}};
  res.set_content(body.dump(), "application/json");
}

void RelayApp::forward(httplib::Response& res, const std::string& method, const ForwardPlan& plan,
                       const std::string& body) {
  UpstreamAnswer answer = upstream_.send(method, plan.path_and_query, plan.headers, body);
  if (answer.result.failure == UpstreamFailure::kNone) {
    tl_trace.upstream_status = answer.result.status;
  }
  if (auto refusal = judge_upstream(answer.result, config_.read_timeout_ms)) {
    answer_refusal(res, *refusal);
    return;
  }
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
}

void RelayApp::answer_refusal(httplib::Response& res, const Refusal& refusal) {
  tl_trace.relay_code = std::string(code_name(refusal.code));
  tl_trace.request_id = next_request_id();
  res.status = http_status(refusal.code);
  res.set_content(error_body(refusal, tl_trace.request_id), "application/json");
  if (refusal.retry_after_seconds) {
    put_header(res, "Retry-After", std::to_string(*refusal.retry_after_seconds));
  }
  if (refusal.close_connection) ConnectionServer::close_after_this_response();
}

RelayApp::HandlerResponse RelayApp::fill_error_body(httplib::Response& res) {
  if (!res.body.empty()) return HandlerResponse::Unhandled;
  const int status = res.status;
  RelayCode code = RelayCode::kBadRequest;
  std::string message = "The request could not be parsed as HTTP/1.1.";
  if (status == 413 || status == 414) {
    code = RelayCode::kPayloadTooLarge;
    message = status == 413 ? "The body is too large." : "The request line is too long.";
  } else if (status == 404) {
    code = RelayCode::kNotFound;
    message = "Nothing here: API calls go to /api/.";
  } else if (status >= 500) {
    code = RelayCode::kInternalError;
    message = "The relay failed to handle this request; nothing was forwarded.";
  }
  Refusal refusal = refuse(code, message);
  refusal.close_connection = true;  // what follows on this connection cannot be trusted
  answer_refusal(res, refusal);
  res.status = status;  // keep httplib's own (414 rather than 413, for instance)
  return HandlerResponse::Handled;
}

// Every answer: the clock for the console, CORS (on errors too), and the connection's fate.
void RelayApp::finish_answer(const httplib::Request& req, httplib::Response& res) const {
  put_header(res, "Date", http_date(epoch_ms_now() / 1000));
  if (tl_trace.is_api && req.method != "OPTIONS") {
    const auto origin = header_of(req, "Origin");
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
}

void RelayApp::log(const httplib::Request& req, const httplib::Response& res) {
  AccessLogEntry entry;
  entry.time = log_timestamp(epoch_ms_now());
  entry.client = client_of(req, config_);
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
}

std::optional<Refusal> RelayApp::take_rate_token(const httplib::Request& req) {
  std::optional<int> wait;
  {
    std::lock_guard<std::mutex> lock(limiter_mutex_);
    wait = limiter_.take(client_of(req, config_), steady_ms_now());
  }
  if (!wait) return std::nullopt;
  Refusal refusal = refuse(RelayCode::kRateLimited, "Too many calls from this address; wait " +
                                                        std::to_string(*wait) + " s.");
  refusal.retry_after_seconds = *wait;
  return refusal;
}

}  // namespace dypls::relay
