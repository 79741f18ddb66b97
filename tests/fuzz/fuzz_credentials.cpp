// Fuzzes parse_credentials with anything a person might paste, and checks what must always hold:
// a usable result or a bilingual reason, and never the secret or token inside a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/credentials.h"

namespace {

constexpr std::int64_t kNow = 1795852337;  // 2026-11-28T07:52:17Z

void require(bool condition) {
  if (!condition) std::abort();
}

void require_absent(const dypls::Message& message, const std::string& secret) {
  // Short values can occur in a message by chance (a timestamp is 20 characters, and a secret
  // has no spaces); real secrets are 30 characters or more.
  if (secret.size() < 24) return;
  require(message.en.find(secret) == std::string::npos);
  require(message.zh.find(secret) == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view pasted(reinterpret_cast<const char*>(data), size);
  dypls::CredentialsResult result = dypls::parse_credentials(pasted, kNow);
  if (!result.credentials) {
    require(!result.error.en.empty() && !result.error.zh.empty());
    return 0;
  }
  const dypls::ParsedCredentials& parsed = *result.credentials;
  require(!parsed.key.id.empty() && !parsed.key.secret.empty());
  require((parsed.key.id.rfind("STS.", 0) == 0) == !parsed.key.security_token.empty());
  require(!parsed.expires_at || *parsed.expires_at > kNow);
  require(!dypls::shape_name(parsed.shape).empty());
  for (const dypls::Message& warning : parsed.warnings) {
    require(!warning.en.empty() && !warning.zh.empty());
    // This one names a CLI profile, a name the paste chose and free to equal anything.
    if (warning.en.rfind("The current profile", 0) == 0) continue;
    require_absent(warning, parsed.key.secret);
    require_absent(warning, parsed.key.security_token);
  }
  require(dypls::mask_key_id(parsed.key.id).size() <= 4 + 4 + 3 + 4);
  const dypls::Message described = dypls::describe_credentials(parsed, kNow);
  require(!described.en.empty() && !described.zh.empty());
  // The role ARN is shown as pasted, so only a secret that is not part of it can be checked.
  if (parsed.role_arn.find(parsed.key.secret) == std::string::npos) {
    require_absent(described, parsed.key.secret);
  }
  if (parsed.role_arn.find(parsed.key.security_token) == std::string::npos) {
    require_absent(described, parsed.key.security_token);
  }
  return 0;
}
