// Fuzzes the dypls-sign line protocol with arbitrary lines, and checks what must always hold:
// every line gets exactly one JSON object back, either signed or {"error": ...}, and an error
// never repeats the secret it was given.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/sign_json.h"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const dypls::SigningContext fresh{"2026-11-28T06:52:17Z", "fuzz-nonce-0001"};
  const std::string answer = dypls::cli::sign_json_line(line, fresh);

  require(answer.find('\n') == std::string::npos);  // one line out per line in
  const nlohmann::json parsed = nlohmann::json::parse(answer, nullptr, false);
  require(parsed.is_object());
  if (parsed.contains("error")) {
    require(parsed["error"].is_string() && !parsed["error"].get<std::string>().empty());
    // When the input named a secret long enough to be one, the error must not echo it.
    const nlohmann::json request = nlohmann::json::parse(line, nullptr, false);
    if (request.is_object() && request.contains("accessKeySecret") &&
        request["accessKeySecret"].is_string()) {
      const std::string secret = request["accessKeySecret"].get<std::string>();
      if (secret.size() >= 16) {
        require(parsed["error"].get<std::string>().find(secret) == std::string::npos);
      }
    }
    return 0;
  }
  require(parsed.contains("signature") && parsed["signature"].is_string());
  require(parsed.contains("stringToSign") && parsed["stringToSign"].is_string());
  return 0;
}
