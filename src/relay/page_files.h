// Serves the page's files from --static DIR (the I/O half; static_assets.h decides). GET and HEAD
// only; one bounded range at most (never multipart), so no request can make the relay assemble
// more than one copy of a file; a symlink leading out of the folder is not served.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "http/server.h"

namespace dypls::relay {

class PageFiles {
 public:
  PageFiles(std::string dir, std::vector<std::string> connect_src)
      : dir_(std::move(dir)), connect_src_(std::move(connect_src)) {}

  bool enabled() const { return !dir_.empty(); }
  // Answers a GET or HEAD for a file of the page. nullopt when there is no such file (the caller
  // answers 404); otherwise a 200, 206 or 416, or a 500 with an empty body when the file could
  // not be read.
  std::optional<http::Response> serve(const http::Request& req) const;

 private:
  std::string dir_;
  std::vector<std::string> connect_src_;
};

}  // namespace dypls::relay
