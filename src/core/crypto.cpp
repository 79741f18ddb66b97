#include "crypto.h"

#include <array>

#include "mbedtls/md.h"
#include "mbedtls/sha256.h"

namespace dypls {
namespace {

// mbedTLS wants byte pointers; an empty view may carry a null pointer, so give it a real one.
const unsigned char* bytes_of(std::string_view text) {
  static constexpr unsigned char kEmpty[1] = {0};
  return text.empty() ? kEmpty : reinterpret_cast<const unsigned char*>(text.data());
}

std::string hmac(mbedtls_md_type_t type, std::string_view key, std::string_view message) {
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(type);
  if (info == nullptr) return {};
  std::array<unsigned char, MBEDTLS_MD_MAX_SIZE> digest{};
  // mbedTLS fails only for a missing digest type, ruled out above.
  if (mbedtls_md_hmac(info, bytes_of(key), key.size(), bytes_of(message), message.size(),
                      digest.data()) != 0) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), mbedtls_md_get_size(info));
}

}  // namespace

std::string sha256(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  if (mbedtls_sha256(bytes_of(data), data.size(), digest.data(), /*is224=*/0) != 0) return {};
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string hmac_sha1(std::string_view key, std::string_view message) {
  return hmac(MBEDTLS_MD_SHA1, key, message);
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
  return hmac(MBEDTLS_MD_SHA256, key, message);
}

}  // namespace dypls
