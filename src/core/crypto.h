// The digests the signers need, backed by mbedTLS. Outputs are raw bytes.
#pragma once
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace dypls {

std::string sha256(std::string_view data);
std::string hmac_sha1(std::string_view key, std::string_view message);
// The same into an array: a V1 signature encodes the digest at once and needs no string for it.
constexpr std::size_t kSha1Size = 20;
void hmac_sha1(std::string_view key, std::string_view message,
               std::array<unsigned char, kSha1Size>& digest);
std::string hmac_sha256(std::string_view key, std::string_view message);

}  // namespace dypls
