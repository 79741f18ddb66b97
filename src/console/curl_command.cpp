#include "curl_command.h"

namespace dypls::console {

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string curl_command(const SignedRequest& request, const std::string& url) {
  std::string out =
      "curl -sS -X " + std::string(method_name(request.method)) + ' ' + shell_quote(url);
  for (const auto& [name, value] : request.headers) {
    out += " \\\n  -H " + shell_quote(name + ": " + value);
  }
  if (!request.body.empty()) {
    out += " \\\n  -H " + shell_quote("Content-Type: " + request.content_type);
    out += " \\\n  --data-raw " + shell_quote(request.body);
  }
  return out;
}

}  // namespace dypls::console
