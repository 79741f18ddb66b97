#include "core/api_error.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/json_read.h"

namespace dypls {
namespace {

using json_read::Json;

constexpr std::string_view kStringToSignMarker = "server string to sign is:";
constexpr std::size_t kSnippetBytes = 120;
constexpr std::size_t kContextBytes = 24;

struct CodeHint {
  std::string_view code;
  std::string_view en;
  std::string_view zh;
};

constexpr std::string_view kCheckBeforeRebuyEn =
    " For a purchase, first check whether a number was bought.";
constexpr std::string_view kCheckBeforeRebuyZh = "如果是购买操作，请先确认是否已经买到号码。";

// Every code dyplsapi.md lists, and the relay's own.
constexpr CodeHint kHints[] = {
    // Business errors (HTTP 200).
    {"isv.NO_AVAILABLE_NUMBER",
     "No numbers left for this city and type. Check the stock, then pick another city or SpecId.",
     "该城市和号码类型已无可用号码。请先查询库存，再换一个城市或号码类型。"},
    {"isv.BUY_NUM_OVER_LIMIT",
     "The account has reached its number limit, or its real-person verifications have run "
     "short. Release numbers you no longer need, top up real-person verifications, or ask "
     "Alibaba Cloud to raise the limit.",
     "已达到号码购买上限，或账号的实人认证次数不足。请释放不再使用的号码、补充实人认证次数，"
     "或联系阿里云提高上限。"},
    {"isv.POOLKEY_NOT_EXISTS",
     "This account has no pool with that PoolKey. Copy the PoolKey from the console's number "
     "pool page.",
     "该账号下不存在此 PoolKey。请从控制台号码池页面复制 PoolKey。"},
    {"isv.NO_NOT_EXIST", "This number is not in your pool. Check SecretNo and PoolKey.",
     "该号码不在你的号池中。请检查 SecretNo 和 PoolKey。"},
    {"isv.ILLEGAL_ARGUMENT",
     "A parameter was refused; the Message says which. Check City, SpecId, PoolKey and SecretNo.",
     "参数不合法，Message 中说明了是哪一个。请检查 City、SpecId、PoolKey 和 SecretNo。"},
    {"isv.INVALID_PARAMETERS",
     "A parameter was refused; the Message says which. Check City, SpecId, PoolKey and SecretNo.",
     "参数不合法，Message 中说明了是哪一个。请检查 City、SpecId、PoolKey 和 SecretNo。"},
    {"isv.MOBILE_NUMBER_ILLEGAL",
     "The number is not valid. Enter all 11 to 13 digits, without +86, spaces or dashes.",
     "号码不合法。请输入完整的 11 到 13 位数字，不带 +86、空格或横线。"},
    {"isv.FLOW_LIMIT", "Too many calls in a short time. Wait a moment, then try again.",
     "调用过于频繁。请稍等片刻再试。"},
    {"isv.OUT_OF_SERVICE",
     "The account is suspended for arrears. Top up the account, then try again.",
     "账号因欠费停机。请充值后再试。"},
    {"isv.PRODUCT_UN_SUBSCRIPT",
     "Phone Number Privacy Protection is not activated for this account. Activate it in the "
     "Alibaba Cloud console first.",
     "该账号未开通号码隐私保护。请先在阿里云控制台开通。"},
    {"isv.PRODUCT_UNSUBSCRIBE",
     "Phone Number Privacy Protection is not activated (or was unsubscribed) for this account. "
     "Activate it in the Alibaba Cloud console first.",
     "该账号未开通（或已退订）号码隐私保护。请先在阿里云控制台开通。"},
    {"isv.ACCOUNT_NOT_EXISTS",
     "The account does not exist. Check that the credentials belong to the right account.",
     "账号不存在。请确认凭证属于正确的账号。"},
    {"isv.ACCOUNT_ABNORMAL",
     "The account is abnormal (buying numbers needs an enterprise account with real-name "
     "verification). Check it in the Alibaba Cloud console.",
     "账号状态异常（购买号码需要完成企业实名认证）。请在阿里云控制台检查。"},
    {"isv.FORBIDDEN_ACTION",
     "This account may not perform this action by API. Do it in the Alibaba Cloud console, or "
     "ask Alibaba Cloud to allow it.",
     "该账号不允许通过 API 执行此操作。请在阿里云控制台中操作，或联系阿里云开通。"},
    {"isp.RAM_PERMISSION_DENY",
     "The RAM user or role lacks permission for this action. Grant it AliyunDyplsFullAccess, or a "
     "policy that allows this action, then get new credentials.",
     "RAM 用户或角色没有此操作的权限。请授予 AliyunDyplsFullAccess "
     "或允许该操作的策略，然后重新获取凭证。"},
    // Business-style codes the API metadata lists with HTTP 400.
    {"RamPermissionDenied",
     "The RAM user or role lacks permission for this action. Grant it AliyunDyplsFullAccess, or a "
     "policy that allows this action, then get new credentials.",
     "RAM 用户或角色没有此操作的权限。请授予 AliyunDyplsFullAccess "
     "或允许该操作的策略，然后重新获取凭证。"},
    {"POOLKEY_NOT_EXIST",
     "This account has no pool with that PoolKey. Copy the PoolKey from the console's number "
     "pool page.",
     "该账号下不存在此 PoolKey。请从控制台号码池页面复制 PoolKey。"},
    {"isp.SYSTEM_ERROR", "A temporary error at Alibaba Cloud. Try again shortly.",
     "阿里云系统临时错误。请稍后重试。"},
    {"isp.DAO_EXCEPTION", "A temporary database error at Alibaba Cloud. Try again shortly.",
     "阿里云数据库临时错误。请稍后重试。"},
    {"isp.UNKNOWN_ERR_CODE", "An unexpected error at Alibaba Cloud. Try again shortly.",
     "阿里云发生未知错误。请稍后重试。"},
    {"isp.GATEWAY_ERROR", "A temporary gateway error at Alibaba Cloud. Try again shortly.",
     "阿里云网关临时错误。请稍后重试。"},
    // Gateway errors (HTTP 4xx/5xx).
    {"InvalidAccessKeyId.NotFound",
     "This AccessKeyId does not exist. Check that you pasted the right key; STS keys stop "
     "existing when they expire.",
     "该 AccessKeyId 不存在。请确认粘贴的是正确的密钥；STS 临时密钥过期后即不存在。"},
    {"InvalidAccessKeyId",
     "The AccessKeyId was not accepted: it is mistyped, or the key id and the secret were "
     "swapped. Paste the credentials again (for STS: key id, secret and token from one answer).",
     "AccessKeyId 无效：可能输错了，或把 AccessKeyId 与 AccessKeySecret "
     "填反了。请重新粘贴凭证（STS 凭证须来自同一次返回的密钥 ID、密钥和 Token）。"},
    {"InvalidAccessKeyId.Inactive",
     "This AccessKey is disabled. Enable it in the RAM console, or use another key.",
     "该 AccessKey 已被禁用。请在 RAM 控制台启用，或换用其他密钥。"},
    {"SignatureDoesNotMatch",
     "The signature did not match. If the server's string to sign equals ours, the "
     "AccessKeySecret is wrong; otherwise the request was built or changed differently. See the "
     "signature diagnosis.",
     "签名不匹配。如果服务端的待签名字符串与本地一致，说明 AccessKeySecret 不正确；否则说明请求的"
     "构造方式不同或途中被修改。请查看签名诊断。"},
    {"SignatureNonceUsed",
     "This signature nonce was already used. Send again: every attempt is signed with a fresh "
     "nonce.",
     "该签名随机数已被使用过。请重新发送：每次尝试都会使用新的随机数签名。"},
    {"InvalidTimeStamp.Expired",
     "The request time is too far from the server's. Set your computer's clock right (within "
     "15 minutes of the real time), then try again.",
     "请求时间与服务器时间相差过大。请校准电脑时钟（误差需在 15 分钟内）后重试。"},
    {"MissingSecurityToken",
     "An STS key needs its SecurityToken. Paste the whole AssumeRole answer again.",
     "STS 临时密钥需要配套的 SecurityToken。请重新粘贴完整的 AssumeRole 返回。"},
    {"InvalidSecurityToken.Expired",
     "The STS credentials have expired. Get new ones (aliyun sts AssumeRole) and paste them.",
     "STS 凭证已过期。请重新获取（aliyun sts AssumeRole）并粘贴。"},
    {"InvalidSecurityToken.Malformed",
     "The SecurityToken is damaged (cut off or changed). Copy it again in full.",
     "SecurityToken 已损坏（不完整或被修改）。请重新完整复制。"},
    {"InvalidSecurityToken.MismatchWithAccessKey",
     "The SecurityToken belongs to a different AccessKeyId. Paste key id, secret and token from "
     "the same AssumeRole answer.",
     "SecurityToken 与 AccessKeyId 不匹配。请粘贴同一次 AssumeRole 返回中的密钥 ID、密钥和 "
     "Token。"},
    {"MissingParameter", "A required parameter is missing; the Message names it.",
     "缺少必填参数，Message 中说明了是哪一个。"},
    {"InvalidParameter", "A parameter is not valid; the Message names it.",
     "参数不合法，Message 中说明了是哪一个。"},
    {"Forbidden.RAM",
     "The RAM user or role may not call this action. Ask the account's administrator to grant "
     "it.",
     "RAM 用户或角色无权调用此操作。请联系账号管理员授权。"},
    {"NoPermission",
     "The RAM user or role may not call this action. Ask the account's administrator to grant "
     "it.",
     "RAM 用户或角色无权调用此操作。请联系账号管理员授权。"},
    {"Forbidden.Action",
     "This account may not call this action by API. Do it in the Alibaba Cloud console instead.",
     "该账号不允许通过 API 调用此操作。请改在阿里云控制台中操作。"},
    {"InvalidAction.NotFound",
     "Alibaba Cloud does not offer this action to this account by API. Do it in the Alibaba "
     "Cloud console instead.",
     "阿里云不向该账号开放此 API 操作。请改在阿里云控制台中操作。"},
    {"Throttling", "Too many requests. Wait, then try again.", "请求过于频繁。请稍候再试。"},
    {"FlowLimited",
     "Alibaba Cloud is limiting how often this account may call (flow control). Wait, then try "
     "again.",
     "阿里云正在对该账号限流。请稍候再试。"},
    {"InternalError", "An internal error at Alibaba Cloud. Try again shortly.",
     "阿里云内部错误。请稍后重试。"},
    {"ServiceUnavailable", "Alibaba Cloud is temporarily unavailable. Try again shortly.",
     "阿里云服务暂时不可用。请稍后重试。"},
    // The relay's own.
    {"Relay.OriginNotAllowed",
     "The relay does not accept calls from this page's address. Open the console from the "
     "relay's own address, or add this origin to the relay's allow-list.",
     "中继不接受来自此页面地址的调用。请通过中继自身的地址打开控制台，或把该来源加入中继的允许列表"
     "。"},
    {"Relay.ActionNotAllowed", "The relay does not forward this action.", "中继不转发此操作。"},
    {"Relay.VersionNotAllowed", "The relay forwards only API version 2017-05-25.",
     "中继只转发 2017-05-25 版本的 API。"},
    {"Relay.BadRequest",
     "The relay could not read the request. Reload the page; if it persists, report it.",
     "中继无法解析该请求。请刷新页面；如果持续出现，请反馈。"},
    {"Relay.PayloadTooLarge", "The request is larger than the relay accepts.",
     "请求体超过了中继允许的大小。"},
    {"Relay.RateLimited", "The relay limits how often one client may call. Wait, then try again.",
     "中继限制了单个客户端的调用频率。请稍候再试。"},
    {"Relay.Busy", "The relay is busy. Wait, then try again.", "中继繁忙。请稍候再试。"},
    {"Relay.MisdirectedHost",
     "The relay does not answer to this address. Open the console by the relay's own name, or "
     "ask its operator to add this name.",
     "中继不响应此地址。请通过中继自身的名称打开控制台，或请运维人员添加此名称。"},
    {"Relay.UpstreamUnreachable",
     "The relay could not reach Alibaba Cloud. The request was not delivered, so it is safe to "
     "try again.",
     "中继无法连接阿里云。请求没有送达，可以放心重试。"},
    {"Relay.UpstreamTimeout",
     "Alibaba Cloud did not answer in time. The request may have been carried out: for a "
     "purchase, check your numbers before buying again.",
     "阿里云未能及时应答。请求可能已被执行：如果是购买，请先核对号码，再决定是否重新购买。"},
    {"Relay.UpstreamConnectionLost",
     "The connection to Alibaba Cloud dropped after the request was sent. It may have been "
     "carried out: for a purchase, check your numbers before buying again.",
     "请求发出后与阿里云的连接中断。请求可能已被执行：如果是购买，请先核对号码，再决定是否重新购买"
     "。"},
    {"Relay.UpstreamBadAnswer",
     "Alibaba Cloud's answer could not be read. The request may have been carried out: for a "
     "purchase, check your numbers before buying again.",
     "无法解析阿里云的应答。请求可能已被执行：如果是购买，请先核对号码，再决定是否重新购买。"},
    {"Transport",
     "No answer arrived (network down, relay stopped, or timeout). The request may have been "
     "carried out: for a purchase, check your numbers before buying again.",
     "没有收到应答（网络断开、中继停止或超时）。请求可能已被执行：如果是购买，请先核对号码，再决定"
     "是否重新购买。"},
    {"Malformed",
     "The answer could not be read. The request may have been carried out: for a purchase, "
     "check your numbers before buying again.",
     "无法解析应答。请求可能已被执行：如果是购买，请先核对号码，再决定是否重新购买。"},
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

const CodeHint* find_hint(std::string_view code) {
  for (const CodeHint& hint : kHints) {
    if (hint.code == code) return &hint;
  }
  // Throttling.User, Throttling.Api, InvalidParameter.City, …: fall back to the family.
  std::size_t dot = code.find('.');
  if (dot != std::string_view::npos && !starts_with(code, "isv.") && !starts_with(code, "isp.") &&
      !starts_with(code, "Relay.")) {
    std::string_view family = code.substr(0, dot);
    for (const CodeHint& hint : kHints) {
      if (hint.code == family) return &hint;
    }
  }
  return nullptr;
}

// Hints chosen by what the Message says, for codes that carry the real reason there.
constexpr CodeHint kTokenDropped = {
    "MissingParameter",
    "The request went out without its SecurityToken: STS credentials are three values (key id, "
    "secret and token). Paste the whole answer again, token included.",
    "请求中缺少 SecurityToken：STS 凭证包含三项（密钥 ID、密钥和 Token）。请重新粘贴完整的返回，"
    "包括 Token。"};

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// InvalidParameter "…SecurityToken.Expired…" and MissingParameter naming SecurityToken are how
// people meet expired or dropped tokens; read them as the canonical codes.
const CodeHint* find_hint_by_message(std::string_view code, std::string_view message) {
  if (!contains(message, "SecurityToken")) return nullptr;
  if (starts_with(code, "MissingParameter")) return &kTokenDropped;
  if (!starts_with(code, "InvalidParameter")) return nullptr;
  for (std::string_view canonical :
       {"InvalidSecurityToken.Expired", "InvalidSecurityToken.Malformed",
        "InvalidSecurityToken.MismatchWithAccessKey"}) {
    const std::string_view suffix = canonical.substr(std::string_view("Invalid").size());
    if (contains(message, suffix)) return find_hint(canonical);
  }
  return nullptr;
}

bool is_throttling_code(std::string_view code) {
  return starts_with(code, "Throttling") || code == "FlowLimited" || code == "isv.FLOW_LIMIT" ||
         code == "Relay.RateLimited" || code == "Relay.Busy";
}

bool is_server_code(std::string_view code) {
  static constexpr std::array<std::string_view, 7> kServer = {
      "isp.SYSTEM_ERROR", "isp.DAO_EXCEPTION",  "isp.UNKNOWN_ERR_CODE", "isp.GATEWAY_ERROR",
      "InternalError",    "ServiceUnavailable", "Relay.InternalError"};
  return std::find(kServer.begin(), kServer.end(), code) != kServer.end() ||
         starts_with(code, "Relay.Upstream");
}

bool is_credentials_code(std::string_view code) {
  return starts_with(code, "InvalidAccessKeyId") || starts_with(code, "InvalidSecurityToken") ||
         code == "MissingSecurityToken" || code == "SignatureDoesNotMatch" ||
         code == "IncompleteSignature" || starts_with(code, "InvalidTimeStamp");
}

bool is_permission_code(std::string_view code) {
  return code == "isp.RAM_PERMISSION_DENY" || code == "RamPermissionDenied" ||
         code == "NoPermission" || (starts_with(code, "Forbidden") && code != "Forbidden.Action");
}

bool is_action_refused_code(std::string_view code) {
  return starts_with(code, "InvalidAction") || code == "Forbidden.Action" ||
         code == "isv.FORBIDDEN_ACTION";
}

// Codes the API's metadata lists as its own (not the gateway's), whatever the status.
bool is_business_style_code(std::string_view code) {
  return starts_with(code, "isv.") || starts_with(code, "isp.") || code == "RamPermissionDenied" ||
         code == "POOLKEY_NOT_EXIST" || code == "FlowLimited";
}

bool is_retryable_code(std::string_view code) {
  static constexpr std::array<std::string_view, 8> kRetryable = {
      "isp.SYSTEM_ERROR", "isp.DAO_EXCEPTION",  "isp.UNKNOWN_ERR_CODE",      "isp.GATEWAY_ERROR",
      "InternalError",    "ServiceUnavailable", "Relay.UpstreamUnreachable", "SignatureNonceUsed"};
  return std::find(kRetryable.begin(), kRetryable.end(), code) != kRetryable.end();
}

bool is_outcome_unknown_code(std::string_view code) {
  return code == "Relay.UpstreamTimeout" || code == "Relay.UpstreamConnectionLost" ||
         code == "Relay.UpstreamBadAnswer" || code == "Relay.InternalError";
}

constexpr std::int64_t kMaxAskedWaitMs = std::int64_t{24} * 60 * 60 * 1000;

// A whole non-negative number with optional surrounding spaces, capped; nullopt otherwise.
std::optional<std::int64_t> whole_number(std::string_view text, std::int64_t cap) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty() || text.size() > 15) return std::nullopt;  // an HTTP-date or garbage
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return std::min(value, cap);
}

// The start of an unreadable body, for the person debugging it: control bytes blanked, cut at a
// character boundary.
std::string snippet(std::string_view body) {
  std::size_t length = std::min(body.size(), kSnippetBytes);
  if (length < body.size()) {
    while (length > 0 && (static_cast<unsigned char>(body[length]) & 0xC0) == 0x80) --length;
  }
  std::string out(body.substr(0, length));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  if (length < body.size()) out += "\xE2\x80\xA6";
  return out;
}

Message generic_hint(int http_status) {
  if (http_status >= 200 && http_status < 300) {
    return {"The API refused the request; the Code and Message say why.",
            "API 拒绝了该请求，Code 和 Message 说明了原因。"};
  }
  if (http_status >= 500) {
    return {"A server error (HTTP " + std::to_string(http_status) + ")." +
                std::string(kCheckBeforeRebuyEn),
            "服务端错误（HTTP " + std::to_string(http_status) + "）。" +
                std::string(kCheckBeforeRebuyZh)};
  }
  return {"The request was refused (HTTP " + std::to_string(http_status) +
              "); the Code and Message say why.",
          "请求被拒绝（HTTP " + std::to_string(http_status) + "），Code 和 Message 说明了原因。"};
}

ApiError malformed(int http_status, std::string_view body, std::string request_id = {}) {
  ApiError error;
  error.kind = ErrorKind::kMalformed;
  error.http_status = http_status;
  error.request_id = std::move(request_id);
  error.code = "Malformed";
  error.message = body.empty() ? "The answer (HTTP " + std::to_string(http_status) + ") was empty."
                               : "The answer (HTTP " + std::to_string(http_status) +
                                     ") was not the API's JSON: " + snippet(body);
  const bool success_status = http_status >= 200 && http_status < 300;
  if (success_status || http_status == 500 || http_status == 502 || http_status == 504) {
    // Something answered after the request was delivered, so it may have been carried out.
    error.outcome_unknown = true;
    error.hint = hint_for_code("Malformed", http_status);
  } else if (http_status == 503) {
    error.retryable = true;
    error.hint = hint_for_code("ServiceUnavailable", http_status);
  } else {
    error.hint = generic_hint(http_status);
  }
  return error;
}

// The first index where the two differ (the shorter length when one is a prefix of the other).
std::size_t first_difference(std::string_view a, std::string_view b) {
  std::size_t limit = std::min(a.size(), b.size());
  std::size_t i = 0;
  while (i < limit && a[i] == b[i]) ++i;
  return i;
}

// Which signed parameter of a V1 string to sign (METHOD&%2F&encoded-canonical) holds `offset`.
// Empty when the offset is in the method or path.
std::string v1_parameter_at(std::string_view string_to_sign, std::size_t offset) {
  std::size_t method_end = string_to_sign.find('&');
  if (method_end == std::string_view::npos) return "";
  std::size_t query_start = string_to_sign.find('&', method_end + 1);
  if (query_start == std::string_view::npos || offset <= query_start) return "";
  ++query_start;
  // A difference inside an escape ("%26" against "%25") belongs to where the escape starts, and
  // a separator that differs ends the parameter before it.
  std::size_t position = std::min(offset, string_to_sign.size());
  for (int back = 1; back <= 2; ++back) {
    if (position >= query_start + back && string_to_sign[position - back] == '%') {
      position -= back;
      break;
    }
  }
  std::size_t start = query_start;
  if (position > query_start) {
    std::size_t separator = string_to_sign.rfind("%26", position - 1);
    if (separator != std::string_view::npos && separator >= query_start) start = separator + 3;
  }
  std::size_t name_end = string_to_sign.find("%3D", start);
  if (name_end == std::string_view::npos) name_end = string_to_sign.size();
  return std::string(string_to_sign.substr(start, name_end - start));
}

std::string context_at(std::string_view text, std::size_t offset) {
  std::size_t start = offset > kContextBytes / 2 ? offset - kContextBytes / 2 : 0;
  return "\"" +
         snippet(text.substr(start,
                             std::min(kContextBytes, text.size() - std::min(start, text.size())))) +
         "\"";
}

}  // namespace

// x-acs-retry-after first: the gateway's own header, in milliseconds.
std::optional<std::int64_t> parse_retry_after(const RetryAfterHeaders& headers) {
  if (headers.acs_ms) {
    if (auto ms = whole_number(*headers.acs_ms, kMaxAskedWaitMs)) return ms;
  }
  if (headers.standard_s) {
    if (auto seconds = whole_number(*headers.standard_s, kMaxAskedWaitMs / 1000)) {
      return *seconds * 1000;
    }
  }
  return std::nullopt;
}

std::int64_t throttle_wait_ms(const ApiError& error, int streak) {
  const std::int64_t backoff = std::int64_t{1000} << std::clamp(streak, 0, 4);
  return std::clamp(error.retry_after_ms.value_or(backoff), kMinThrottleWaitMs, kMaxThrottleWaitMs);
}

Message hint_for_code(std::string_view code, int http_status) {
  return hint_for(code, {}, http_status);
}

namespace {

// `text` up to the end of the sentence before `marker` ("" when `marker` is in the first one), or
// all of it when `marker` is absent.
std::string before_sentence_with(const std::string& text, std::string_view marker,
                                 std::string_view stop) {
  const std::size_t at = text.find(marker);
  if (at == std::string::npos) return text;
  const std::size_t end = text.rfind(stop, at);
  return end == std::string::npos ? std::string() : text.substr(0, end + stop.size());
}

}  // namespace

Message hint_for_a_read(const ApiError& error) {
  Message read{before_sentence_with(error.hint.en, "may have been carried out", "."),
               before_sentence_with(error.hint.zh, "可能已被执行", "。")};
  // A hint that is all caveat says nothing for a read: keep it whole rather than say nothing.
  if (read.en.empty() || read.zh.empty()) return error.hint;
  return read;
}

Message hint_for(std::string_view code, std::string_view message, int http_status) {
  const CodeHint* hint = find_hint_by_message(code, message);
  if (hint == nullptr) hint = find_hint(code);
  if (hint != nullptr) return {std::string(hint->en), std::string(hint->zh)};
  return generic_hint(http_status);
}

ErrorFamily family_of_code(std::string_view code, std::string_view message) {
  if (is_throttling_code(code)) return ErrorFamily::kThrottled;
  if (is_credentials_code(code) || find_hint_by_message(code, message) != nullptr) {
    return ErrorFamily::kCredentials;
  }
  if (is_permission_code(code)) return ErrorFamily::kPermission;
  if (is_action_refused_code(code)) return ErrorFamily::kActionRefused;
  if (is_server_code(code)) return ErrorFamily::kServer;
  // Every other code we know names a reason the request was refused before any work.
  if (find_hint(code) != nullptr || starts_with(code, "isv.") || starts_with(code, "Missing") ||
      starts_with(code, "Invalid")) {
    return ErrorFamily::kRefused;
  }
  return ErrorFamily::kOther;
}

ApiError classify_error(int http_status, std::string_view body,
                        const RetryAfterHeaders& retry_after) {
  if (http_status <= 0) return transport_error("no HTTP answer");

  auto parsed = json_read::parse(body);
  if (!parsed || !parsed->is_object()) return malformed(http_status, body);
  auto code = json_read::string_field(*parsed, "Code");
  if (!code || code->empty()) {
    return malformed(http_status, body, json_read::string_field(*parsed, "RequestId").value_or(""));
  }

  ApiError error;
  error.http_status = http_status;
  error.code = *code;
  error.message = json_read::string_field(*parsed, "Message").value_or("");
  error.request_id = json_read::string_field(*parsed, "RequestId").value_or("");
  error.recommend = json_read::string_field(*parsed, "Recommend").value_or("");

  // The code first, the status second: business-style codes come with 200 and with 400 alike.
  if (starts_with(error.code, "Relay.")) {
    error.kind = ErrorKind::kRelay;
  } else if (is_business_style_code(error.code) || (http_status >= 200 && http_status < 300)) {
    error.kind = ErrorKind::kBusiness;
  } else {
    error.kind = ErrorKind::kGateway;
  }
  error.family = family_of_code(error.code, error.message);
  error.hint = hint_for(error.code, error.message, http_status);
  error.throttled = error.family == ErrorFamily::kThrottled || http_status == 429;
  // A refusal for load was not carried out, so it may be sent again (after the wait).
  error.retryable = is_retryable_code(error.code) || http_status == 503 || error.throttled;
  // A code that names a refusal (load, credentials, permission, the action, a parameter) says
  // the work was not done, whatever the status. Otherwise a server error after the request
  // arrived may come after a purchase was committed: only a refusal before the work (4xx, 503,
  // the relay's own refusals) says it was not done.
  const bool refused_by_code =
      error.family == ErrorFamily::kThrottled || error.family == ErrorFamily::kCredentials ||
      error.family == ErrorFamily::kPermission || error.family == ErrorFamily::kActionRefused ||
      error.family == ErrorFamily::kRefused;
  const bool server_failed = http_status == 500 || http_status == 502 || http_status == 504;
  error.outcome_unknown = is_outcome_unknown_code(error.code) ||
                          (!refused_by_code && server_failed && error.kind != ErrorKind::kRelay);
  if (error.throttled || http_status == 503) error.retry_after_ms = parse_retry_after(retry_after);

  if (error.code == "SignatureDoesNotMatch") {
    std::size_t marker = error.message.find(kStringToSignMarker);
    if (marker != std::string::npos) {
      // The server's string to sign carries the SecurityToken: keep it for the diagnosis only,
      // never in the message that is shown and logged.
      error.server_string_to_sign = error.message.substr(marker + kStringToSignMarker.size());
      error.message = error.message.substr(0, marker) + std::string(kStringToSignMarker) +
                      " (kept for the signature diagnosis)";
    }
  }
  return error;
}

ApiError transport_error(std::string_view what) {
  ApiError error;
  error.kind = ErrorKind::kTransport;
  error.http_status = 0;
  error.code = "Transport";
  error.message = std::string(what);
  error.outcome_unknown = true;
  error.hint = hint_for_code("Transport", 0);
  return error;
}

SignatureDiagnosis diagnose_signature_mismatch(std::string_view server_string_to_sign,
                                               std::string_view our_string_to_sign) {
  SignatureDiagnosis diagnosis;
  if (server_string_to_sign == our_string_to_sign) {
    diagnosis.same_string_to_sign = true;
    diagnosis.first_difference = our_string_to_sign.size();
    diagnosis.explanation = {
        "The server built the same string to sign as we did, so the AccessKeySecret is wrong (or "
        "belongs to another key id). Paste the secret that matches this AccessKeyId.",
        "服务端的待签名字符串与本地完全一致，说明 AccessKeySecret 不正确（或属于另一个 "
        "AccessKeyId）。"
        "请粘贴与该 AccessKeyId 配套的 AccessKeySecret。"};
    return diagnosis;
  }
  const std::size_t offset = first_difference(server_string_to_sign, our_string_to_sign);
  diagnosis.first_difference = offset;
  const std::string at = std::to_string(offset);

  if (starts_with(our_string_to_sign, "ACS3-")) {
    diagnosis.explanation = {
        "The strings to sign differ, so the server built a different canonical request (V3 "
        "hashes it, so the exact spot cannot be shown). Check the host the request was signed "
        "for, the signed headers and the query encoding.",
        "待签名字符串不同，说明服务端构造的规范请求与本地不同（V3 "
        "对其取了哈希，无法指出具体位置）。"
        "请检查签名所用的 host、参与签名的请求头以及查询参数的编码。"};
    return diagnosis;
  }
  std::string parameter = v1_parameter_at(our_string_to_sign, offset);
  if (parameter.empty()) {
    diagnosis.explanation = {
        "The strings to sign differ at byte " + at +
            ", in the method or path: the request was sent with another HTTP method than it "
            "was signed for.",
        "待签名字符串在第 " + at +
            " 字节处不同，位于 HTTP 方法或路径部分：发送请求所用的方法与签名时不一致。"};
    return diagnosis;
  }
  std::string where = "in parameter " + parameter;
  std::string where_zh = "位于参数 " + parameter;
  // Never echo the token or a signature back into a message.
  if (parameter != "SecurityToken" && parameter != "Signature") {
    where += " (ours " + context_at(our_string_to_sign, offset) + ", theirs " +
             context_at(server_string_to_sign, offset) + ")";
    where_zh += "（本地 " + context_at(our_string_to_sign, offset) + "，服务端 " +
                context_at(server_string_to_sign, offset) + "）";
  }
  diagnosis.explanation = {
      "The strings to sign differ at byte " + at + ", " + where +
          ": the request was encoded differently from how the server reads it, or changed on the "
          "way. The secret may well be right.",
      "待签名字符串在第 " + at + " 字节处不同，" + where_zh +
          "：请求的编码方式与服务端的解析不一致，或在传输途中被修改。密钥本身可能是正确的。"};
  return diagnosis;
}

}  // namespace dypls
