#include "signer.h"

#include <algorithm>

#include "crypto.h"
#include "encoding.h"

namespace dypls {
namespace {

constexpr std::string_view kV3Algorithm = "ACS3-HMAC-SHA256";
constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";

// The names V1 sets itself; a business parameter of the same name is replaced, never doubled.
// Format is not among them: a caller may ask for XML, as the vendor SDKs allow (JSON otherwise).
bool is_v1_common_name(std::string_view name) {
  static constexpr std::string_view kCommon[] = {
      "Action",         "Version",   "AccessKeyId",   "SignatureMethod", "SignatureVersion",
      "SignatureNonce", "Timestamp", "SecurityToken", "Signature"};
  return std::find(std::begin(kCommon), std::end(kCommon), name) != std::end(kCommon);
}

bool names_format(const Param& param) {
  return param.name == "Format";
}

std::string trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::string with_query(std::string_view query) {
  return query.empty() ? std::string("/") : "/?" + std::string(query);
}

SignedRequest sign_v1(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx) {
  SignedRequest out;
  out.method = spec.method;
  out.canonical = v1::canonical_query(v1::signed_params(spec, key, ctx));
  out.string_to_sign = v1::string_to_sign(spec.method, out.canonical);
  out.signature = v1::signature(key.secret, out.string_to_sign);
  // Signature goes last; the canonical string is already sorted and encoded, so it is the wire
  // form.
  std::string wire = out.canonical + "&Signature=" + percent_encode(out.signature);
  if (spec.method == HttpMethod::kPost) {
    // The form body keeps the token and signature out of URLs and access logs.
    out.path_and_query = "/";
    out.body = std::move(wire);
    out.content_type = std::string(kFormContentType);
  } else {
    out.path_and_query = with_query(wire);
  }
  return out;
}

SignedRequest sign_v3(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx) {
  SignedRequest out;
  out.method = spec.method;
  const std::string query = v1::canonical_query(spec.params);
  const std::string body_hash = hex_lower(sha256(""));  // business parameters travel in the query
  const HeaderList headers = v3::signed_headers(spec, key, ctx, body_hash);
  out.canonical = v3::canonical_request(spec.method, query, headers, body_hash);
  out.string_to_sign = v3::string_to_sign(out.canonical);
  out.signature = v3::signature(key.secret, out.string_to_sign);
  for (const auto& header : headers) {
    if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
    out.signed_headers += header.first;
  }
  out.authorization = std::string(kV3Algorithm) + " Credential=" + key.id +
                      ",SignedHeaders=" + out.signed_headers + ",Signature=" + out.signature;
  // Host is signed but set by the transport from the URL; everything else is sent as signed.
  for (const auto& header : headers) {
    if (header.first != "host") out.headers.push_back(header);
  }
  out.headers.emplace_back("Authorization", out.authorization);
  out.path_and_query = with_query(query);
  return out;
}

}  // namespace

std::string_view method_name(HttpMethod method) {
  return method == HttpMethod::kGet ? "GET" : "POST";
}

namespace v1 {

ParamList signed_params(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx) {
  ParamList params;
  params.reserve(spec.params.size() + 9);
  for (const Param& param : spec.params) {
    if (!is_v1_common_name(param.name)) params.push_back(param);
  }
  params.push_back({"Action", spec.action});
  params.push_back({"Version", spec.version});
  if (std::none_of(spec.params.begin(), spec.params.end(), names_format)) {
    params.push_back({"Format", "JSON"});
  }
  params.push_back({"AccessKeyId", key.id});
  params.push_back({"SignatureMethod", "HMAC-SHA1"});
  params.push_back({"SignatureVersion", "1.0"});
  params.push_back({"SignatureNonce", ctx.nonce});
  params.push_back({"Timestamp", ctx.timestamp});
  if (!key.security_token.empty()) params.push_back({"SecurityToken", key.security_token});
  return params;
}

std::string canonical_query(const ParamList& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const Param& param : params) {
    encoded.emplace_back(percent_encode(param.name), percent_encode(param.value));
  }
  // Byte order of the encoded names; a repeated name keeps its values in order.
  std::stable_sort(encoded.begin(), encoded.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

std::string string_to_sign(HttpMethod method, std::string_view canonical_query) {
  return std::string(method_name(method)) + "&%2F&" + percent_encode(canonical_query);
}

std::string signature(std::string_view secret, std::string_view string_to_sign) {
  return base64_encode(hmac_sha1(std::string(secret) + "&", string_to_sign));
}

}  // namespace v1

namespace v3 {

HeaderList signed_headers(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx,
                          std::string_view body_sha256_hex) {
  HeaderList headers = {
      {"host", spec.host},
      {"x-acs-action", spec.action},
      {"x-acs-content-sha256", std::string(body_sha256_hex)},
      {"x-acs-date", ctx.timestamp},
      {"x-acs-signature-nonce", ctx.nonce},
      {"x-acs-version", spec.version},
  };
  if (!key.security_token.empty()) {
    headers.emplace_back("x-acs-accesskey-id", key.id);
    headers.emplace_back("x-acs-security-token", key.security_token);
  }
  std::sort(headers.begin(), headers.end());
  return headers;
}

std::string canonical_request(HttpMethod method, std::string_view canonical_query,
                              const HeaderList& sorted_headers, std::string_view body_sha256_hex) {
  std::string out(method_name(method));
  out += "\n/\n";
  out += canonical_query;
  out.push_back('\n');
  std::string names;
  for (const auto& [name, value] : sorted_headers) {
    out += name;
    out.push_back(':');
    out += trim(value);
    out.push_back('\n');
    if (!names.empty()) names.push_back(';');
    names += name;
  }
  out.push_back('\n');
  out += names;
  out.push_back('\n');
  out += body_sha256_hex;
  return out;
}

std::string string_to_sign(std::string_view canonical_request) {
  return std::string(kV3Algorithm) + "\n" + hex_lower(sha256(canonical_request));
}

std::string signature(std::string_view secret, std::string_view string_to_sign) {
  return hex_lower(hmac_sha256(secret, string_to_sign));
}

}  // namespace v3

SignedRequest sign(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx) {
  return spec.style == SignatureStyle::kV3 ? sign_v3(spec, key, ctx) : sign_v1(spec, key, ctx);
}

}  // namespace dypls
