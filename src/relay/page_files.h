// Serves the page's files from --static DIR (the I/O half; static_assets.h decides).
#pragma once
#include <httplib.h>

#include <string>
#include <vector>

namespace dypls::relay {

class PageFiles {
 public:
  PageFiles(std::string dir, std::vector<std::string> connect_src)
      : dir_(std::move(dir)), connect_src_(std::move(connect_src)) {}

  bool enabled() const { return !dir_.empty(); }
  // Answers a GET or HEAD for a file of the page. False when there is no such file (the caller
  // answers 404); true when `res` holds the answer, a 200 or a 500 whose body is still empty.
  bool serve(const httplib::Request& req, httplib::Response& res) const;

 private:
  std::string dir_;
  std::vector<std::string> connect_src_;
};

}  // namespace dypls::relay
