#include "sandbox/authenticator.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/time_format.h"

namespace dypls::sandbox {
namespace {

constexpr std::string_view kV3Algorithm = "ACS3-HMAC-SHA256";
constexpr std::string_view kStsPrefix = "STS.";

// The parameters V1 adds around the business ones.
constexpr std::string_view kV1CommonNames[] = {
    "Action",          "Version",          "Format",         "AccessKeyId",
    "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp",
    "SecurityToken",   "Signature",        "SignatureType"};

bool is_v1_common(std::string_view name) {
  return std::find(std::begin(kV1CommonNames), std::end(kV1CommonNames), name) !=
         std::end(kV1CommonNames);
}

AuthResult reject(int status, std::string code, std::string message) {
  AuthResult result;
  result.error = {status, std::move(code), std::move(message)};
  return result;
}
AuthResult reject(GatewayError error) {
  AuthResult result;
  result.error = std::move(error);
  return result;
}

// Compares without stopping at the first difference, so timing says nothing about the secret.
bool same_bytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = static_cast<unsigned char>(
        diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
  }
  return diff == 0;
}

AuthResult signature_mismatch(std::string_view server_string_to_sign) {
  return reject(400, "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation. server string to sign "
                "is:" +
                    std::string(server_string_to_sign));
}

// Timestamp window; returns an error result or nullopt.
std::optional<AuthResult> check_time(std::string_view stamp, const AuthPolicy& policy,
                                     std::int64_t now, std::int64_t& when) {
  const std::optional<std::int64_t> parsed = parse_iso8601_utc(stamp);
  if (!parsed) {
    return reject(400, "InvalidTimeStamp.Format",
                  "Specified time stamp or date header is not valid: use UTC "
                  "YYYY-MM-DDThh:mm:ssZ, e.g. 2026-11-28T06:52:17Z.");
  }
  when = *parsed;
  if (when < now - policy.time_window_seconds || when > now + policy.time_window_seconds) {
    return reject(400, "InvalidTimeStamp.Expired",
                  "Specified time stamp or date header is expired. The request time " +
                      std::string(stamp) + " is more than " +
                      std::to_string(policy.time_window_seconds / 60) +
                      " minutes from the server's time " + format_iso8601_utc(now) +
                      "; check the client's clock.");
  }
  return std::nullopt;
}

// Key lookup and the STS token rules. Sets `key` on success.
std::optional<AuthResult> check_key(std::string_view key_id, std::optional<std::string_view> token,
                                    const KeyStore& keys, std::int64_t now,
                                    std::optional<SigningKey>& key) {
  const bool looks_temporary = key_id.substr(0, kStsPrefix.size()) == kStsPrefix;
  if (looks_temporary && (!token || token->empty())) {
    return reject(400, "MissingSecurityToken",
                  "SecurityToken is mandatory for this action: temporary (STS.) AccessKeyIds "
                  "must be sent with their SecurityToken.");
  }
  key = keys.find(key_id);
  if (!key) {
    return reject(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
  }
  if (key->temporary) {
    if (*token != key->token) {
      if (keys.token_known(*token)) {
        return reject(400, "InvalidSecurityToken.MismatchWithAccessKey",
                      "Specified SecurityToken mismatch with the AccessKey: send the token issued "
                      "together with this AccessKeyId.");
      }
      return reject(400, "InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed.");
    }
    if (key->expires_at <= now) {
      return reject(400, "InvalidSecurityToken.Expired",
                    "Specified SecurityToken is expired (at " +
                        format_iso8601_utc(key->expires_at) + "); get new temporary credentials.");
    }
  }
  return std::nullopt;
}

std::optional<AuthResult> check_nonce(std::string_view key_id, std::string_view nonce,
                                      std::int64_t when, NonceWindow& nonces,
                                      const AuthPolicy& policy, std::int64_t now) {
  if (!policy.check_nonce) return std::nullopt;
  // Remember it for as long as its timestamp would still be accepted.
  const std::int64_t forget_at = std::max(when, now) + policy.time_window_seconds;
  if (!nonces.remember(key_id, nonce, forget_at, now)) {
    return reject(400, "SignatureNonceUsed",
                  "Specified signature nonce was used already: every request, retries included, "
                  "needs a new nonce and timestamp.");
  }
  return std::nullopt;
}

std::optional<HttpMethod> method_of(std::string_view method) {
  if (method == "GET") return HttpMethod::kGet;
  if (method == "POST") return HttpMethod::kPost;
  return std::nullopt;
}

AuthResult authenticate_v1(const IncomingRequest& request, HttpMethod method, const KeyStore& keys,
                           NonceWindow& nonces, const AuthPolicy& policy, std::int64_t now) {
  // The gateway signs the union of the query and the form body.
  ParamList all = request.query;
  all.insert(all.end(), request.form.begin(), request.form.end());
  for (std::string_view name : {"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion",
                                "SignatureNonce", "Timestamp", "Action", "Version"}) {
    const auto value = find_param(all, name);
    if (!value || value->empty()) return reject(missing_parameter(name));
  }
  if (*find_param(all, "SignatureMethod") != "HMAC-SHA1") {
    return reject(invalid_parameter("SignatureMethod", "only HMAC-SHA1 is supported"));
  }
  if (*find_param(all, "SignatureVersion") != "1.0") {
    return reject(invalid_parameter("SignatureVersion", "only 1.0 is supported"));
  }
  std::int64_t when = 0;
  if (auto error = check_time(*find_param(all, "Timestamp"), policy, now, when)) return *error;
  const std::string key_id(*find_param(all, "AccessKeyId"));
  std::optional<SigningKey> key;
  if (auto error = check_key(key_id, find_param(all, "SecurityToken"), keys, now, key)) {
    return *error;
  }

  ParamList signed_params;
  signed_params.reserve(all.size());
  std::string_view signature;
  for (const Param& param : all) {
    if (param.name == "Signature") {
      if (signature.empty()) signature = param.value;
    } else {
      signed_params.push_back(param);
    }
  }
  const std::string string_to_sign = v1::string_to_sign(method, v1::canonical_query(signed_params));
  if (!same_bytes(v1::signature(key->secret, string_to_sign), signature)) {
    return signature_mismatch(string_to_sign);
  }
  if (auto error =
          check_nonce(key_id, *find_param(all, "SignatureNonce"), when, nonces, policy, now)) {
    return *error;
  }

  Caller caller;
  caller.style = SignatureStyle::kV1;
  caller.key_id = key_id;
  caller.account_key_id = key->owner_key_id;
  caller.temporary = key->temporary;
  caller.action = std::string(*find_param(all, "Action"));
  caller.version = std::string(*find_param(all, "Version"));
  for (const Param& param : all) {
    if (!is_v1_common(param.name)) caller.params.push_back(param);
  }
  AuthResult result;
  result.caller = std::move(caller);
  return result;
}

struct V3Authorization {
  std::string algorithm;
  std::string credential;
  std::vector<std::string> signed_headers;
  std::string signature;
};

std::optional<V3Authorization> parse_v3_authorization(std::string_view value) {
  V3Authorization out;
  const std::size_t space = value.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  out.algorithm = std::string(value.substr(0, space));
  std::string_view rest = value.substr(space + 1);
  bool has_headers = false;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view name = part.substr(0, eq);
    const std::string_view field = part.substr(eq + 1);
    if (name == "Credential") {
      out.credential = std::string(field);
    } else if (name == "Signature") {
      out.signature = std::string(field);
    } else if (name == "SignedHeaders") {
      has_headers = true;
      std::string_view list = field;
      while (!list.empty()) {
        const std::size_t semi = list.find(';');
        if (semi != 0) out.signed_headers.emplace_back(list.substr(0, semi));
        list = semi == std::string_view::npos ? std::string_view() : list.substr(semi + 1);
      }
    }
  }
  if (out.credential.empty() || out.signature.empty() || !has_headers) return std::nullopt;
  return out;
}

AuthResult authenticate_v3(const IncomingRequest& request, HttpMethod method,
                           std::string_view authorization, const KeyStore& keys,
                           NonceWindow& nonces, const AuthPolicy& policy, std::int64_t now) {
  const std::optional<V3Authorization> auth = parse_v3_authorization(authorization);
  if (!auth) {
    return reject(400, "IncompleteSignature",
                  "The request signature does not conform to Aliyun standards: Authorization must "
                  "be 'ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,"
                  "Signature=<hex>'.");
  }
  if (auth->algorithm != kV3Algorithm) {
    return reject(400, "InvalidParameter",
                  "The signature algorithm " + auth->algorithm +
                      " is not supported here; use ACS3-HMAC-SHA256.");
  }
  for (std::string_view name : {"x-acs-action", "x-acs-version", "x-acs-date",
                                "x-acs-signature-nonce", "x-acs-content-sha256"}) {
    const auto value = request.header(name);
    if (!value || value->empty()) return reject(missing_parameter(name));
  }
  for (std::string_view name : {"host", "x-acs-action", "x-acs-version", "x-acs-date",
                                "x-acs-signature-nonce", "x-acs-content-sha256"}) {
    if (std::find(auth->signed_headers.begin(), auth->signed_headers.end(), name) ==
        auth->signed_headers.end()) {
      return reject(400, "IncompleteSignature",
                    "The request signature does not conform to Aliyun standards: SignedHeaders "
                    "must include " +
                        std::string(name) + ".");
    }
  }
  const std::string body_hash = hex_lower(sha256(request.body));
  if (*request.header("x-acs-content-sha256") != body_hash) {
    return reject(400, "InvalidParameter",
                  "x-acs-content-sha256 does not match the body: it must be the lower-case hex "
                  "SHA-256 of the bytes sent (" +
                      body_hash + " for this body).");
  }
  std::int64_t when = 0;
  if (auto error = check_time(*request.header("x-acs-date"), policy, now, when)) return *error;
  const auto token = request.header("x-acs-security-token");
  std::optional<SigningKey> key;
  if (auto error = check_key(auth->credential, token, keys, now, key)) return *error;
  if (token && std::find(auth->signed_headers.begin(), auth->signed_headers.end(),
                         "x-acs-security-token") == auth->signed_headers.end()) {
    return reject(400, "IncompleteSignature",
                  "The request signature does not conform to Aliyun standards: SignedHeaders "
                  "must include x-acs-security-token.");
  }

  HeaderList signed_headers;
  for (const std::string& name : auth->signed_headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto value =
        lower == "host" ? std::optional<std::string_view>(request.host) : request.header(lower);
    signed_headers.emplace_back(lower, std::string(value.value_or("")));
  }
  std::sort(signed_headers.begin(), signed_headers.end());
  const std::string canonical =
      v3::canonical_request(method, v1::canonical_query(request.query), signed_headers,
                            *request.header("x-acs-content-sha256"));
  const std::string string_to_sign = v3::string_to_sign(canonical);
  if (!same_bytes(v3::signature(key->secret, string_to_sign), auth->signature)) {
    return signature_mismatch(string_to_sign);
  }
  if (auto error = check_nonce(auth->credential, *request.header("x-acs-signature-nonce"), when,
                               nonces, policy, now)) {
    return *error;
  }

  Caller caller;
  caller.style = SignatureStyle::kV3;
  caller.key_id = auth->credential;
  caller.account_key_id = key->owner_key_id;
  caller.temporary = key->temporary;
  caller.action = std::string(*request.header("x-acs-action"));
  caller.version = std::string(*request.header("x-acs-version"));
  caller.params = request.query;
  caller.params.insert(caller.params.end(), request.form.begin(), request.form.end());
  AuthResult result;
  result.caller = std::move(caller);
  return result;
}

}  // namespace

GatewayError missing_parameter(std::string_view name) {
  return {400, "MissingParameter",
          "The input parameter \"" + std::string(name) +
              "\" that is mandatory for processing this request is not supplied."};
}

GatewayError invalid_parameter(std::string_view name, std::string_view why) {
  return {400, "InvalidParameter",
          "The specified parameter \"" + std::string(name) +
              "\" is not valid: " + std::string(why) + "."};
}

AuthResult authenticate(const IncomingRequest& request, const KeyStore& keys, NonceWindow& nonces,
                        const AuthPolicy& policy, std::int64_t now) {
  const std::optional<HttpMethod> method = method_of(request.method);
  if (!method) {
    return reject(
        400, "UnsupportedHTTPMethod",
        "Specified HTTP method " + request.method + " is not supported; use GET or POST.");
  }
  const auto authorization = request.header("authorization");
  if (authorization && authorization->substr(0, 5) == "ACS3-") {
    return authenticate_v3(request, *method, *authorization, keys, nonces, policy, now);
  }
  return authenticate_v1(request, *method, keys, nonces, policy, now);
}

}  // namespace dypls::sandbox
