#include "relay/page_files.h"

#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <iterator>

#include "core/encoding.h"
#include "relay/admission.h"
#include "relay/static_assets.h"

namespace dypls::relay {
namespace {

bool is_regular_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

std::optional<std::uint64_t> file_size(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(info.st_size);
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  out.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return !file.bad();
}

}  // namespace

std::optional<http::Response> PageFiles::serve(const http::Request& req) const {
  std::string decoded;
  if (!percent_decode(target_path(req.target), decoded)) return std::nullopt;
  const auto relative = static_relative_path(decoded);
  if (!relative) return std::nullopt;
  // Symlinks are resolved: a file is served only if its real path is inside the folder.
  const auto inside = [this, &relative](std::string_view extension) -> std::optional<std::string> {
    auto real = real_file_inside(dir_, *relative + std::string(extension));
    if (!real || !is_regular_file(*real)) return std::nullopt;
    return real;
  };
  const auto identity = inside("");
  if (!identity) return std::nullopt;

  const auto accept = find_header(req.headers, "accept-encoding");
  const Precompressed choice = choose_precompressed(accept.value_or(""), inside(".br").has_value(),
                                                    inside(".gz").has_value());
  const auto file = inside(extension_of(choice));
  http::Response res;
  if (!file || !read_file(*file, res.body)) {
    res.status = 500;
    res.body.clear();
    return res;
  }
  // A strong validator of the bytes chosen; a browser holding them gets 304 and no body.
  const std::string etag = entity_tag(res.body);
  res.headers.emplace_back("ETag", etag);
  const auto if_none_match = find_header(req.headers, "if-none-match");
  if (if_none_match && if_none_match_matches(*if_none_match, etag)) {
    res.status = 304;
    res.body.clear();
  }
  // One bounded range at most; several, or a malformed header, get the whole file.
  const auto size = static_cast<std::uint64_t>(res.body.size());
  const RangeDecision range = decide_range(find_header(req.headers, "range"), size);
  if (res.status == 304) {
    // nothing more to send
  } else if (range.kind == RangeDecision::Kind::kPartial) {
    res.status = 206;
    res.body = res.body.substr(range.first, range.last - range.first + 1);
    res.headers.emplace_back("Content-Range", content_range(range, size));
  } else if (range.kind == RangeDecision::Kind::kUnsatisfiable) {
    res.status = 416;
    res.body.clear();
    res.headers.emplace_back("Content-Range", content_range(range, size));
  }
  res.head_only = req.method == "HEAD";
  const HeaderList security = page_security_headers(connect_src_);
  res.headers.insert(res.headers.begin(), security.begin(), security.end());
  res.headers.emplace_back("Cache-Control", std::string(cache_control_for(*relative)));
  res.headers.emplace_back("Vary", "Accept-Encoding");
  res.headers.emplace_back("Content-Type", std::string(content_type_for(*relative)));
  if (choice != Precompressed::kNone) {
    res.headers.emplace_back("Content-Encoding", std::string(encoding_name(choice)));
    // What the browser will have once decoded: a page's download progress counts decoded bytes
    // (fetch gives no others), and Content-Length is the compressed size.
    if (res.status == 200) {
      if (const auto decoded_size = file_size(*identity)) {
        res.headers.emplace_back("X-Decoded-Length", std::to_string(*decoded_size));
      }
    }
  }
  return res;
}

}  // namespace dypls::relay
