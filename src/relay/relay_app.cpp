#include "relay/relay_app.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <random>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/ascii_text.h"
#include "core/encoding.h"
#include "relay/access_log.h"
#include "relay/cors.h"
#include "relay/http_date.h"

namespace dypls::relay {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kLogBufferBytes = std::size_t{64} * 1024;
// A loop writes its log lines at most once per this: under load one write carries many lines
// (at one per request it was a tenth of the relay's calls to the kernel), while a quiet relay's
// line is still out at once.
constexpr std::chrono::milliseconds kLogPace{10};

// These answers need exactly one of each.
void put_header(http::Fields& headers, std::string_view name, std::string value) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& field) { return iequals_ascii(field.first, name); }),
                headers.end());
  headers.emplace_back(std::string(name), std::move(value));
}

// Some frameworks behind gateways percent-decode header values: a value that decodes to a CR,
// LF or NUL is refused, whatever reads it next.
bool hides_control_char(const http::Fields& headers) {
  return std::any_of(headers.begin(), headers.end(), [](const auto& field) {
    std::string decoded;
    if (field.second.find('%') == std::string::npos || !percent_decode(field.second, decoded)) {
      return false;
    }
    return std::any_of(decoded.begin(), decoded.end(), [](char ch) {
      const auto c = static_cast<unsigned char>(ch);
      return (c < 0x20 && c != '\t') || c == 0x7F;
    });
  });
}

// The request's head as the admission reads it: its own strings, lent.
RequestHeadRef head_of(const http::Request& req) {
  return {req.method, req.target, req.headers};
}

// A list for an API call's parsed query, handed from on_head to handle() in the request's note.
// The lists are kept per thread and reused once their call is over (only the pool holds them):
// they keep their room, so parsing a query allocates nothing. A call releases its list on its
// connection's loop, the thread that took it.
std::shared_ptr<FormParams> reusable_param_list() {
  // Enough for the calls a loop has in flight; past that, lists of their own.
  constexpr std::size_t kPooled = 256;
  thread_local std::vector<std::shared_ptr<FormParams>> pool;
  thread_local std::size_t next = 0;
  // From the oldest: calls end about in the order they came.
  for (std::size_t tries = 0; tries < pool.size(); ++tries) {
    auto& list = pool[next];
    next = (next + 1) % pool.size();
    if (list.use_count() == 1) {
      // The last holder's release (acq_rel) happens before this reuse.
      std::atomic_thread_fence(std::memory_order_acquire);
      return list;
    }
  }
  auto list = std::make_shared<FormParams>();
  if (pool.size() < kPooled) {
    pool.push_back(list);
    next = 0;
  }
  return list;
}

// A pooled list keeps the room of a usual call's query at most: a long query's parameters move to
// a list of their own and the pooled one is left without room, so a hostile query's size is not
// kept for as long as the relay runs.
void keep_pooled_list_small(std::shared_ptr<FormParams>& list, std::string_view query) {
  constexpr std::size_t kPooledParams = 32;
  constexpr std::size_t kPooledQueryBytes = 2048;
  if (list->size() <= kPooledParams && query.size() <= kPooledQueryBytes) return;
  auto own = std::make_shared<FormParams>(std::move(*list));
  *list = FormParams();
  list = std::move(own);
}

// The address rate limits and the log use: the peer, or what a --trusted-proxy says it saw.
std::string client_of(const http::Request& req, const RelayConfig& config) {
  if (config.trusted_proxies.empty()) {
    // Only the peer counts: each thread keeps the text of the last one it saw (a kept-alive
    // connection's requests, one after another).
    thread_local std::string last_peer;
    thread_local std::string last_client;
    if (req.client != last_peer || last_client.empty()) {
      last_client = client_address(req.client, {}, config.trusted_proxies);
      last_peer = req.client;
    }
    return last_client;
  }
  std::vector<std::string> forwarded;
  for (const auto& [name, value] : req.headers) {
    if (iequals_ascii(name, "x-forwarded-for")) forwarded.push_back(value);
  }
  return client_address(req.client, forwarded, config.trusted_proxies);
}

// Whether `peer` is one of --trusted-proxy: only then is a forwarded address believed.
bool is_trusted_proxy(const std::string& peer, const std::vector<AddressRange>& trusted) {
  static const std::vector<std::string> kProbe = {"192.0.2.1"};  // any address other than peer
  return peer != kProbe.front() && client_address(peer, kProbe, trusted) == kProbe.front();
}

// A view's compare (sizes first, inline): std::string's with a literal is a call and a strlen.
bool method_is(const http::Request& req, std::string_view method) {
  return req.method == method;
}

bool is_read(const http::Request& req) {
  return method_is(req, "GET") || method_is(req, "HEAD");
}

// API answers carry CORS headers, refusals included, or the page would see only "status 0".
bool is_api(const http::Request& req) {
  const std::string_view path = target_path(req.target);
  return path.substr(0, 4) == "/api" || path.substr(0, 9) == "/sandbox/";
}

http::Response json_answer(int status, std::string body) {
  http::Response res;
  res.status = status;
  res.body = std::move(body);
  res.headers.emplace_back("Content-Type", "application/json");
  return res;
}

// The Date header and the log's time to the second change once a second: each thread keeps the
// last second's texts instead of formatting them for every answer.
struct ClockTexts {
  long long second = -1;
  std::string date;      // "Sat, 28 Nov 2026 07:59:11 GMT"
  std::string log_time;  // "2026-11-28T07:59:11.000Z": the milliseconds are filled per line
};

const ClockTexts& clock_texts(long long epoch_ms) {
  thread_local ClockTexts texts;
  const long long second = epoch_ms / 1000;
  if (second != texts.second) {
    texts.second = second;
    texts.date = http_date(second);
    texts.log_time = log_timestamp(second * 1000);
  }
  return texts;
}

// log_timestamp(epoch_ms) into `text`, from the second's text (`text` keeps its room).
void set_log_time(std::string& text, long long epoch_ms) {
  text = clock_texts(epoch_ms).log_time;
  const auto millis = static_cast<int>(epoch_ms % 1000);
  const std::size_t at = text.size() - 4;  // the three digits before the final 'Z'
  text[at] = static_cast<char>('0' + millis / 100);
  text[at + 1] = static_cast<char>('0' + (millis / 10) % 10);
  text[at + 2] = static_cast<char>('0' + millis % 10);
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

// Connection caps from the descriptors this process may open (some kept for the upstream and
// files): past them, new connections are answered Relay.Busy instead of failing accept().
http::Limits limits_for(const RelayConfig& config) {
  http::Limits limits;
  limits.request_line_limit = 8192;
  limits.header_limit = config.admission.max_header_bytes + limits.request_line_limit;
  limits.body_limit = config.admission.max_body_bytes;
  limits.head_deadline_ms = std::min(config.head_timeout_ms, config.client_timeout_ms);
  limits.body_deadline_ms = config.client_timeout_ms;
  limits.idle_ms = config.keep_alive_ms;
  limits.write_deadline_ms = std::max(config.client_timeout_ms, 10000);
  rlimit files{};
  std::size_t descriptors = 1024;
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
    descriptors = static_cast<std::size_t>(files.rlim_cur);
  }
  const std::size_t reserve = static_cast<std::size_t>(config.workers) * 2 + 64;
  limits.max_shedding = 256;
  const std::size_t usable = descriptors > reserve + limits.max_shedding + 64
                                 ? descriptors - reserve - limits.max_shedding
                                 : 64;
  limits.max_connections = std::min<std::size_t>(usable, 16384);
  limits.max_connections_per_client = std::max<std::size_t>(64, limits.max_connections / 16);
  // A --trusted-proxy carries many clients on its connections: only the overall cap applies to
  // it (its clients' rate limits use the address it forwards).
  limits.uncapped_client = [trusted = config.trusted_proxies](const std::string& peer) {
    return is_trusted_proxy(peer, trusted);
  };
  return limits;
}

}  // namespace

RelayApp::RelayApp(RelayConfig config)
    : config_(std::move(config)),
      loops_(std::make_shared<http::IoLoops>(config_.io_threads > 0 ? config_.io_threads
                                                                    : http::IoLoops::cores())),
      upstream_(config_, loops_),
      page_(config_.static_dir, config_.connect_src),
      limiter_(config_.rate),
      log_buffers_(loops_->size()),
      allowed_host_(loops_->size()),
      server_(limits_for(config_), *this, loops_) {
  for (std::size_t loop = 0; loop < log_buffers_.size(); ++loop) {
    log_buffers_[loop].timer = std::make_unique<boost::asio::steady_timer>(loops_->at(loop));
  }
  std::random_device random;
  std::ostringstream prefix;
  prefix << std::hex << random() << "-";
  id_prefix_ = prefix.str();
}

std::string RelayApp::next_request_id() {
  static std::atomic<unsigned long long> counter{0};
  return "relay-" + id_prefix_ + std::to_string(++counter);
}

int RelayApp::bind(std::string& error) {
  std::string detail;
  const int port = server_.bind(config_.listen_host, config_.listen_port, detail);
  if (port < 0) {
    error = "could not listen on " + config_.listen_host + ":" +
            std::to_string(config_.listen_port) +
            " (in use, or not an address of this machine: " + detail + ")";
  }
  return port;
}

void RelayApp::run() {
  server_.run();
  flush_logs();
}
void RelayApp::stop() {
  server_.stop();
  upstream_.stop();
}

std::optional<http::Response> RelayApp::on_head(http::Request& req) {
  Trace trace;
  const std::string& target = req.target;
  const std::string_view path = target_path(target);
  // Before anything else: a page on a DNS-rebinding name must not reach (or read) the relay.
  if (!host_allowed_here(req)) {
    Refusal refusal = refuse(RelayCode::kMisdirectedHost,
                             "This relay does not answer to that Host; use one of its names.");
    refusal.close_connection = true;
    return finish(req, trace, refusal_answer(refusal, trace), false);
  }
  // Origin-form only: an absolute URL, "//host" or "@host" is someone looking for a proxy.
  if (target.empty() || target.front() != '/' || target.rfind("//", 0) == 0) {
    Refusal refusal = refuse(RelayCode::kBadRequest,
                             "The request target must be a path: the relay has one upstream and "
                             "does not take URLs.");
    refusal.close_connection = true;
    return finish(req, trace, refusal_answer(refusal, trace));
  }

  if (path.substr(0, 4) == "/api") {
    if (method_is(req, "OPTIONS")) return finish(req, trace, answer_preflight_request(req, trace));
    auto query = reusable_param_list();
    std::optional<Refusal> refusal = check_api_head(config_.admission, head_of(req), query.get());
    keep_pooled_list_small(query, target_query(req.target));
    if (!refusal && hides_control_char(req.headers)) {
      refusal = refuse(RelayCode::kBadRequest,
                       "A header value holds a percent-encoded control character (CR, LF, "
                       "NUL...); remove it.");
    }
    if (!refusal) refusal = take_rate_token(req);
    if (!refusal && upstream_.saturated()) {
      refusal = refuse(RelayCode::kBusy, "The relay is at capacity; try again shortly.");
      refusal->retry_after_seconds = 1;
    }
    if (refusal) return finish(req, trace, refusal_answer(*refusal, trace));
    req.note = std::move(query);  // for handle(): the query is decoded once
    return std::nullopt;          // read the body (if any), then handle()
  }
  if (path == "/healthz" && is_read(req)) {
    http::Response res = json_answer(200, R"({"status":"ok"})");
    res.head_only = method_is(req, "HEAD");
    return finish(req, trace, std::move(res));
  }
  if (path == "/relay/config" && is_read(req)) {
    http::Response res = answer_relay_config();
    res.head_only = method_is(req, "HEAD");
    return finish(req, trace, std::move(res));
  }
  if (config_.sandbox && path == "/sandbox/assume-role") {
    std::optional<Refusal> refusal = check_assume_role(head_of(req));
    if (!refusal) refusal = take_rate_token(req);
    if (!refusal && upstream_.saturated()) {
      refusal = refuse(RelayCode::kBusy, "The relay is at capacity; try again shortly.");
      refusal->retry_after_seconds = 1;
    }
    if (refusal) return finish(req, trace, refusal_answer(*refusal, trace));
    return std::nullopt;
  }
  if (page_.enabled() && is_read(req)) {
    if (auto res = page_.serve(req)) {
      if (res->status >= 500) {
        return finish(req, trace,
                      refusal_answer(
                          refuse(RelayCode::kInternalError, "The file could not be read."), trace));
      }
      return finish(req, trace, std::move(*res));
    }
  }
  Refusal not_found = refuse(RelayCode::kNotFound, "Nothing here: API calls go to /api/.");
  not_found.close_connection = !is_read(req);  // a body may follow, unread
  return finish(req, trace, refusal_answer(not_found, trace));
}

void RelayApp::handle(http::Request request, std::function<void(http::Response)> respond) {
  Trace trace;
  const std::string_view path = target_path(request.target);
  if (path.substr(0, 4) != "/api") {  // assume-role, checked by on_head
    ForwardPlan plan;
    plan.path_and_query = request.target;
    trace.action = "AssumeRole";
    request.body.clear();
    forward(std::move(request), "GET", std::move(plan), std::move(trace), std::move(respond));
    return;
  }
  // on_head accepted this head with check_api_head (and noted its decoded query): only the rest
  // is decided here.
  const auto* query = static_cast<const FormParams*>(request.note.get());
  Admission admission =
      admit_checked_api_call(config_.admission, head_of(request), request.body, query);
  // Moved: forward() reads the action from the trace.
  trace.action = std::move(admission.plan.action);
  trace.key_id = std::move(admission.plan.key_id);
  if (admission.refusal) {
    respond(finish(request, trace, refusal_answer(*admission.refusal, trace)));
    return;
  }
  const std::string method = method_is(request, "POST") ? "POST" : "GET";
  forward(std::move(request), method, std::move(admission.plan), std::move(trace),
          std::move(respond));
}

http::Response RelayApp::on_problem(http::Problem problem, const http::Request& head,
                                    const std::string& detail) {
  Trace trace;
  RelayCode code = RelayCode::kBadRequest;
  std::string message = "The request could not be parsed as strict HTTP/1.1: " + detail;
  int status = 400;
  switch (problem) {
    case http::Problem::kBadRequest:
      break;
    case http::Problem::kRequestLineTooLong:
      code = RelayCode::kPayloadTooLarge;
      message = "The request line is too long.";
      status = 414;
      break;
    case http::Problem::kHeadTooLarge:
      message = detail;
      break;
    case http::Problem::kBodyTooLarge:
      code = RelayCode::kPayloadTooLarge;
      message = detail;
      status = 413;
      break;
    case http::Problem::kBusy:
      code = RelayCode::kBusy;
      message = "The relay is at capacity; try again shortly.";
      status = 503;
      break;
  }
  Refusal refusal = refuse(code, message);
  refusal.close_connection = true;  // what follows on this connection cannot be trusted
  if (code == RelayCode::kBusy) refusal.retry_after_seconds = 1;
  http::Response res = refusal_answer(refusal, trace);
  res.status = status;
  return finish(head, trace, std::move(res));
}

http::Response RelayApp::answer_preflight_request(const http::Request& req, Trace& trace) {
  const auto origin = find_header(req.headers, "origin");
  const auto verdict = judge_origin(config_.admission.allowed_origins, origin,
                                    find_header(req.headers, "host").value_or(""));
  const auto preflight = answer_preflight(
      verdict, origin, find_header(req.headers, "access-control-request-method").value_or(""),
      find_header(req.headers, "access-control-request-headers").value_or(""));
  http::Response res;
  if (preflight.allowed) {
    res.status = 204;
  } else {
    const bool origin_problem = verdict == OriginVerdict::kRefused || !origin;
    res = refusal_answer(
        refuse(origin_problem ? RelayCode::kOriginNotAllowed : RelayCode::kBadRequest,
               "Preflight refused: " + preflight.problem + "."),
        trace);
  }
  for (const auto& [name, value] : preflight.headers) put_header(res.headers, name, value);
  return res;
}

http::Response RelayApp::answer_relay_config() const {
  const nlohmann::json body = {{"sandbox", config_.sandbox},
                               {"signHost", config_.upstream.sign_host()},
                               {"actions", config_.admission.allowed_actions},
                               {"version", config_.admission.version}};
  return json_answer(200, body.dump());
}

void RelayApp::forward(http::Request&& req, const std::string& method, ForwardPlan&& plan,
                       Trace&& trace, Respond&& respond) {
  // The request's body goes upstream; its head stays for the answer (CORS, the log line).
  std::string body = std::move(req.body);
  req.body = std::string();
  req.note.reset();
  const std::size_t loop = req.loop;
  // What the answer needs, held by the upstream exchange (or by the refusal below), which hands
  // it the answer: one allocation per call, no callback wrapped around it.
  struct Pending final : UpstreamPool::Call {
    RelayApp* app = nullptr;
    http::Request head;
    Trace trace;
    Respond respond;

    void on_answer(UpstreamAnswer&& answer) override {
      Trace& noted = trace;
      if (answer.result.failure == UpstreamFailure::kNone) {
        noted.upstream_status = answer.result.status;
      }
      if (auto refusal = judge_upstream(answer.result, app->config_.read_timeout_ms)) {
        respond(app->finish(head, noted, app->refusal_answer(*refusal, noted)));
        return;
      }
      http::Response res;
      res.status = answer.result.status;
      // The upstream's headers in their own list (its room is left for the ones finish() adds),
      // each name once as put_header leaves it (the last of a name, where that last one stood),
      // and Content-Type put last.
      http::Fields& fields = res.headers;
      fields = std::move(answer.headers);
      std::optional<std::string> content_type;  // the default made only when none came
      std::string request_id_header;
      std::size_t kept = 0;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string& name = fields[i].first;
        std::string& value = fields[i].second;
        if (iequals_ascii(name, "content-type")) {
          content_type = std::move(value);
          continue;
        }
        if (iequals_ascii(name, "x-acs-request-id")) request_id_header = value;
        const bool again =
            std::any_of(fields.begin() + static_cast<std::ptrdiff_t>(i) + 1, fields.end(),
                        [&name](const auto& later) { return iequals_ascii(later.first, name); });
        if (again) continue;
        if (kept != i) fields[kept] = std::move(fields[i]);
        ++kept;
      }
      fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(kept), fields.end());
      noted.request_id = extract_request_id(answer.body, request_id_header);
      res.body = std::move(answer.body);
      fields.emplace_back("Content-Type", content_type ? std::move(*content_type)
                                                       : std::string("application/json"));
      respond(app->finish(head, noted, std::move(res)));
    }
  };
  auto pending = std::make_shared<Pending>();
  pending->app = this;
  pending->head = std::move(req);
  pending->trace = std::move(trace);
  pending->respond = std::move(respond);
  const bool idempotent = is_read_only_action(pending->trace.action);
  if (!upstream_.send(method, std::move(plan.path_and_query), std::move(plan.headers),
                      std::move(body), idempotent, loop, pending)) {
    Refusal busy = refuse(RelayCode::kBusy, "The relay is at capacity; try again shortly.");
    busy.retry_after_seconds = 1;
    pending->respond(finish(pending->head, pending->trace, refusal_answer(busy, pending->trace)));
  }
}

http::Response RelayApp::refusal_answer(const Refusal& refusal, Trace& trace) {
  trace.relay_code = std::string(code_name(refusal.code));
  trace.request_id = next_request_id();
  http::Response res =
      json_answer(http_status(refusal.code), error_body(refusal, trace.request_id));
  if (refusal.retry_after_seconds) {
    res.headers.emplace_back("Retry-After", std::to_string(*refusal.retry_after_seconds));
  }
  res.close = refusal.close_connection;
  return res;
}

// Every answer: the clock for the console, CORS (on errors too), caching, then the log line.
http::Response RelayApp::finish(const http::Request& req, const Trace& trace, http::Response res,
                                bool cors) {
  const bool api_cors = cors && is_api(req) && !method_is(req, "OPTIONS");
  // Without an Origin (no browser's cross-origin call) the CORS headers are always the same:
  // made once, not for every answer.
  static const HeaderList kWithoutOrigin = cors_headers(OriginVerdict::kAbsent, std::nullopt);
  HeaderList with_origin;
  const HeaderList* cors_list = &kWithoutOrigin;
  if (api_cors) {
    const auto origin = find_header(req.headers, "origin");
    if (origin) {
      const auto verdict = judge_origin(config_.admission.allowed_origins, origin,
                                        find_header(req.headers, "host").value_or(""));
      with_origin = cors_headers(verdict, origin);
      cors_list = &with_origin;
    }
  }
  const HeaderList& cors_fields = *cors_list;
  // One pass over the answer's headers (not one per header put): Date and the CORS headers put
  // below are dropped, as put_header would, and Cache-Control and Vary are noted.
  bool has_cache_control = false;
  bool has_vary = false;
  http::Fields& fields = res.headers;
  fields.erase(std::remove_if(fields.begin(), fields.end(),
                              [&](const auto& field) {
                                const std::string_view name = field.first;
                                if (iequals_ascii(name, "cache-control")) {
                                  has_cache_control = true;
                                  return false;
                                }
                                if (iequals_ascii(name, "date")) return true;
                                if (!api_cors) {
                                  has_vary = has_vary || iequals_ascii(name, "vary");
                                  return false;
                                }
                                return std::any_of(cors_fields.begin(), cors_fields.end(),
                                                   [name](const auto& put) {
                                                     return iequals_ascii(name, put.first);
                                                   });
                              }),
               fields.end());
  if (!has_cache_control) fields.emplace_back("Cache-Control", "no-store");
  fields.emplace_back("Date", clock_texts(epoch_ms_now()).date);
  if (api_cors) {
    for (const auto& field : cors_fields) fields.push_back(field);
  } else if (!has_vary) {
    fields.emplace_back("Vary", "Origin");
  }
  log(req, trace, res);
  return res;
}

void RelayApp::log(const http::Request& req, const Trace& trace, const http::Response& res) {
  // The line's fields as views of the request, the trace and two texts kept per thread (they keep
  // their room): nothing is copied into an entry, and the line is formatted straight into the
  // loop's buffer.
  thread_local std::string time;
  thread_local std::string client;
  set_log_time(time, epoch_ms_now());
  client = client_of(req, config_);
  AccessLogView entry;
  entry.time = time;
  entry.client = client;
  entry.method = req.method;
  entry.path = target_path(req.target);
  entry.action = trace.action;
  entry.status = res.status;
  entry.upstream_status = trace.upstream_status;
  entry.request_id = trace.request_id;
  entry.relay_code = trace.relay_code;
  entry.key_id = trace.key_id;
  if (req.started != Clock::time_point()) {
    entry.latency_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - req.started).count();
  }
  // Lines are gathered and written once the loop has answered what was ready, at most once per
  // kLogPace (at once when quiet, one write for many lines under load), or when 64 KB are
  // waiting, as nginx's buffered log.
  const std::size_t loop = req.loop < log_buffers_.size() ? req.loop : 0;
  LogBuffer& buffer = log_buffers_[loop];
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(buffer.mutex);
    first = buffer.lines.empty();
    append_access_log(buffer.lines, entry);
    buffer.lines += '\n';
    if (buffer.lines.size() >= kLogBufferBytes) {
      (void)std::fwrite(buffer.lines.data(), 1, buffer.lines.size(), stderr);
      buffer.lines.clear();
      buffer.last_write = Clock::now();
      return;
    }
  }
  if (first) loops_->post(loop, [this, loop] { write_log_soon(loop); });
}

void RelayApp::write_log_soon(std::size_t loop) {
  LogBuffer& buffer = log_buffers_[loop];
  Clock::time_point due;
  {
    std::lock_guard<std::mutex> lock(buffer.mutex);
    due = buffer.last_write + kLogPace;
  }
  if (Clock::now() >= due) return flush_log(loop);
  buffer.timer->expires_at(due);
  buffer.timer->async_wait([this, loop](boost::system::error_code ec) {
    if (!ec) flush_log(loop);  // cancelled: run() ends with flush_logs()
  });
}

void RelayApp::flush_log(std::size_t loop) {
  LogBuffer& buffer = log_buffers_[loop];
  std::lock_guard<std::mutex> lock(buffer.mutex);
  if (buffer.lines.empty()) return;
  (void)std::fwrite(buffer.lines.data(), 1, buffer.lines.size(), stderr);
  buffer.lines.clear();
  buffer.last_write = Clock::now();
}

void RelayApp::flush_logs() {
  for (std::size_t loop = 0; loop < log_buffers_.size(); ++loop) flush_log(loop);
}

bool RelayApp::host_allowed_here(const http::Request& req) {
  const auto host = single_host_header(req.headers);
  if (!host) return false;
  // The configuration does not change: a value allowed once is allowed again.
  if (req.loop >= allowed_host_.size()) return host_allowed(config_, *host);
  std::string& allowed = allowed_host_[req.loop];
  if (!allowed.empty() && *host == allowed) return true;
  if (!host_allowed(config_, *host)) return false;
  allowed.assign(host->data(), host->size());
  return true;
}

std::optional<Refusal> RelayApp::take_rate_token(const http::Request& req) {
  if (config_.rate.per_second <= 0) return std::nullopt;  // --rate 0: off, no lock to take
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
