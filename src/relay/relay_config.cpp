#include "relay/relay_config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "core/ascii_text.h"

namespace dypls::relay {
namespace {

struct Option {
  std::string_view flag;  // "--listen"
  std::string_view env;   // "DYPLS_RELAY_LISTEN"
  std::string_view arg;   // "HOST:PORT"; empty for a switch
  std::string_view help;
};

const std::vector<Option>& options() {
  static const std::vector<Option> kOptions = {
      {"--listen", "DYPLS_RELAY_LISTEN", "HOST:PORT",
       "address to listen on; port 0 picks a free one (default 127.0.0.1:8080)"},
      {"--upstream", "DYPLS_RELAY_UPSTREAM", "URL",
       "the one upstream (default https://dyplsapi.aliyuncs.com); TLS is verified"},
      {"--origins", "DYPLS_RELAY_ORIGINS", "LIST",
       "comma-separated origins allowed to call the relay, exact match (the page the relay "
       "serves itself is always allowed)"},
      {"--actions", "DYPLS_RELAY_ACTIONS", "LIST",
       "comma-separated actions forwarded (default: the six the console uses)"},
      {"--static", "DYPLS_RELAY_STATIC", "DIR", "serve the page from DIR"},
      {"--connect-src", "DYPLS_RELAY_CONNECT_SRC", "LIST",
       "comma-separated origins added to the page's CSP connect-src"},
      {"--sandbox", "DYPLS_RELAY_SANDBOX", "",
       "the upstream is dypls-sandbox: also forward GET /sandbox/assume-role"},
      {"--ca-file", "DYPLS_RELAY_CA_FILE", "PATH",
       "PEM file of CAs for the upstream (default: the system store)"},
      {"--max-body", "DYPLS_RELAY_MAX_BODY", "BYTES", "request body cap (default 8192)"},
      {"--max-header-bytes", "DYPLS_RELAY_MAX_HEADER_BYTES", "BYTES",
       "request headers cap, names and values (default 16384)"},
      {"--rate", "DYPLS_RELAY_RATE", "N",
       "API calls per second per client address, refilled steadily; 0 turns it off (default 5)"},
      {"--burst", "DYPLS_RELAY_BURST", "N", "API calls a client may make at once (default 20)"},
      {"--workers", "DYPLS_RELAY_WORKERS", "N", "upstream calls in flight at once (default 16)"},
      {"--queue", "DYPLS_RELAY_QUEUE", "N",
       "calls waiting for one of them before new ones get Relay.Busy (default 64)"},
      {"--io-threads", "DYPLS_RELAY_IO_THREADS", "N",
       "event loops serving connections, one thread each (default: one per core)"},
      {"--head-timeout-ms", "DYPLS_RELAY_HEAD_TIMEOUT_MS", "MS",
       "time a client has to send a whole request head, from its first byte, however it is "
       "paced (default 5000; at most --client-timeout-ms)"},
      {"--client-timeout-ms", "DYPLS_RELAY_CLIENT_TIMEOUT_MS", "MS",
       "time a client has to send a request's body (default 10000)"},
      {"--keep-alive-ms", "DYPLS_RELAY_KEEP_ALIVE_MS", "MS",
       "idle time a client connection is kept between requests (default 5000)"},
      {"--connect-timeout-ms", "DYPLS_RELAY_CONNECT_TIMEOUT_MS", "MS",
       "upstream connect timeout (default 3000)"},
      {"--read-timeout-ms", "DYPLS_RELAY_READ_TIMEOUT_MS", "MS",
       "upstream silence allowed while waiting for its answer (default 10000)"},
      {"--total-timeout-ms", "DYPLS_RELAY_TOTAL_TIMEOUT_MS", "MS",
       "upstream exchange deadline (default 15000)"},
      {"--public-host", "DYPLS_RELAY_PUBLIC_HOST", "LIST",
       "comma-separated names the relay answers to, as in the Host header: NAME (any port) or "
       "NAME:PORT; any other Host gets 421 Relay.MisdirectedHost (default: the listen address, "
       "localhost, 127.0.0.1)"},
      {"--trusted-proxy", "DYPLS_RELAY_TRUSTED_PROXY", "LIST",
       "comma-separated addresses or CIDR blocks (10.0.0.0/8, ::1) of the proxies in front; "
       "from them, the last X-Forwarded-For hop is the client for rate limits and the log "
       "(default: none, the TCP peer is the client)"},
      {"--help", "", "", "print this help and exit"},
  };
  return kOptions;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())) != 0) {
      item.remove_prefix(1);
    }
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back())) != 0) {
      item.remove_suffix(1);
    }
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

std::optional<long long> parse_integer(std::string_view text, long long low, long long high) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < low || value > high) return std::nullopt;
  return value;
}

// An origin is scheme://host[:port] with nothing after it.
bool is_origin(std::string_view text) {
  const bool https = text.substr(0, 8) == "https://";
  const bool http = text.substr(0, 7) == "http://";
  if (!https && !http) return false;
  const std::string_view rest = text.substr(https ? 8 : 7);
  return !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == ':' ||
           c == '[' || c == ']';
  });
}

// "name[:port]" or "[v6][:port]" from a Host header or a --public-host item: the name lower-case
// and the port (0 when absent). nullopt for anything else.
struct HostName {
  std::string name;
  int port = 0;
};

std::optional<HostName> split_host(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty() || text.size() > 255) return std::nullopt;
  std::string_view name;
  std::string_view rest;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close < 3) return std::nullopt;
    name = text.substr(0, close + 1);
    const std::string_view inside = name.substr(1, name.size() - 2);
    if (!std::all_of(inside.begin(), inside.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
        })) {
      return std::nullopt;
    }
    rest = text.substr(close + 1);
  } else {
    const auto colon = text.find(':');
    name = text.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
        })) {
      return std::nullopt;
    }
  }
  HostName host;
  for (char c : name)
    host.name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (rest.empty()) return host;
  if (rest.front() != ':') return std::nullopt;
  const auto port = parse_integer(rest.substr(1), 1, 65535);
  if (!port || rest.size() > 6) return std::nullopt;
  host.port = static_cast<int>(*port);
  return host;
}

// The 16-byte form of an IPv4 or IPv6 address (IPv4 as ::ffff:a.b.c.d).
std::optional<std::array<unsigned char, 16>> parse_address(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string copy(text);
  std::array<unsigned char, 16> bytes{};
  unsigned char v4[4];
  if (::inet_pton(AF_INET, copy.c_str(), v4) == 1) {
    bytes[10] = 0xFF;
    bytes[11] = 0xFF;
    std::memcpy(bytes.data() + 12, v4, 4);
    return bytes;
  }
  if (::inet_pton(AF_INET6, copy.c_str(), bytes.data()) == 1) return bytes;
  return std::nullopt;
}

bool is_v4_mapped(const std::array<unsigned char, 16>& bytes) {
  static constexpr std::array<unsigned char, 12> kPrefix = {0, 0, 0, 0, 0,    0,
                                                            0, 0, 0, 0, 0xFF, 0xFF};
  return std::equal(kPrefix.begin(), kPrefix.end(), bytes.begin());
}

std::string address_text(const std::array<unsigned char, 16>& bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_v4_mapped(bytes)) {
    ::inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
  } else {
    ::inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  }
  return text;
}

bool in_range(const std::array<unsigned char, 16>& address, const AddressRange& range) {
  int bits = range.prefix_bits;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
    if ((address[i] & mask) != (range.network[i] & mask)) return false;
  }
  return true;
}

bool truthy(std::string_view text) {
  return text == "1" || text == "true" || text == "yes" || text == "on";
}

}  // namespace

const std::vector<std::string>& default_actions() {
  static const std::vector<std::string> kActions = {"QuerySecretNoRemain", "BuySecretNo",
                                                    "ReleaseSecretNo",     "QuerySecretNoDetail",
                                                    "LockSecretNo",        "UnlockSecretNo"};
  return kActions;
}

std::string help_text() {
  std::string text =
      "dypls-relay: forwards the console's signed Dyplsapi calls to one upstream, adding CORS,\n"
      "and serves the page.\n\n"
      "Usage: dypls-relay [options]\n\n"
      "API calls go to /api/ and are forwarded to the upstream's /. Also served: /healthz,\n"
      "/relay/config and, with --static, the page. Every option can also be set through the\n"
      "environment variable shown; a flag wins over the variable.\n\nOptions:\n";
  for (const auto& option : options()) {
    std::string left = "  " + std::string(option.flag);
    if (!option.arg.empty()) left += " " + std::string(option.arg);
    text += left + "\n      " + std::string(option.help);
    if (!option.env.empty()) text += "  [" + std::string(option.env) + "]";
    text += "\n";
  }
  text += "\nSIGTERM or SIGINT: stop accepting, finish the requests in flight, exit.\n";
  return text;
}

ConfigResult parse_config(const std::vector<std::string>& args, const EnvLookup& env) {
  ConfigResult result;
  // Environment first, then flags on top.
  std::vector<std::pair<std::string, std::string>> settings;  // flag, value
  for (const auto& option : options()) {
    if (option.env.empty()) continue;
    if (auto value = env(option.env)) settings.emplace_back(option.flag, *value);
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (const auto eq = flag.find('='); eq != std::string::npos && flag.rfind("--", 0) == 0) {
      inline_value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    const auto option = std::find_if(options().begin(), options().end(),
                                     [&flag](const Option& o) { return o.flag == flag; });
    if (option == options().end()) {
      result.error = "unknown option '" + flag + "'; see --help";
      return result;
    }
    if (flag == "--help") {
      result.show_help = true;
      return result;
    }
    if (option->arg.empty()) {
      settings.emplace_back(flag, inline_value.value_or("1"));
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        result.error = flag + " needs a value (" + std::string(option->arg) + "); see --help";
        return result;
      }
      inline_value = args[++i];
    }
    settings.emplace_back(flag, *inline_value);
  }

  RelayConfig config;
  config.upstream = *parse_upstream_url("https://dyplsapi.aliyuncs.com").upstream;
  config.admission.allowed_actions = default_actions();
  for (const auto& [flag, value] : settings) {
    auto number_in = [&result, flag = flag](const std::string& text, long long low,
                                            long long high) {
      const auto parsed = parse_integer(text, low, high);
      if (!parsed) {
        result.error = flag;
        result.error += ": '" + text + "' is not a whole number from ";
        result.error += std::to_string(low) + " to " + std::to_string(high);
      }
      return parsed.value_or(0);
    };
    auto number = [&number_in, value = value](long long low, long long high) {
      return number_in(value, low, high);
    };
    if (flag == "--listen") {
      const auto colon = value.rfind(':');
      if (colon == std::string::npos || colon == 0) {
        result.error = "--listen: expected HOST:PORT, e.g. 127.0.0.1:8080, got '" + value + "'";
        return result;
      }
      std::string host = value.substr(0, colon);
      if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
      }
      config.listen_host = host;
      config.listen_port = static_cast<int>(number_in(value.substr(colon + 1), 0, 65535));
    } else if (flag == "--upstream") {
      auto parsed = parse_upstream_url(value);
      if (!parsed.upstream) {
        result.error = parsed.error;
        return result;
      }
      config.upstream = *parsed.upstream;
    } else if (flag == "--origins") {
      config.admission.allowed_origins = split_list(value);
      for (const auto& origin : config.admission.allowed_origins) {
        if (!is_origin(origin)) {
          result.error = "--origins: '" + origin +
                         "' is not an origin (scheme://host[:port], no path or wildcard)";
          return result;
        }
      }
    } else if (flag == "--actions") {
      config.admission.allowed_actions = split_list(value);
      if (config.admission.allowed_actions.empty()) {
        result.error = "--actions: the list is empty; name at least one action";
        return result;
      }
    } else if (flag == "--static") {
      config.static_dir = value;
    } else if (flag == "--connect-src") {
      config.connect_src = split_list(value);
      for (const auto& origin : config.connect_src) {
        if (!is_origin(origin)) {
          result.error = "--connect-src: '" + origin + "' is not an origin";
          return result;
        }
      }
    } else if (flag == "--public-host") {
      config.public_hosts = split_list(value);
      if (config.public_hosts.empty()) {
        result.error = "--public-host: the list is empty; name at least one host";
        return result;
      }
      for (const auto& host : config.public_hosts) {
        if (!split_host(host)) {
          result.error = "--public-host: '" + host +
                         "' is not a host name as a Host header carries it (NAME, NAME:PORT or "
                         "[IPv6]:PORT, no scheme or path)";
          return result;
        }
      }
    } else if (flag == "--trusted-proxy") {
      config.trusted_proxies.clear();
      for (const auto& item : split_list(value)) {
        const auto range = parse_address_range(item);
        if (!range) {
          result.error = "--trusted-proxy: '" + item +
                         "' is not an address or CIDR block (e.g. 10.0.0.5, 10.0.0.0/8, ::1)";
          return result;
        }
        config.trusted_proxies.push_back(*range);
      }
    } else if (flag == "--sandbox") {
      config.sandbox = truthy(value);
    } else if (flag == "--ca-file") {
      config.ca_file = value;
    } else if (flag == "--max-body") {
      config.admission.max_body_bytes = static_cast<std::size_t>(number(0, 1 << 20));
    } else if (flag == "--max-header-bytes") {
      config.admission.max_header_bytes = static_cast<std::size_t>(number(1024, 65536));
    } else if (flag == "--rate") {
      config.rate.per_second = static_cast<double>(number(0, 1000000));
    } else if (flag == "--burst") {
      config.rate.burst = static_cast<double>(number(1, 1000000));
    } else if (flag == "--workers") {
      config.workers = static_cast<int>(number(1, 1024));
    } else if (flag == "--queue") {
      config.queue = static_cast<int>(number(1, 100000));
    } else if (flag == "--io-threads") {
      config.io_threads = static_cast<int>(number(1, 256));
    } else if (flag == "--head-timeout-ms") {
      config.head_timeout_ms = static_cast<int>(number(100, 600000));
    } else if (flag == "--client-timeout-ms") {
      config.client_timeout_ms = static_cast<int>(number(100, 600000));
    } else if (flag == "--keep-alive-ms") {
      config.keep_alive_ms = static_cast<int>(number(0, 600000));
    } else if (flag == "--connect-timeout-ms") {
      config.connect_timeout_ms = static_cast<int>(number(10, 600000));
    } else if (flag == "--read-timeout-ms") {
      config.read_timeout_ms = static_cast<int>(number(10, 600000));
    } else if (flag == "--total-timeout-ms") {
      config.total_timeout_ms = static_cast<int>(number(10, 600000));
    }
    if (!result.error.empty()) return result;
  }
  if (config.public_hosts.empty()) {
    const std::string& listen = config.listen_host;
    const bool wildcard = listen.empty() || listen == "0.0.0.0" || listen == "::";
    if (!wildcard) {
      config.public_hosts.push_back(listen.find(':') == std::string::npos ? listen
                                                                          : "[" + listen + "]");
    }
    config.public_hosts.emplace_back("localhost");
    config.public_hosts.emplace_back("127.0.0.1");
  }
  if (config.total_timeout_ms < config.read_timeout_ms) {
    config.total_timeout_ms = config.read_timeout_ms;
  }
  result.config = std::move(config);
  return result;
}

std::optional<AddressRange> parse_address_range(std::string_view text) {
  const auto slash = text.find('/');
  const auto address = parse_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  AddressRange range;
  range.network = *address;
  const bool v4 =
      is_v4_mapped(*address) && text.substr(0, slash).find(':') == std::string_view::npos;
  if (slash != std::string_view::npos) {
    const auto bits = parse_integer(text.substr(slash + 1), 0, v4 ? 32 : 128);
    if (!bits) return std::nullopt;
    range.prefix_bits = static_cast<int>(*bits) + (v4 ? 96 : 0);
  }
  return range;
}

bool host_allowed(const RelayConfig& config, std::string_view host_header) {
  const auto host = split_host(host_header);
  if (!host) return false;
  return std::any_of(config.public_hosts.begin(), config.public_hosts.end(),
                     [&host](const std::string& entry) {
                       const auto allowed = split_host(entry);
                       return allowed && allowed->name == host->name &&
                              (allowed->port == 0 || allowed->port == host->port);
                     });
}

std::optional<std::string_view> single_host_header(const HeaderList& headers) {
  std::optional<std::string_view> host;
  for (const auto& [name, value] : headers) {
    if (!iequals_ascii(name, "host")) continue;
    if (host) return std::nullopt;  // two Host headers: which one would a proxy have routed on?
    host = value;
  }
  return host;
}

bool request_host_allowed(const RelayConfig& config, const HeaderList& headers) {
  const auto host = single_host_header(headers);
  return host && host_allowed(config, *host);
}

std::string client_address(std::string_view peer_address,
                           const std::vector<std::string>& x_forwarded_for_values,
                           const std::vector<AddressRange>& trusted) {
  const auto peer = parse_address(peer_address);
  if (!peer) return std::string(peer_address);
  const bool from_proxy =
      std::any_of(trusted.begin(), trusted.end(),
                  [&peer](const AddressRange& r) { return in_range(*peer, r); });
  if (!from_proxy || x_forwarded_for_values.empty()) return address_text(*peer);
  // The proxy appends the address it saw: the last item is the only one it vouches for.
  std::string_view last = x_forwarded_for_values.back();
  if (const auto comma = last.rfind(','); comma != std::string_view::npos) {
    last = last.substr(comma + 1);
  }
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  const auto client = parse_address(last);
  return client ? address_text(*client) : address_text(*peer);
}

}  // namespace dypls::relay
