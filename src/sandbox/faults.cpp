#include "sandbox/faults.h"

#include <algorithm>
#include <utility>

#include "sandbox/service.h"

namespace dypls::sandbox {
namespace {

constexpr std::size_t kMaxScripted = 64;
constexpr std::size_t kMaxCodeBytes = 64;
constexpr std::size_t kMaxMessageBytes = 512;
constexpr long long kMaxCount = 1000;
constexpr long long kMaxRetryAfterMs = 24LL * 60 * 60 * 1000;

struct KnownMessage {
  std::string_view code;
  std::string_view message;
};

// Messages as the live API words them (where known), so a walkthrough reads like the real thing.
constexpr KnownMessage kMessages[] = {
    {"Throttling.User", "Request was denied due to user flow control."},
    {"Throttling", "Request was denied due to request throttling."},
    {"FlowLimited", "The request was denied due to flow control."},
    {"isv.FLOW_LIMIT", "触发流控"},
    {"isp.RAM_PERMISSION_DENY", "RAM权限不足"},
    {"RamPermissionDenied", "You are not authorized to perform this operation."},
    {"POOLKEY_NOT_EXIST", "PoolKey not exist"},
    {"isv.PRODUCT_UNSUBSCRIBE", "产品未开通"},
    {"isv.BUY_NUM_OVER_LIMIT", "购买号码数量超过限制"},
    {"isv.FORBIDDEN_ACTION", "该账号不允许此操作"},
    {"InvalidAction.NotFound", "Specified api is not found, please check your url and method."},
    {"Forbidden.Action", "This action is forbidden for the account."},
    {"InvalidAccessKeyId", "Specified access key is not found or invalid."},
    {"InvalidAccessKeyId.NotFound", "Specified access key is not found."},
    {"InvalidSecurityToken.Expired", "Specified SecurityToken is expired."},
    {"InvalidParameter", "The specified parameter \"SecurityToken.Expired\" is not valid."},
    {"MissingParameter",
     "The input parameter \"SecurityToken\" that is mandatory for processing this request is not "
     "supplied."},
    {"InternalError",
     "The request processing has failed due to some unknown error, exception or failure."},
    {"isp.SYSTEM_ERROR", "系统错误"},
};

bool is_code_text(std::string_view code) {
  if (code.empty() || code.size() > kMaxCodeBytes) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

bool whole_in(const nlohmann::json& value, long long low, long long high) {
  return value.is_number_integer() && value.get<long long>() >= low &&
         value.get<long long>() <= high;
}

// Reads one scripted answer from an object holding "code" and friends.
bool read_scripted(const nlohmann::json& object, ScriptedAnswer& out, std::string& error) {
  ScriptedAnswer answer;
  for (const auto& [name, value] : object.items()) {
    if (name == "action") {
      if (!value.is_string() || (!value.get<std::string>().empty() &&
                                 !is_known_action(value.get_ref<const std::string&>()))) {
        error =
            "action must be one of QuerySecretNoRemain, BuySecretNo, ReleaseSecretNo, "
            "QuerySecretNoDetail, LockSecretNo, UnlockSecretNo (or \"\" for any).";
        return false;
      }
      answer.action = value.get<std::string>();
    } else if (name == "code") {
      if (!value.is_string() || !is_code_text(value.get_ref<const std::string&>()) ||
          value.get<std::string>() == "OK") {
        error =
            "code must be an error code such as \"Throttling.User\" or \"isp.RAM_PERMISSION_DENY\" "
            "(letters, digits, '.', '_', '-'; not OK).";
        return false;
      }
      answer.code = value.get<std::string>();
    } else if (name == "status") {
      if (!whole_in(value, 200, 599)) {
        error = "status must be an HTTP status from 200 to 599.";
        return false;
      }
      answer.status = value.get<int>();
    } else if (name == "count") {
      if (!whole_in(value, 1, kMaxCount)) {
        error = "count must be a whole number of calls from 1 to 1000.";
        return false;
      }
      answer.count = value.get<int>();
    } else if (name == "retryAfterMs") {
      if (!whole_in(value, 0, kMaxRetryAfterMs)) {
        error = "retryAfterMs must be whole milliseconds from 0 to 86400000.";
        return false;
      }
      answer.retry_after_ms = value.get<int>();
    } else if (name == "message") {
      if (!value.is_string() || value.get_ref<const std::string&>().size() > kMaxMessageBytes) {
        error = "message must be a string of at most 512 bytes.";
        return false;
      }
      answer.message = value.get<std::string>();
    } else {
      error = "Unknown field \"" + name +
              "\" in a scripted answer: use action, code, status, count, retryAfterMs, message.";
      return false;
    }
  }
  if (answer.code.empty()) {
    error =
        "A scripted answer needs a code, e.g. {\"action\": \"BuySecretNo\", \"code\": "
        "\"Throttling.User\", \"status\": 400, \"count\": 1, \"retryAfterMs\": 1500}.";
    return false;
  }
  out = std::move(answer);
  return true;
}

bool is_scripted_field(std::string_view name) {
  return name == "action" || name == "code" || name == "status" || name == "count" ||
         name == "retryAfterMs" || name == "message";
}

nlohmann::json scripted_json(const ScriptedAnswer& answer) {
  nlohmann::json out = {{"action", answer.action},
                        {"code", answer.code},
                        {"status", answer.status},
                        {"count", answer.count},
                        {"message", answer.message}};
  if (answer.retry_after_ms) out["retryAfterMs"] = *answer.retry_after_ms;
  return out;
}

}  // namespace

InjectedFault pick_fault(const FaultConfig& config, Rng& rng) {
  if (rng.chance(config.throttle_rate)) return InjectedFault::kThrottle;
  if (rng.chance(config.error_rate)) return InjectedFault::kServerError;
  return InjectedFault::kNone;
}

std::optional<ScriptedAnswer> take_scripted(FaultConfig& config, std::string_view action) {
  auto& queue = config.scripted;
  auto it = std::find_if(queue.begin(), queue.end(), [action](const ScriptedAnswer& answer) {
    return answer.action.empty() || answer.action == action;
  });
  if (it == queue.end()) return std::nullopt;
  ScriptedAnswer answer = *it;
  if (--it->count <= 0) queue.erase(it);
  if (answer.message.empty()) answer.message = default_message(answer.code);
  return answer;
}

std::string default_message(std::string_view code) {
  for (const KnownMessage& known : kMessages) {
    if (known.code == code) return std::string(known.message);
  }
  return "The request was refused (" + std::string(code) + ").";
}

bool apply_faults_json(std::string_view text, FaultConfig& config, std::string& error) {
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    error =
        "The body must be a JSON object such as {\"latencyMs\": 200, \"errorRate\": 0.1, "
        "\"throttleRate\": 0, \"dropAfterCommit\": false}, or a scripted answer such as "
        "{\"action\": \"BuySecretNo\", \"code\": \"Throttling.User\", \"status\": 400, "
        "\"count\": 1, \"retryAfterMs\": 1500}.";
    return false;
  }
  FaultConfig next = config;
  nlohmann::json scripted_fields = nlohmann::json::object();
  for (const auto& [name, value] : parsed.items()) {
    if (is_scripted_field(name)) {
      scripted_fields[name] = value;
      continue;
    }
    if (name == "latencyMs") {
      if (!whole_in(value, 0, 60000)) {
        error = "latencyMs must be an integer from 0 to 60000.";
        return false;
      }
      next.latency_ms = value.get<int>();
      continue;
    }
    if (name == "answers") {
      if (!value.is_array() || value.size() > kMaxScripted) {
        error = "answers must be an array of at most 64 scripted answers ([] clears them).";
        return false;
      }
      next.scripted.clear();
      for (const nlohmann::json& item : value) {
        ScriptedAnswer answer;
        if (!item.is_object() || !read_scripted(item, answer, error)) {
          if (!item.is_object()) error = "Each of answers must be an object with a code.";
          return false;
        }
        next.scripted.push_back(std::move(answer));
      }
      continue;
    }
    double* share = name == "errorRate"         ? &next.error_rate
                    : name == "throttleRate"    ? &next.throttle_rate
                    : name == "dropAfterCommit" ? &next.drop_after_commit
                                                : nullptr;
    if (share == nullptr) {
      error = "Unknown field \"" + name +
              "\": use latencyMs, errorRate, throttleRate, dropAfterCommit, answers, or a "
              "scripted answer's action, code, status, count, retryAfterMs, message.";
      return false;
    }
    if (value.is_boolean()) {
      *share = value.get<bool>() ? 1.0 : 0.0;  // true: every call; false: none
      continue;
    }
    if (!value.is_number() || value.get<double>() < 0.0 || value.get<double>() > 1.0) {
      error = name + " must be a number from 0 to 1 (a share of calls), or true/false.";
      return false;
    }
    *share = value.get<double>();
  }
  if (!scripted_fields.empty()) {
    ScriptedAnswer answer;
    if (!read_scripted(scripted_fields, answer, error)) return false;
    if (next.scripted.size() >= kMaxScripted) {
      error = "At most 64 scripted answers may wait; send {\"answers\": []} to clear them.";
      return false;
    }
    next.scripted.push_back(std::move(answer));
  }
  config = std::move(next);
  return true;
}

nlohmann::json faults_json(const FaultConfig& config) {
  nlohmann::json answers = nlohmann::json::array();
  for (const ScriptedAnswer& answer : config.scripted) answers.push_back(scripted_json(answer));
  return {{"latencyMs", config.latency_ms},
          {"errorRate", config.error_rate},
          {"throttleRate", config.throttle_rate},
          {"dropAfterCommit", config.drop_after_commit},
          {"answers", answers}};
}

}  // namespace dypls::sandbox
