#include "relay/page_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>

#include "core/encoding.h"
#include "relay/admission.h"
#include "relay/static_assets.h"

namespace dypls::relay {
namespace {

bool is_regular_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  out.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return !file.bad();
}

void put_header(httplib::Response& res, const std::string& name, const std::string& value) {
  res.headers.erase(name);
  res.set_header(name, value);
}

}  // namespace

bool PageFiles::serve(const httplib::Request& req, httplib::Response& res) const {
  std::string decoded;
  if (!percent_decode(target_path(req.target), decoded)) return false;
  const auto relative = static_relative_path(decoded);
  if (!relative) return false;
  const std::string file = dir_ + "/" + *relative;
  if (!is_regular_file(file)) return false;

  const auto accept = req.headers.find("Accept-Encoding");
  const Precompressed choice =
      choose_precompressed(accept == req.headers.end() ? "" : accept->second,
                           is_regular_file(file + ".br"), is_regular_file(file + ".gz"));
  std::string body;
  if (!read_file(file + std::string(extension_of(choice)), body)) {
    res.status = 500;
    return true;
  }
  res.status = 200;
  for (const auto& [name, value] : page_security_headers(connect_src_))
    put_header(res, name, value);
  put_header(res, "Cache-Control", std::string(cache_control_for(*relative)));
  put_header(res, "Vary", "Accept-Encoding");
  const std::string etag = entity_tag(body);
  put_header(res, "ETag", etag);
  const auto if_none_match = req.headers.find("If-None-Match");
  if (if_none_match != req.headers.end() && if_none_match_matches(if_none_match->second, etag)) {
    res.status = 304;  // the browser's copy is current: no body
    return true;
  }
  const std::string content_type(content_type_for(*relative));
  if (choice == Precompressed::kNone) {
    res.body = std::move(body);  // httplib may compress it on the fly
    put_header(res, "Content-Type", content_type);
    return true;
  }
  put_header(res, "Content-Encoding", std::string(encoding_name(choice)));
  // Sent through a sized provider: httplib compresses a body it is given, whatever its
  // Content-Encoding says, so a .gz file would go out compressed twice.
  auto bytes = std::make_shared<const std::string>(std::move(body));
  res.set_content_provider(
      bytes->size(), content_type,
      [bytes](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        return sink.write(bytes->data() + offset, std::min(length, bytes->size() - offset));
      });
  return true;
}

}  // namespace dypls::relay
