#include "cli/sign_json.h"

#include <algorithm>
#include <array>

#include "core/time_format.h"

namespace dypls::cli {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 12> kKnownFields = {
    "id",     "method",  "style",    "accessKeyId", "accessKeySecret", "securityToken",
    "action", "version", "endpoint", "nonce",       "timestamp",       "params"};

// The parameter names the signer sets itself; passing one as a business parameter is a mistake.
// Format is not one: it overrides the default JSON, as the vendor SDKs allow.
constexpr std::array<std::string_view, 9> kReservedParams = {
    "Action",         "Version",   "AccessKeyId",   "SignatureMethod", "SignatureVersion",
    "SignatureNonce", "Timestamp", "SecurityToken", "Signature"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string type_name(const Json& value) {
  return value.type_name();
}

// A required or optional string member. Returns an error message, or "" on success.
std::string read_string(const Json& line, const char* name, bool required, std::string& out) {
  const auto it = line.find(name);
  if (it == line.end() || it->is_null()) {
    return required ? std::string("missing \"") + name + "\": add it as a string" : std::string();
  }
  if (!it->is_string()) {
    return std::string("\"") + name + "\" must be a string, not " + type_name(*it);
  }
  out = it->get<std::string>();
  if (required && out.empty()) return std::string("\"") + name + "\" is empty: give a value";
  return {};
}

// V3 sends these as header values: a control byte would break the header (or inject one).
bool has_control_byte(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

std::string check_header_safe(const SignInput& in) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"accessKeyId", &in.key.id},
      {"securityToken", &in.key.security_token},
      {"action", &in.spec.action},
      {"version", &in.spec.version},
      {"nonce", &in.ctx.nonce}};
  for (const auto& [name, value] : fields) {
    if (has_control_byte(*value)) {
      return std::string("\"") + name + "\" contains a control character (newline, tab...): " +
             "remove it; a pasted value often carries a stray line break";
    }
  }
  return {};
}

std::string read_method(const Json& line, HttpMethod& method) {
  std::string text = "POST";
  if (auto error = read_string(line, "method", false, text); !error.empty()) return error;
  std::transform(text.begin(), text.end(), text.begin(),
                 [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
  if (text == "GET") {
    method = HttpMethod::kGet;
  } else if (text == "POST") {
    method = HttpMethod::kPost;
  } else {
    return "\"method\" must be \"GET\" or \"POST\"";
  }
  return {};
}

std::string read_style(const Json& line, SignatureStyle& style) {
  std::string text = "v1";
  if (auto error = read_string(line, "style", false, text); !error.empty()) return error;
  if (text == "v1" || text == "V1") {
    style = SignatureStyle::kV1;
  } else if (text == "v3" || text == "V3") {
    style = SignatureStyle::kV3;
  } else {
    return "\"style\" must be \"v1\" or \"v3\"";
  }
  return {};
}

// host or host:port; no scheme, path or spaces, since it becomes both URL and signed Host.
bool is_endpoint(std::string_view endpoint) {
  if (endpoint.empty()) return false;
  return std::all_of(endpoint.begin(), endpoint.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == ':' || c == '[' || c == ']';
  });
}

// Strings as they are, integers as digits, booleans as true/false.
std::string render_param(const std::string& name, const Json& value, std::string& out) {
  if (value.is_string()) {
    out = value.get<std::string>();
  } else if (value.is_boolean()) {
    out = value.get<bool>() ? "true" : "false";
  } else if (value.is_number_integer()) {
    out = value.dump();
  } else if (value.is_number_float()) {
    return "param \"" + name + "\" is a number with a fraction or too large: pass it as a string";
  } else {
    return "param \"" + name + "\" must be a string, number or boolean, not " + type_name(value) +
           " (leave an unused optional out; send \"\" for an empty value)";
  }
  return {};
}

std::string read_params(const Json& line, ParamList& params) {
  const auto it = line.find("params");
  if (it == line.end() || it->is_null()) return {};
  if (!it->is_object()) return "\"params\" must be an object of name: value, not " + type_name(*it);
  for (const auto& [name, value] : it->items()) {
    if (name.empty()) return "a param has an empty name";
    if (contains(kReservedParams, name)) {
      return "param \"" + name + "\" is set by the signer: use the top-level fields instead";
    }
    Param param{name, {}};
    if (auto error = render_param(name, value, param.value); !error.empty()) return error;
    params.push_back(std::move(param));
  }
  return {};
}

std::string read_timestamp(const Json& line, const SigningContext& fresh, std::string& out) {
  out = fresh.timestamp;
  if (auto error = read_string(line, "timestamp", false, out); !error.empty()) return error;
  // The API takes whole seconds only.
  if (out.size() != 20 || !parse_iso8601_utc(out)) {
    return "\"timestamp\" must be UTC like 2026-11-28T06:52:17Z (no fraction), or left out";
  }
  return {};
}

std::string read_all(const Json& line, const SigningContext& fresh, SignInput& in) {
  if (!line.is_object()) return "each line must be one JSON object, not " + type_name(line);
  for (const auto& item : line.items()) {
    if (!contains(kKnownFields, item.key())) {
      return "unknown field \"" + item.key() +
             "\": expected method, style, accessKeyId, accessKeySecret, securityToken, action, "
             "version, endpoint, nonce, timestamp, params, id";
    }
  }
  std::string error;
  if (error = read_method(line, in.spec.method); !error.empty()) return error;
  if (error = read_style(line, in.spec.style); !error.empty()) return error;
  if (error = read_string(line, "accessKeyId", true, in.key.id); !error.empty()) return error;
  if (error = read_string(line, "accessKeySecret", true, in.key.secret); !error.empty()) {
    return error;
  }
  if (error = read_string(line, "securityToken", false, in.key.security_token); !error.empty()) {
    return error;
  }
  if (error = read_string(line, "action", true, in.spec.action); !error.empty()) return error;
  if (error = read_string(line, "version", false, in.spec.version); !error.empty()) return error;
  if (in.spec.version.empty()) return "\"version\" is empty: leave it out for 2017-05-25";
  if (error = read_string(line, "endpoint", false, in.spec.host); !error.empty()) return error;
  if (!is_endpoint(in.spec.host)) {
    return "\"endpoint\" must be a host or host:port, without scheme or path";
  }
  in.ctx.nonce = fresh.nonce;
  if (error = read_string(line, "nonce", false, in.ctx.nonce); !error.empty()) return error;
  if (in.ctx.nonce.empty()) return "\"nonce\" is empty: give a fresh random value or leave it out";
  if (error = read_timestamp(line, fresh, in.ctx.timestamp); !error.empty()) return error;
  if (error = check_header_safe(in); !error.empty()) return error;
  return read_params(line, in.spec.params);
}

Json headers_to_json(const HeaderList& headers) {
  Json out = Json::object();
  for (const auto& [name, value] : headers) out[name] = value;
  return out;
}

}  // namespace

std::string request_url(std::string_view endpoint, std::string_view path_and_query) {
  return "https://" + std::string(endpoint) + std::string(path_and_query);
}

SignInputResult read_sign_input(const Json& line, const SigningContext& fresh) {
  SignInputResult result;
  SignInput input;
  result.error = read_all(line, fresh, input);
  if (result.error.empty()) result.input = std::move(input);
  return result;
}

Json signed_to_json(const SignInput& input, const SignedRequest& signed_request) {
  Json out = Json::object();
  out["signature"] = signed_request.signature;
  out["stringToSign"] = signed_request.string_to_sign;
  out["method"] = std::string(method_name(signed_request.method));
  out["url"] = request_url(input.spec.host, signed_request.path_and_query);
  out["timestamp"] = input.ctx.timestamp;
  out["nonce"] = input.ctx.nonce;
  if (input.spec.style == SignatureStyle::kV1) {
    out["canonicalQuery"] = signed_request.canonical;
    if (!signed_request.body.empty()) {
      out["body"] = signed_request.body;
      out["contentType"] = signed_request.content_type;
    }
  } else {
    out["canonicalRequest"] = signed_request.canonical;
    out["authorization"] = signed_request.authorization;
    out["signedHeaders"] = signed_request.signed_headers;
    out["headers"] = headers_to_json(signed_request.headers);
  }
  return out;
}

std::string sign_json_line(std::string_view line, const SigningContext& fresh) {
  Json answer;
  const Json request = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
    answer = {{"error", "empty line: each line must hold one request object"}};
  } else if (request.is_discarded()) {
    answer = {{"error", "not one JSON object: each line must hold exactly one request object"}};
  } else {
    const SignInputResult read = read_sign_input(request, fresh);
    if (read.input) {
      answer =
          signed_to_json(*read.input, sign(read.input->spec, read.input->key, read.input->ctx));
    } else {
      answer = {{"error", read.error}};
    }
    if (request.is_object() && request.contains("id")) answer["id"] = request["id"];
  }
  // Inputs were valid UTF-8 JSON, but never let a stray byte turn into an exception.
  return answer.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace dypls::cli
