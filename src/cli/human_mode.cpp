#include "cli/human_mode.h"

#include <istream>
#include <ostream>

#include <nlohmann/json.hpp>

#include "cli/sign_json.h"

namespace dypls::cli {
namespace {

using Json = nlohmann::json;

struct Flags {
  Json request =
      Json::object();  // built in the line protocol's shape, so both modes validate alike
  Json params = Json::object();
};

// Flags that take a value, and the request field each one fills.
struct ValueFlag {
  std::string_view flag;
  const char* field;
};
constexpr ValueFlag kValueFlags[] = {
    {"--action", "action"},       {"--style", "style"},       {"--method", "method"},
    {"--key-id", "accessKeyId"},  {"--endpoint", "endpoint"}, {"--version", "version"},
    {"--timestamp", "timestamp"}, {"--nonce", "nonce"},
};

// Returns an error message, or "" when every flag was understood.
std::string parse_flags(const std::vector<std::string>& args, Flags& flags) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    bool has_inline_value = false;
    if (const auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
      has_inline_value = true;
    }
    if (flag == "--secret" || flag == "--access-key-secret") {
      return "the secret is never a flag (it would show in ps): set "
             "ALIBABA_CLOUD_ACCESS_KEY_SECRET or pipe it on stdin";
    }
    const bool is_param = flag == "--param";
    const ValueFlag* known = nullptr;
    for (const auto& candidate : kValueFlags) {
      if (candidate.flag == flag) known = &candidate;
    }
    if (!is_param && known == nullptr) return "unknown option " + flag + " (see --help)";
    if (!has_inline_value) {
      if (i + 1 >= args.size()) return flag + " needs a value";
      value = args[++i];
    }
    if (is_param) {
      const auto eq = value.find('=');
      if (eq == std::string::npos || eq == 0) return "--param wants NAME=VALUE, got: " + value;
      flags.params[value.substr(0, eq)] = value.substr(eq + 1);
    } else {
      flags.request[known->field] = value;
    }
  }
  return {};
}

void print_stages(const SignInput& input, const SignedRequest& request, std::ostream& out) {
  const bool v1 = input.spec.style == SignatureStyle::kV1;
  out << "Signature " << (v1 ? "V1 (HMAC-SHA1)" : "V3 (ACS3-HMAC-SHA256)") << ", "
      << method_name(input.spec.method) << " " << input.spec.action << " on " << input.spec.host
      << "\n";
  out << "AccessKeyId:    " << input.key.id
      << (input.key.security_token.empty() ? "" : "  (with STS security token)") << "\n";
  out << "Timestamp:      " << input.ctx.timestamp << "\n";
  out << "Nonce:          " << input.ctx.nonce << "\n\n";
  out << (v1 ? "1. Canonical query string:\n" : "1. Canonical request:\n") << request.canonical
      << "\n\n";
  out << "2. String to sign:\n" << request.string_to_sign << "\n\n";
  out << "3. Signature:\n" << request.signature << "\n\n";
  if (!v1) out << "Authorization:\n" << request.authorization << "\n\n";
  out << "Request:\n" << curl_command(input.spec.host, request) << "\n\n";
  out << "A signed request is good once, within about 15 minutes of its timestamp: sign again for "
         "every attempt.\n";
}

std::string strip_line_end(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

}  // namespace

std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

std::string curl_command(const std::string& endpoint, const SignedRequest& request) {
  std::string out = "curl -sS -X " + std::string(method_name(request.method));
  for (const auto& [name, value] : request.headers) {
    std::string line = name;
    line += ": ";
    line += value;
    out += " \\\n  -H " + shell_quote(line);
  }
  if (!request.content_type.empty()) {
    out += " \\\n  -H " + shell_quote("Content-Type: " + request.content_type);
  }
  if (!request.body.empty()) out += " \\\n  --data-raw " + shell_quote(request.body);
  out += " \\\n  " + shell_quote(request_url(endpoint, request.path_and_query));
  return out;
}

int run_human_mode(const std::vector<std::string>& args, const HumanEnvironment& env,
                   std::istream& in, std::ostream& out, std::ostream& err) {
  Flags flags;
  if (const std::string error = parse_flags(args, flags); !error.empty()) {
    err << "dypls-sign: " << error << "\n";
    return 2;
  }
  if (!flags.request.contains("accessKeyId") && !env.key_id.empty()) {
    flags.request["accessKeyId"] = env.key_id;
  }
  std::string secret = env.secret;
  if (secret.empty()) {
    std::getline(in, secret);
    secret = strip_line_end(secret);
  }
  if (secret.empty()) {
    err << "dypls-sign: no AccessKeySecret: set ALIBABA_CLOUD_ACCESS_KEY_SECRET or pipe the "
           "secret on stdin\n";
    return 2;
  }
  flags.request["accessKeySecret"] = secret;
  if (!env.security_token.empty()) flags.request["securityToken"] = env.security_token;
  flags.request["params"] = flags.params;

  const SignInputResult read = read_sign_input(flags.request, env.fresh);
  if (!read.input) {
    err << "dypls-sign: " << read.error << "\n";
    return 2;
  }
  print_stages(*read.input, sign(read.input->spec, read.input->key, read.input->ctx), out);
  return 0;
}

}  // namespace dypls::cli
