#include "sandbox/sandbox.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "core/time_format.h"
#include "sandbox/answers.h"
#include "sandbox/service.h"
#include "sandbox/state_codec.h"

namespace dypls::sandbox {
namespace {

constexpr std::int64_t kDefaultStsDuration = 3600;

Reply json_reply(int status, const OrderedJson& body) {
  return {status, body.dump(), {}, false, false};
}
Reply json_reply(int status, const nlohmann::json& body) {
  return {status, body.dump(), {}, false, false};
}

std::string_view status_label(SecretStatus status) {
  switch (status) {
    case SecretStatus::kUnbound:
      return "unbound";
    case SecretStatus::kBound:
      return "bound";
    case SecretStatus::kLocked:
      return "locked";
    case SecretStatus::kFrozen:
      return "frozen";
  }
  return "unknown";
}

// V1 answers in XML unless the request asks for JSON (Format=JSON, any case); V3 answers JSON.
bool wants_xml(const IncomingRequest& request) {
  const auto authorization = request.header("authorization");
  if (authorization && authorization->substr(0, 5) == "ACS3-") return false;
  auto format = find_param(request.query, "Format");
  if (!format) format = find_param(request.form, "Format");
  if (!format) return true;
  std::string lower(*format);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower != "json";
}

std::string caller_root(const std::string& action) {
  return action + "Response";
}

Reply render(int status, const OrderedJson& body, bool xml, std::string_view xml_root) {
  Reply reply{status, xml ? to_xml(body, xml_root) : body.dump(), {}, false, false};
  reply.xml = xml;
  return reply;
}

}  // namespace

Sandbox::Sandbox(std::unique_ptr<SandboxState> state, AuthPolicy policy, FaultConfig faults)
    : state_(std::move(state)),
      policy_(policy),
      faults_(std::move(faults)),
      fault_rng_(state_->seed ^ 0xFA017FA017FA017FULL) {}

Reply Sandbox::gateway_reply(const GatewayError& error, bool xml) {
  return render(error.status, gateway_error_body(error, request_id(state_->rng)), xml, "Error");
}

// A scripted answer in the shape the live API uses for its status: the business shape with 200,
// the gateway's (HostId, Recommend) otherwise. Nothing runs, so nothing changes.
Reply Sandbox::scripted_reply(const ScriptedAnswer& scripted, bool xml) {
  const std::string id = request_id(state_->rng);
  const OrderedJson body =
      scripted.status == 200
          ? business_body(Outcome{scripted.code, scripted.message}, id)
          : gateway_error_body(GatewayError{scripted.status, scripted.code, scripted.message}, id);
  Reply reply = render(scripted.status, body, xml, "Error");
  if (scripted.retry_after_ms) {
    reply.headers.emplace_back("x-acs-retry-after", std::to_string(*scripted.retry_after_ms));
  }
  return reply;
}

Reply Sandbox::handle_api(const IncomingRequest& request, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const bool xml = wants_xml(request);
  const AuthResult auth = authenticate(request, state_->keys, nonces_, policy_, now);
  if (!auth.caller) return gateway_reply(auth.error, xml);

  if (auto scripted = take_scripted(faults_, auth.caller->action)) {
    return scripted_reply(*scripted, xml);
  }
  switch (pick_fault(faults_, fault_rng_)) {
    case InjectedFault::kThrottle: {
      Reply reply = gateway_reply(
          {400, "Throttling.User", "Request was denied due to user flow control."}, xml);
      // Milliseconds, as the live API and the vendor's SDK runtime read it.
      reply.headers.emplace_back("x-acs-retry-after", std::to_string(kDefaultRetryAfterMs));
      return reply;
    }
    case InjectedFault::kServerError:
      return gateway_reply({500, "InternalError",
                            "The request processing has failed due to some unknown error, "
                            "exception or failure."},
                           xml);
    case InjectedFault::kNone:
      break;
  }

  const std::string id = request_id(state_->rng);
  ActionResult result = run_action(*auth.caller, state_->inventory, state_->rng, now, id);
  Reply reply = render(result.status, result.body, xml,
                       result.status == 200 ? caller_root(auth.caller->action) : "Error");
  reply.state_changed = result.state_changed;
  if (result.state_changed) ++version_;
  reply.drop_connection = result.committed_purchase && fault_rng_.chance(faults_.drop_after_commit);
  return reply;
}

Reply Sandbox::assume_role(std::optional<std::string_view> duration_seconds, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::int64_t duration = kDefaultStsDuration;
  if (duration_seconds) {
    const std::string_view text = *duration_seconds;
    const bool digits =
        !text.empty() && text.size() <= 6 &&
        std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    duration = digits ? std::stoll(std::string(text)) : 0;
    if (duration < kMinStsDurationSeconds || duration > kMaxStsDurationSeconds) {
      return gateway_reply({400, "InvalidParameter.DurationSeconds",
                            "DurationSeconds must be a whole number of seconds from 1 to 43200 "
                            "(the sandbox allows short lifetimes for tests)."});
    }
  }
  if (state_->keys.accounts().empty()) {
    return gateway_reply({404, "EntityNotExist.Role",
                          "The sandbox has no account to assume a role in: start it with "
                          "--account KEYID:SECRET, or with neither --account nor --pool for a "
                          "demo account."});
  }
  const Account& owner = state_->keys.accounts().front();
  const TemporaryCredential& credential =
      state_->keys.issue_temporary(owner, duration, now, state_->rng);
  ++version_;
  OrderedJson body;
  body["RequestId"] = request_id(state_->rng);
  body["AssumedRoleUser"] = {{"Arn", credential.role_arn},
                             {"AssumedRoleId", credential.assumed_role_id}};
  body["Credentials"] = {{"AccessKeyId", credential.key_id},
                         {"AccessKeySecret", credential.secret},
                         {"SecurityToken", credential.token},
                         {"Expiration", format_iso8601_utc(credential.expires_at)}};
  // A sandbox extra beside AssumeRole's shape: the pool the demo can buy into, so a first try
  // needs nothing typed.
  if (!state_->inventory.pools().empty())
    body["SandboxPoolKey"] = *state_->inventory.pools().begin();
  Reply reply = json_reply(200, body);
  reply.state_changed = true;
  return reply;
}

Reply Sandbox::state_dump(std::int64_t now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::json accounts = nlohmann::json::array();
  for (const Account& a : state_->keys.accounts()) {
    accounts.push_back({{"accessKeyId", a.key_id}, {"uid", a.uid}});
  }
  nlohmann::json temporary = nlohmann::json::array();
  for (const auto& [id, c] : state_->keys.temporary()) {
    temporary.push_back({{"accessKeyId", c.key_id},
                         {"owner", c.owner_key_id},
                         {"expiration", format_iso8601_utc(c.expires_at)},
                         {"expired", c.expires_at <= now}});
  }
  nlohmann::json stock = nlohmann::json::array();
  for (const auto& [key, amount] : state_->inventory.stock_levels()) {
    stock.push_back({{"specId", key.first}, {"city", key.second}, {"amount", amount}});
  }
  nlohmann::json numbers = nlohmann::json::array();
  for (const auto& [secret_no, n] : state_->inventory.numbers()) {
    numbers.push_back({{"secretNo", n.secret_no},
                       {"poolKey", n.pool_key},
                       {"specId", n.spec_id},
                       {"city", n.city},
                       {"province", n.province},
                       {"vendor", static_cast<int>(n.vendor)},
                       {"purchaseTime", china_time(n.purchased_at)},
                       {"secretStatus", static_cast<int>(n.status())},
                       {"status", status_label(n.status())},
                       {"bindings", n.bindings}});
  }
  const nlohmann::json body = {{"seed", state_->seed},
                               {"accounts", accounts},
                               {"temporaryCredentials", temporary},
                               {"pools", state_->inventory.pools()},
                               {"stock", stock},
                               {"numbers", numbers},
                               {"released", state_->inventory.retired()},
                               {"faults", faults_json(faults_)},
                               {"nonceCheck", policy_.check_nonce}};
  return json_reply(200, body);
}

Reply Sandbox::set_faults(std::string_view body) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string error;
  if (!apply_faults_json(body, faults_, error)) {
    return gateway_reply({400, "InvalidParameter", error});
  }
  return json_reply(200, faults_json(faults_));
}

Reply Sandbox::bind(const ParamList& params) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto pool_key = find_param(params, "PoolKey");
  const auto secret_no = find_param(params, "SecretNo");
  if (!pool_key || pool_key->empty()) return gateway_reply(missing_parameter("PoolKey"));
  if (!secret_no || secret_no->empty()) return gateway_reply(missing_parameter("SecretNo"));
  const bool bound = find_param(params, "Bound").value_or("true") != "false";
  const Outcome outcome = bound ? state_->inventory.bind(*pool_key, *secret_no)
                                : state_->inventory.unbind(*pool_key, *secret_no);
  Reply reply = json_reply(200, business_body(outcome, request_id(state_->rng)));
  reply.state_changed = outcome.ok();
  if (outcome.ok()) ++version_;
  return reply;
}

std::string Sandbox::new_request_id() {
  std::lock_guard<std::mutex> lock(mutex_);
  return request_id(state_->rng);
}

int Sandbox::latency_ms() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return faults_.latency_ms;
}

nlohmann::json Sandbox::snapshot(std::uint64_t& version) const {
  std::lock_guard<std::mutex> lock(mutex_);
  version = version_;
  return encode_state(*state_);
}

std::uint64_t Sandbox::version() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return version_;
}

}  // namespace dypls::sandbox
