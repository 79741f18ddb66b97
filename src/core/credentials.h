// Parses the shapes in which people paste Alibaba Cloud credentials.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "message.h"
#include "signer.h"

namespace dypls {

enum class CredentialShape {
  kAssumeRoleResponse,  // {"RequestId", "AssumedRoleUser", "Credentials": {...}}
  kCredentialsObject,   // {"AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}
  kCliProfile,          // aliyun CLI StsToken profile: access_key_id, access_key_secret, sts_token
  kEnvExports,          // export ALIBABA_CLOUD_ACCESS_KEY_ID=... lines
  kKeyValueLines,       // AccessKeyId=... lines (any of the names above)
};
std::string_view shape_name(CredentialShape shape);

struct ParsedCredentials {
  AccessKey key;
  std::optional<std::int64_t> expires_at;  // epoch seconds, when the paste said
  CredentialShape shape = CredentialShape::kCredentialsObject;
  std::string role_arn;  // from an AssumeRole answer, when present
  std::vector<Message> warnings;
};

struct CredentialsResult {
  std::optional<ParsedCredentials> credentials;  // set when usable
  Message error;                                 // set when not: what was wrong, what to do
};

// `now` is epoch seconds, supplied by the caller (core reads no clock).
CredentialsResult parse_credentials(std::string_view pasted, std::int64_t now);

// What was read, for the person to confirm: the shape, the masked key id, whether a token came
// with it, the expiry and the role. Never the secret or token themselves.
Message describe_credentials(const ParsedCredentials& parsed, std::int64_t now);

// "STS.NUgY…x9Q2": enough to recognise, never the whole id.
std::string mask_key_id(std::string_view key_id);

}  // namespace dypls
