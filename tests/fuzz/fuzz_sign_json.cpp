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

// The error text itself may happen to contain a secret the fuzzer made up from it (a secret of
// "sKeySecret, security" is inside the list of expected field names). Such a match is a leak
// only if the error follows the secret: sign again with a canary of the same length in its place
// and require that the canary is not echoed.
bool echoes_secret(nlohmann::json request, const dypls::SigningContext& fresh) {
  const std::size_t length = request["accessKeySecret"].get<std::string>().size();
  // A canary found nowhere else in the request: the fuzzer may have written one into a field
  // name, which an error rightly names.
  request["accessKeySecret"] = "";
  const std::string rest = request.dump();
  std::string canary;
  for (int variant = 0; canary.empty() || rest.find(canary) != std::string::npos; ++variant) {
    canary.clear();
    while (canary.size() < length) canary += "Zq9~canary" + std::to_string(variant) + "~";
    canary.resize(length);
  }
  request["accessKeySecret"] = canary;
  const std::string again = dypls::cli::sign_json_line(request.dump(), fresh);
  return again.find(canary) != std::string::npos;
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
      if (secret.size() >= 16 &&
          parsed["error"].get<std::string>().find(secret) != std::string::npos) {
        require(!echoes_secret(request, fresh));
      }
    }
    return 0;
  }
  require(parsed.contains("signature") && parsed["signature"].is_string());
  require(parsed.contains("stringToSign") && parsed["stringToSign"].is_string());
  return 0;
}
