#include "core/credentials.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/json_read.h"
#include "core/time_format.h"

namespace dypls {
namespace {

using json_read::Json;

// Long-term secrets are 30 characters and STS secrets longer; anything shorter was cut off.
constexpr std::size_t kShortestSecret = 30;
// Warn when less than this is left: a purchase flow takes a few minutes.
constexpr std::int64_t kExpiryWarningSeconds = 300;
// How deep to look for credentials inside a pasted JSON document ({"body": {"Credentials": …}}).
constexpr int kMaxSearchDepth = 4;
// How many '{' to try as the start of a JSON object when junk surrounds it.
constexpr int kMaxJsonStarts = 8;

enum class Field { kNone, kKeyId, kSecret, kToken, kExpiration };

// The raw values found in a paste, before any checks.
struct Found {
  std::string key_id;
  std::string secret;
  std::string token;
  std::string expiration;  // as written: ISO 8601 or epoch seconds
  std::string role_arn;
  CredentialShape shape = CredentialShape::kCredentialsObject;
  std::vector<Message> notes;  // warnings about how the paste was read

  bool any() const { return !key_id.empty() || !secret.empty() || !token.empty(); }
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// "ALIBABA_CLOUD_ACCESS_KEY_ID", "access_key_id", "accessKeyId", "AccessKeyId" -> "accesskeyid".
std::string normalize_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '_' || c == '-' || c == '.' || c == ' ') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// Which credential a name holds, across the SDKs' environment variables (ALIBABA_CLOUD_*),
// Terraform's (ALICLOUD_ACCESS_KEY, ALICLOUD_SECRET_KEY), the aliyun CLI's (ALIBABACLOUD_*,
// ALIYUN_*), its config file (access_key_id, sts_token, sts_expiration) and STS's own JSON.
Field field_for_name(std::string_view name) {
  std::string normalized = normalize_name(name);
  std::string_view rest = normalized;
  for (std::string_view vendor : {"alibabacloud", "alicloud", "aliyun", "alibaba"}) {
    if (starts_with(rest, vendor)) {
      rest.remove_prefix(vendor.size());
      break;
    }
  }
  static constexpr std::pair<std::string_view, Field> kNames[] = {
      {"accesskeyid", Field::kKeyId},
      {"accesskey", Field::kKeyId},
      {"keyid", Field::kKeyId},
      {"accesskeysecret", Field::kSecret},
      {"secretaccesskey", Field::kSecret},
      {"secretkey", Field::kSecret},
      {"accesssecret", Field::kSecret},
      {"securitytoken", Field::kToken},
      {"ststoken", Field::kToken},
      {"sessiontoken", Field::kToken},
      {"token", Field::kToken},
      {"expiration", Field::kExpiration},
      {"stsexpiration", Field::kExpiration},
      {"expiry", Field::kExpiration},
      {"expiresat", Field::kExpiration},
      {"expiretime", Field::kExpiration},
      {"expiredtime", Field::kExpiration},
  };
  for (const auto& [known, field] : kNames) {
    if (rest == known) return field;
  }
  return Field::kNone;
}

// Keeps the first non-empty value per field.
void assign(Found& found, Field field, std::string_view value) {
  value = trim(value);
  if (value.empty()) return;
  std::string* target = nullptr;
  switch (field) {
    case Field::kKeyId:
      target = &found.key_id;
      break;
    case Field::kSecret:
      target = &found.secret;
      break;
    case Field::kToken:
      target = &found.token;
      break;
    case Field::kExpiration:
      target = &found.expiration;
      break;
    case Field::kNone:
      return;
  }
  if (target->empty()) *target = std::string(value);
}

// ---- JSON shapes ----

// Reads the credential fields among an object's own members; true when a key id or secret was
// among them.
bool read_fields(const Json& object, Found& found) {
  bool any_key = false;
  for (auto it = object.begin(); it != object.end(); ++it) {
    Field field = field_for_name(it.key());
    if (field == Field::kNone) continue;
    auto value = json_read::as_string(it.value());
    if (!value) continue;
    assign(found, field, *value);
    if ((field == Field::kKeyId || field == Field::kSecret) && !trim(*value).empty())
      any_key = true;
  }
  return any_key;
}

bool looks_like_cli_profile(const Json& object) {
  return json_read::member(object, "access_key_id") != nullptr ||
         json_read::member(object, "sts_token") != nullptr ||
         json_read::member(object, "mode") != nullptr;
}

// An aliyun CLI config ({"current": "...", "profiles": [...]}): the current profile, else the
// first one that holds keys.
bool read_cli_config(const Json& config, const Json& profiles, Found& found) {
  auto current = json_read::string_field(config, "current");
  const Json* chosen = nullptr;
  if (current) {
    for (const Json& profile : profiles) {
      if (profile.is_object() && json_read::string_field(profile, "name") == current) {
        chosen = &profile;
        break;
      }
    }
  }
  if (chosen == nullptr || !json_read::member(*chosen, "access_key_id")) {
    for (const Json& profile : profiles) {
      if (profile.is_object() && json_read::member(profile, "access_key_id") != nullptr) {
        if (chosen != nullptr) {
          std::string name = json_read::string_field(profile, "name").value_or("?");
          found.notes.push_back(
              {"The current profile has no access keys; used profile \"" + name + "\" instead.",
               "当前 profile 没有 AccessKey，已改用 profile \"" + name + "\"。"});
        }
        chosen = &profile;
        break;
      }
    }
  }
  if (chosen == nullptr) return false;
  found.shape = CredentialShape::kCliProfile;
  bool any_key = read_fields(*chosen, found);
  if (!any_key) {
    std::string mode = json_read::string_field(*chosen, "mode").value_or("?");
    found.notes.push_back({"The CLI profile (mode " + mode + ") holds no access keys.",
                           "该 CLI profile（mode " + mode + "）中没有 AccessKey。"});
  }
  return any_key;
}

// Looks for credentials in `value` and, failing that, in its nested objects.
bool search_json(const Json& value, int depth, Found& found) {
  if (!value.is_object() || depth > kMaxSearchDepth) return false;

  const Json* profiles = json_read::member(value, "profiles");
  if (profiles != nullptr && profiles->is_array() && read_cli_config(value, *profiles, found)) {
    return true;
  }
  if (const Json* credentials = json_read::object_member(value, "Credentials")) {
    if (read_fields(*credentials, found)) {
      found.shape = CredentialShape::kAssumeRoleResponse;
      if (const Json* user = json_read::object_member(value, "AssumedRoleUser")) {
        found.role_arn = json_read::string_field(*user, "Arn").value_or("");
      }
      return true;
    }
  }
  Found own;
  if (read_fields(value, own)) {
    own.shape = looks_like_cli_profile(value) ? CredentialShape::kCliProfile
                                              : CredentialShape::kCredentialsObject;
    own.notes = std::move(found.notes);
    found = std::move(own);
    return true;
  }
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (search_json(it.value(), depth + 1, found)) return true;
  }
  return false;
}

// The JSON object in the paste, with any junk before or after it (a shell prompt, a command).
std::optional<Json> find_json_object(std::string_view text) {
  std::size_t last = text.rfind('}');
  if (last == std::string_view::npos) return std::nullopt;
  std::size_t start = text.find('{');
  for (int tries = 0; start != std::string_view::npos && start < last && tries < kMaxJsonStarts;
       ++tries) {
    std::string_view candidate = text.substr(start, last - start + 1);
    auto parsed = json_read::parse(candidate);
    if (!parsed && candidate.find_first_of("\r\n") != std::string_view::npos) {
      // A terminal wraps a long token across lines; raw line breaks inside a JSON string make it
      // invalid, and outside strings they mean nothing, so dropping them all is safe.
      std::string joined;
      for (char c : candidate) {
        if (c != '\r' && c != '\n') joined += c;
      }
      parsed = json_read::parse(joined);
    }
    if (parsed && parsed->is_object()) return parsed;
    start = text.find('{', start + 1);
  }
  return std::nullopt;
}

// ---- Line shapes ----

std::string_view strip_quotes(std::string_view value) {
  // ASCII quotes, and the curly ones word processors put in.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kQuotes = {
      {{"\"", "\""},
       {"'", "'"},
       {"\xE2\x80\x9C", "\xE2\x80\x9D"},
       {"\xE2\x80\x98", "\xE2\x80\x99"}}};
  for (const auto& [open, close] : kQuotes) {
    if (value.size() >= open.size() + close.size() && starts_with(value, open) &&
        ends_with(value, close)) {
      return value.substr(open.size(), value.size() - open.size() - close.size());
    }
  }
  return value;
}

bool is_env_style_name(std::string_view name) {
  bool has_underscore = false;
  for (char c : name) {
    if (c >= 'a' && c <= 'z') return false;
    if (c == '_') has_underscore = true;
  }
  return has_underscore;
}

// One `NAME=value`, `NAME: value`, `export NAME="value"`, `$env:NAME="value"`, `set -x NAME value`
// or `"Name": "value",` line. Returns false for lines that are none of these.
bool read_line(std::string_view line, Found& found, bool& env_style) {
  line = trim(line);
  if (line.empty() || line.front() == '#') return false;
  bool exported = false;
  for (std::string_view prefix : {"export ", "declare -x ", "setenv ", "set ", "$env:", "$Env:"}) {
    if (starts_with(line, prefix)) {
      line = trim(line.substr(prefix.size()));
      exported = true;
      break;
    }
  }
  std::string_view name;
  std::string_view value;
  if (exported && starts_with(line, "-")) {
    // fish: set -gx NAME value
    std::size_t flag_end = line.find(' ');
    if (flag_end == std::string_view::npos) return false;
    line = trim(line.substr(flag_end));
    std::size_t gap = line.find_first_of(" \t");
    if (gap == std::string_view::npos) return false;
    name = line.substr(0, gap);
    value = line.substr(gap);
  } else {
    std::size_t separator = line.find_first_of("=:");
    if (separator == std::string_view::npos) {
      // csh: setenv NAME value
      std::size_t gap = line.find_first_of(" \t");
      if (!exported || gap == std::string_view::npos) return false;
      separator = gap;
    }
    name = line.substr(0, separator);
    value = line.substr(separator + 1);
  }
  name = strip_quotes(trim(name));
  if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) return false;
  Field field = field_for_name(name);
  if (field == Field::kNone) return false;

  value = trim(value);
  while (!value.empty() && (value.back() == ',' || value.back() == ';')) value.remove_suffix(1);
  value = strip_quotes(trim(value));
  assign(found, field, value);
  if (exported || is_env_style_name(name)) env_style = true;
  return true;
}

bool read_lines(std::string_view text, Found& found) {
  bool env_style = false;
  bool any = false;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (read_line(line, found, env_style)) any = true;
  }
  found.shape = env_style ? CredentialShape::kEnvExports : CredentialShape::kKeyValueLines;
  return any;
}

// ---- Checks ----

Message error(std::string en, std::string zh) {
  return {std::move(en), std::move(zh)};
}

// What is wrong with the characters of a credential, or nothing.
std::optional<Message> character_problem(std::string_view label, std::string_view value) {
  const std::string name(label);
  for (unsigned char c : value) {
    if (c == '*') {
      return error(name + " is masked with '*'. Copy the real value, not the one shown on screen.",
                   name + " 含有 '*'，是被遮盖的值。请复制真实的值，而不是界面上显示的遮盖值。");
    }
    if (c == '"' || c == '\'') {
      return error(name +
                       " contains a quote mark: it was probably cut off or wrapped across "
                       "lines. Copy it again in one piece.",
                   name + " 中含有引号：可能没有复制完整，或被折成了多行。请完整地重新复制。");
    }
    if (c <= ' ' || c == 0x7F) {
      return error(
          name + " contains spaces or line breaks. Copy it again without extra characters.",
          name + " 中含有空格或换行。请重新复制，不要带多余的字符。");
    }
    if (c >= 0x80) {
      return error(name +
                       " contains non-ASCII characters (full-width letters or curly quotes?). "
                       "Copy it again from the original source.",
                   name + " 中含有非 ASCII 字符（全角字母或中文引号？）。请从原始来源重新复制。");
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> read_expiration(std::string_view text) {
  bool digits_only = !text.empty() && std::all_of(text.begin(), text.end(),
                                                  [](char c) { return c >= '0' && c <= '9'; });
  if (digits_only && text.size() <= 15) {
    // The CLI writes epoch seconds; some tools write milliseconds.
    std::int64_t epoch = std::stoll(std::string(text));
    return epoch > 100'000'000'000 ? epoch / 1000 : epoch;
  }
  return parse_iso8601_utc(text);
}

std::string minutes_text(std::int64_t seconds) {
  return std::to_string((seconds + 59) / 60);
}

CredentialsResult check(Found found, std::int64_t now) {
  CredentialsResult result;
  if (!found.any() && !found.notes.empty()) {
    // The paste was recognised (a CLI config) but held nothing usable: say why.
    const Message& why = found.notes.back();
    result.error = error(why.en + " Paste temporary credentials instead (aliyun sts AssumeRole).",
                         why.zh + "请改为粘贴临时凭证（aliyun sts AssumeRole）。");
    return result;
  }
  if (!found.any()) {
    result.error = error(
        "No credentials found. Paste the AssumeRole answer (JSON), its Credentials object, an "
        "aliyun CLI StsToken profile, or lines such as ALIBABA_CLOUD_ACCESS_KEY_ID=….",
        "未识别到凭证。请粘贴 AssumeRole 返回的 JSON、其中的 Credentials 对象、aliyun CLI 的 "
        "StsToken profile，或 ALIBABA_CLOUD_ACCESS_KEY_ID=… 这样的行。");
    return result;
  }
  if (found.key_id.empty()) {
    result.error = error(
        "Found an AccessKeySecret but no AccessKeyId. Paste the key id that belongs to it as well.",
        "找到了 AccessKeySecret，但没有 AccessKeyId。请把对应的 AccessKeyId 一起粘贴。");
    return result;
  }
  const std::string masked = mask_key_id(found.key_id);
  if (found.secret.empty()) {
    result.error = error("Found AccessKeyId " + masked +
                             " but no AccessKeySecret. Paste the secret that came with it too.",
                         "找到了 AccessKeyId " + masked +
                             "，但没有 AccessKeySecret。请把与之配套的 AccessKeySecret 一起粘贴。");
    return result;
  }
  for (auto [label, value] :
       {std::pair<std::string_view, std::string_view>{"AccessKeyId", found.key_id},
        {"AccessKeySecret", found.secret},
        {"SecurityToken", found.token}}) {
    if (auto problem = character_problem(label, value)) {
      result.error = *problem;
      return result;
    }
  }
  const bool sts_key = starts_with(found.key_id, "STS.");
  if (sts_key && found.token.empty()) {
    result.error =
        error("AccessKeyId " + masked +
                  " is a temporary STS key but no SecurityToken was found. Paste the SecurityToken "
                  "that came with it (the whole AssumeRole answer is easiest).",
              "AccessKeyId " + masked +
                  " 是 STS 临时密钥，但没有找到 SecurityToken。请一起粘贴配套的 SecurityToken"
                  "（直接粘贴整个 AssumeRole 返回最方便）。");
    return result;
  }
  if (!sts_key && !found.token.empty()) {
    result.error = error(
        "A SecurityToken was found, but AccessKeyId " + masked +
            " is not a temporary key (those start with \"STS.\"). Paste the STS key id that came "
            "with the token, or remove the token to use a long-term key.",
        "找到了 SecurityToken，但 AccessKeyId " + masked +
            " 不是临时密钥（临时密钥以 \"STS.\" 开头）。请粘贴与该 Token 配套的 STS AccessKeyId，"
            "或去掉 Token 以使用长期密钥。");
    return result;
  }

  ParsedCredentials parsed;
  parsed.warnings = std::move(found.notes);
  if (!found.expiration.empty()) {
    parsed.expires_at = read_expiration(found.expiration);
    if (!parsed.expires_at) {
      parsed.warnings.push_back(
          {"The expiry time could not be read, so the page cannot warn before these credentials "
           "expire. Expected a time like 2026-11-28T08:52:17Z.",
           "无法读取过期时间，页面将无法在凭证过期前提醒。期望的格式如 2026-11-28T08:52:17Z。"});
    } else if (*parsed.expires_at <= now) {
      const std::string when = format_iso8601_utc(*parsed.expires_at);
      // Seconds under a minute: "1 min ago" three seconds after expiry reads wrong.
      const std::int64_t elapsed = now - *parsed.expires_at;
      const std::string ago_en = elapsed < 60 ? std::to_string(elapsed) + " s ago"
                                              : std::to_string(elapsed / 60) + " min ago";
      const std::string ago_zh = elapsed < 60 ? std::to_string(elapsed) + " 秒前"
                                              : std::to_string(elapsed / 60) + " 分钟前";
      result.error = error("These credentials expired at " + when + " (" + ago_en +
                               "). Request new ones (aliyun sts AssumeRole) and paste them.",
                           "该凭证已于 " + when + " 过期（" + ago_zh +
                               "）。请重新获取（aliyun sts AssumeRole）并粘贴。");
      return result;
    } else if (*parsed.expires_at - now < kExpiryWarningSeconds) {
      const std::string left = minutes_text(*parsed.expires_at - now);
      parsed.warnings.push_back({"These credentials expire in " + left + " min.",
                                 "该凭证将在 " + left + " 分钟内过期。"});
    }
  }
  if (found.secret.size() < kShortestSecret || ends_with(found.secret, "...")) {
    parsed.warnings.push_back(
        {"The AccessKeySecret is only " + std::to_string(found.secret.size()) +
             " characters and looks cut off (real ones have 30 or more). If requests fail with "
             "SignatureDoesNotMatch, copy it again.",
         "AccessKeySecret 只有 " + std::to_string(found.secret.size()) +
             " 个字符，可能没有复制完整（真实的至少 30 个字符）。如果请求报 SignatureDoesNotMatch，"
             "请重新复制。"});
  }
  parsed.key = AccessKey{std::move(found.key_id), std::move(found.secret), std::move(found.token)};
  parsed.shape = found.shape;
  parsed.role_arn = std::move(found.role_arn);
  result.credentials = std::move(parsed);
  return result;
}

std::string_view shape_name_zh(CredentialShape shape) {
  switch (shape) {
    case CredentialShape::kAssumeRoleResponse:
      return "AssumeRole 返回";
    case CredentialShape::kCredentialsObject:
      return "Credentials 对象";
    case CredentialShape::kCliProfile:
      return "aliyun CLI profile";
    case CredentialShape::kEnvExports:
      return "环境变量";
    case CredentialShape::kKeyValueLines:
      return "key=value 行";
  }
  return "未知格式";
}

}  // namespace

std::string_view shape_name(CredentialShape shape) {
  switch (shape) {
    case CredentialShape::kAssumeRoleResponse:
      return "AssumeRole answer";
    case CredentialShape::kCredentialsObject:
      return "Credentials object";
    case CredentialShape::kCliProfile:
      return "aliyun CLI profile";
    case CredentialShape::kEnvExports:
      return "environment variables";
    case CredentialShape::kKeyValueLines:
      return "key=value lines";
  }
  return "unknown";
}

CredentialsResult parse_credentials(std::string_view pasted, std::int64_t now) {
  static constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (starts_with(pasted, kBom)) pasted.remove_prefix(kBom.size());

  Found found;
  if (auto object = find_json_object(pasted)) {
    search_json(*object, 0, found);
  }
  if (!found.any()) {
    Found from_lines;
    from_lines.notes = std::move(found.notes);
    read_lines(pasted, from_lines);
    found = std::move(from_lines);
  }
  return check(std::move(found), now);
}

Message describe_credentials(const ParsedCredentials& parsed, std::int64_t now) {
  Message message;
  message.en = "Read " + std::string(shape_name(parsed.shape)) + ": AccessKeyId " +
               mask_key_id(parsed.key.id);
  message.zh = "已读取" + std::string(shape_name_zh(parsed.shape)) + "：AccessKeyId " +
               mask_key_id(parsed.key.id);
  if (parsed.key.security_token.empty()) {
    message.en += ", a long-term key (no SecurityToken)";
    message.zh += "，长期密钥（无 SecurityToken）";
  } else {
    message.en += ", temporary, with its SecurityToken";
    message.zh += "，临时密钥，含 SecurityToken";
  }
  if (parsed.expires_at) {
    const std::string when = format_iso8601_utc(*parsed.expires_at);
    const std::string left = minutes_text(std::max<std::int64_t>(*parsed.expires_at - now, 0));
    message.en += ", expires " + when + " (in " + left + " min)";
    message.zh += "，过期时间 " + when + "（" + left + " 分钟后）";
  } else {
    message.en += ", expiry unknown";
    message.zh += "，过期时间未知";
  }
  if (!parsed.role_arn.empty()) {
    message.en += ", role " + parsed.role_arn;
    message.zh += "，角色 " + parsed.role_arn;
  }
  message.en += ".";
  message.zh += "。";
  return message;
}

std::string mask_key_id(std::string_view key_id) {
  std::string prefix;
  if (starts_with(key_id, "STS.")) {
    prefix = "STS.";
    key_id.remove_prefix(4);
  } else if (starts_with(key_id, "LTAI")) {
    prefix = "LTAI";
    key_id.remove_prefix(4);
  }
  std::string shown = prefix;
  auto printable = [](char c) { return (c > ' ' && c < 0x7F) ? c : '?'; };
  if (key_id.size() <= 8) {
    // Too short to show both ends without giving most of it away.
    for (char c : key_id.substr(0, std::min<std::size_t>(2, key_id.size() / 2))) {
      shown += printable(c);
    }
  } else {
    for (char c : key_id.substr(0, 4)) shown += printable(c);
    shown += "\xE2\x80\xA6";  // …
    for (char c : key_id.substr(key_id.size() - 4)) shown += printable(c);
    return shown;
  }
  shown += "\xE2\x80\xA6";
  return shown;
}

}  // namespace dypls
