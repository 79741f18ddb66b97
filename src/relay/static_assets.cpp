#include "relay/static_assets.h"

#include <climits>
#include <cstdlib>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <utility>

#include "core/crypto.h"
#include "core/encoding.h"

namespace dypls::relay {
namespace {

std::string_view extension(std::string_view name) {
  const auto dot = name.rfind('.');
  const auto slash = name.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return name.substr(dot);
}

std::string_view base_name(std::string_view name) {
  const auto slash = name.rfind('/');
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

bool is_hex_run(std::string_view text) {
  return text.size() >= 8 && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

// A segment of at least 8 hex digits between separators, before the extension.
bool has_content_hash(std::string_view name) {
  std::string_view stem = base_name(name);
  stem = stem.substr(0, stem.size() - extension(stem).size());
  std::size_t start = 0;
  for (std::size_t i = 0; i <= stem.size(); ++i) {
    if (i == stem.size() || stem[i] == '.' || stem[i] == '-' || stem[i] == '_') {
      if (start > 0 && is_hex_run(stem.substr(start, i - start))) return true;
      start = i + 1;
    }
  }
  return false;
}

// Parses "gzip;q=0.5" -> q for `coding`; -1 when the coding is not listed.
double quality_of(std::string_view accept, std::string_view coding) {
  double star = -1;
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    const auto semi = item.find(';');
    std::string_view name = item.substr(0, semi);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    double q = 1.0;
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      const auto qpos = params.find("q=");
      if (qpos != std::string_view::npos) {
        q = std::atof(std::string(params.substr(qpos + 2)).c_str());
      }
    }
    if (name == coding) return q;
    if (name == "*") star = q;
  }
  return star;
}

// Digits only, no sign, no overflow.
std::optional<std::uint64_t> parse_offset(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

std::optional<std::string> real_path(const std::string& path) {
  const std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr),
                                                             &std::free);
  if (!resolved) return std::nullopt;
  return std::string(resolved.get());
}

}  // namespace

bool is_inside(std::string_view root_real, std::string_view file_real) {
  if (root_real.empty() || root_real.front() != '/') return false;
  while (root_real.size() > 1 && root_real.back() == '/') root_real.remove_suffix(1);
  const std::string_view prefix = root_real == "/" ? std::string_view() : root_real;
  return file_real.size() > prefix.size() + 1 && file_real.substr(0, prefix.size()) == prefix &&
         file_real[prefix.size()] == '/';
}

std::optional<std::string> real_file_inside(const std::string& root, const std::string& relative) {
  const auto root_real = real_path(root);
  auto file_real = real_path(root + "/" + relative);
  if (!root_real || !file_real || !is_inside(*root_real, *file_real)) return std::nullopt;
  return file_real;
}

RangeDecision decide_range(std::optional<std::string_view> range_header, std::uint64_t size) {
  RangeDecision whole;
  if (!range_header || range_header->size() > 64) return whole;
  std::string_view spec = *range_header;
  while (!spec.empty() && (spec.front() == ' ' || spec.front() == '\t')) spec.remove_prefix(1);
  while (!spec.empty() && (spec.back() == ' ' || spec.back() == '\t')) spec.remove_suffix(1);
  constexpr std::string_view kUnit = "bytes=";
  if (spec.substr(0, kUnit.size()) != kUnit) return whole;
  spec.remove_prefix(kUnit.size());
  if (spec.find(',') != std::string_view::npos) return whole;  // never multipart
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const std::string_view from = spec.substr(0, dash);
  const std::string_view to = spec.substr(dash + 1);
  RangeDecision decision;
  decision.kind = RangeDecision::Kind::kPartial;
  if (from.empty()) {  // "-N": the last N bytes
    const auto suffix = parse_offset(to);
    if (!suffix) return whole;
    if (*suffix == 0 || size == 0) return RangeDecision{RangeDecision::Kind::kUnsatisfiable, 0, 0};
    decision.first = size - std::min(*suffix, size);
    decision.last = size - 1;
    return decision;
  }
  const auto first = parse_offset(from);
  const auto last = to.empty() ? std::optional<std::uint64_t>(UINT64_MAX) : parse_offset(to);
  if (!first || !last || *last < *first) return whole;
  if (*first >= size) return RangeDecision{RangeDecision::Kind::kUnsatisfiable, 0, 0};
  decision.first = *first;
  decision.last = std::min(*last, size - 1);
  return decision;
}

std::string content_range(const RangeDecision& decision, std::uint64_t size) {
  switch (decision.kind) {
    case RangeDecision::Kind::kPartial:
      return "bytes " + std::to_string(decision.first) + "-" + std::to_string(decision.last) + "/" +
             std::to_string(size);
    case RangeDecision::Kind::kUnsatisfiable:
      return "bytes */" + std::to_string(size);
    case RangeDecision::Kind::kWhole:
      break;
  }
  return "";
}

std::optional<std::string> static_relative_path(std::string_view decoded_path) {
  if (decoded_path.empty() || decoded_path.front() != '/') return std::nullopt;
  std::string_view rest = decoded_path.substr(1);
  if (rest.empty()) return std::string("index.html");
  if (rest.size() > 256) return std::nullopt;
  for (char ch : rest) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F || ch == '\\' || ch == ':') return std::nullopt;
  }
  std::string_view segments = rest;
  while (true) {
    const auto slash = segments.find('/');
    const std::string_view segment = segments.substr(0, slash);
    if (segment.empty() || segment.front() == '.') return std::nullopt;
    if (slash == std::string_view::npos) break;
    segments = segments.substr(slash + 1);
  }
  return std::string(rest);
}

std::string_view content_type_for(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".woff2", "font/woff2"},
      {".png", "image/png"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".webmanifest", "application/manifest+json"},
      {".data", "application/octet-stream"},
  }};
  const std::string_view ext = extension(file_name);
  for (const auto& [known, type] : kTypes) {
    if (ext == known) return type;
  }
  return "application/octet-stream";
}

std::string_view cache_control_for(std::string_view file_name) {
  if (extension(file_name) == ".html") return "no-cache";
  if (has_content_hash(file_name)) return "public, max-age=31536000, immutable";
  return "no-cache";
}

std::string_view extension_of(Precompressed choice) {
  switch (choice) {
    case Precompressed::kGzip:
      return ".gz";
    case Precompressed::kBrotli:
      return ".br";
    case Precompressed::kNone:
      break;
  }
  return "";
}

std::string_view encoding_name(Precompressed choice) {
  switch (choice) {
    case Precompressed::kGzip:
      return "gzip";
    case Precompressed::kBrotli:
      return "br";
    case Precompressed::kNone:
      break;
  }
  return "";
}

std::string entity_tag(std::string_view bytes) {
  return '"' + hex_lower(sha256(bytes)).substr(0, 32) + '"';
}

bool if_none_match_matches(std::string_view if_none_match, std::string_view etag) {
  const auto opaque = [](std::string_view tag) {
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    return tag;
  };
  std::size_t at = 0;
  while (at < if_none_match.size()) {
    std::size_t end = if_none_match.find(',', at);
    if (end == std::string_view::npos) end = if_none_match.size();
    std::string_view item = if_none_match.substr(at, end - at);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item == "*" || (!item.empty() && opaque(item) == opaque(etag))) return true;
    at = end + 1;
  }
  return false;
}

Precompressed choose_precompressed(std::string_view accept_encoding, bool have_br, bool have_gz) {
  if (have_br && quality_of(accept_encoding, "br") > 0) return Precompressed::kBrotli;
  if (have_gz && quality_of(accept_encoding, "gzip") > 0) return Precompressed::kGzip;
  return Precompressed::kNone;
}

std::string content_security_policy(const std::vector<std::string>& extra_connect) {
  std::string connect = "'self'";
  for (const auto& origin : extra_connect) connect += " " + origin;
  // 'wasm-unsafe-eval' lets WebAssembly compile without allowing JS eval; Emscripten styles the
  // canvas through the CSSOM, which style-src does not restrict, so no 'unsafe-inline'.
  return "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src " + connect +
         "; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
         "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";
}

HeaderList page_security_headers(const std::vector<std::string>& extra_connect) {
  return {
      {"Content-Security-Policy", content_security_policy(extra_connect)},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
  };
}

}  // namespace dypls::relay
