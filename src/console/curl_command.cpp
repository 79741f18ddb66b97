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
  std::string out = "curl -sS -X ";
  out += method_name(request.method);
  out += ' ';
  out += shell_quote(url);
  const auto line = [&out](const char* option, const std::string& value) {
    out += " \\\n  ";
    out += option;
    out += ' ';
    out += shell_quote(value);
  };
  for (const auto& [name, value] : request.headers) {
    std::string header = name;
    header += ": ";
    header += value;
    line("-H", header);
  }
  if (!request.body.empty()) {
    line("-H", "Content-Type: " + request.content_type);
    line("--data-raw", request.body);
  }
  return out;
}

}  // namespace dypls::console
