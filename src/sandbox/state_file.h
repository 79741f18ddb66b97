// `--state FILE` on disk: read once at start, rewritten atomically (temporary file, fsync,
// rename) after every change, so a crash leaves either the old or the new state, never half.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace dypls::sandbox {

class StateFile {
 public:
  explicit StateFile(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  // nullopt and an empty error when the file does not exist; nullopt and a message when it
  // cannot be read or parsed.
  std::optional<nlohmann::json> load(std::string& error) const;
  // Writes `document` unless a newer version was already written. False with a message on
  // failure (the old file is left as it was).
  bool save(const nlohmann::json& document, std::uint64_t version, std::string& error);

 private:
  std::string path_;
  std::mutex mutex_;
  std::uint64_t written_version_ = 0;
  bool written_once_ = false;
};

}  // namespace dypls::sandbox
