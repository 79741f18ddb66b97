#include "sandbox/state_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dypls::sandbox {

std::optional<nlohmann::json> StateFile::load(std::string& error) const {
  error.clear();
  std::error_code ignored;
  if (!std::filesystem::exists(path_, ignored)) return std::nullopt;
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    error = "cannot open " + path_ + " for reading";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
  if (document.is_discarded()) {
    error = path_ + " is not valid JSON; move it away to start with a fresh state";
    return std::nullopt;
  }
  return document;
}

bool StateFile::save(const nlohmann::json& document, std::uint64_t version, std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (written_once_ && version <= written_version_) return true;  // a newer one is on disk
  const std::string temporary = path_ + ".tmp." + std::to_string(::getpid());
  const std::string text = document.dump(1);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot write " + temporary + ": " + std::strerror(errno);
    return false;
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = "cannot write " + temporary + ": " + std::strerror(errno);
      ::close(fd);
      ::unlink(temporary.c_str());
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    error = "cannot flush " + temporary + ": " + std::strerror(errno);
    ::unlink(temporary.c_str());
    return false;
  }
  if (std::rename(temporary.c_str(), path_.c_str()) != 0) {
    error = "cannot replace " + path_ + ": " + std::strerror(errno);
    ::unlink(temporary.c_str());
    return false;
  }
  written_version_ = version;
  written_once_ = true;
  return true;
}

}  // namespace dypls::sandbox
