#include "relay/upstream_url.h"

#include <cctype>

namespace dypls::relay {
namespace {

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
}

bool is_ipv6_char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
}

UpstreamParse fail(const std::string& why) {
  UpstreamParse result;
  result.error = "--upstream: " + why + " (expected e.g. https://dyplsapi.aliyuncs.com)";
  return result;
}

}  // namespace

std::string Upstream::sign_host() const {
  const bool default_port = (tls && port == 443) || (!tls && port == 80);
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string name = ipv6 ? "[" + host + "]" : host;
  return default_port ? name : name + ":" + std::to_string(port);
}

std::string Upstream::base_url() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return std::string(tls ? "https://" : "http://") + (ipv6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

UpstreamParse parse_upstream_url(std::string_view url) {
  Upstream upstream;
  std::string_view rest;
  if (url.substr(0, 8) == "https://") {
    upstream.tls = true;
    upstream.port = 443;
    rest = url.substr(8);
  } else if (url.substr(0, 7) == "http://") {
    upstream.tls = false;
    upstream.port = 80;
    rest = url.substr(7);
  } else {
    return fail("the scheme must be https:// or http://");
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#@\\") != std::string_view::npos) {
    return fail("give only scheme, host and port: no path, query, fragment or user name");
  }
  std::string_view host = rest;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return fail("unclosed [ in an IPv6 address");
    host = rest.substr(1, close - 1);
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("unexpected text after the IPv6 address");
      port = after.substr(1);
    }
    if (host.empty()) return fail("empty IPv6 address");
    for (char c : host) {
      if (!is_ipv6_char(c)) return fail("bad character in the IPv6 address");
    }
  } else {
    const auto colon = rest.find(':');
    if (colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
    }
    if (host.empty()) return fail("the host is missing");
    for (char c : host) {
      if (!is_host_char(c)) return fail("bad character in the host name");
    }
  }
  if (!port.empty() || rest.find(':') != std::string_view::npos) {
    if (port.empty() || port.size() > 5) return fail("the port must be 1-65535");
    int value = 0;
    for (char c : port) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0)
        return fail("the port must be a number");
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) return fail("the port must be 1-65535");
    upstream.port = value;
  }
  for (char c : host) {
    upstream.host.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  UpstreamParse result;
  result.upstream = std::move(upstream);
  return result;
}

}  // namespace dypls::relay
