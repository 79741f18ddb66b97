// The digests the signers need, backed by mbedTLS. Outputs are raw bytes.
#pragma once
#include <string>
#include <string_view>

namespace dypls {

std::string sha256(std::string_view data);
std::string hmac_sha1(std::string_view key, std::string_view message);
std::string hmac_sha256(std::string_view key, std::string_view message);

}  // namespace dypls
