// The one upstream, chosen by configuration. Parsed strictly: scheme, host and port only, so a
// configuration mistake (a path, a user name, a query) is refused at start-up, not at run time.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace dypls::relay {

struct Upstream {
  bool tls = true;
  std::string host;  // lower-case name or IP literal (IPv6 without brackets)
  int port = 443;
  // What the relay sends as Host, and what V3 must be signed for: host, plus ":port" when the
  // port is not the scheme's default.
  std::string sign_host() const;
  // "https://host[:port]": for the log and the messages.
  std::string base_url() const;
};

struct UpstreamParse {
  std::optional<Upstream> upstream;
  std::string error;  // what was wrong with the URL, when upstream is empty
};

UpstreamParse parse_upstream_url(std::string_view url);

}  // namespace dypls::relay
