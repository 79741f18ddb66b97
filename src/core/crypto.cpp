#include "crypto.h"

#include <array>
#include <cstddef>

#include "mbedtls/platform_util.h"
#include "mbedtls/sha1.h"
#include "mbedtls/sha256.h"

namespace dypls {
namespace {

// mbedTLS wants byte pointers; an empty view may carry a null pointer, so give it a real one.
const unsigned char* bytes_of(std::string_view text) {
  static constexpr unsigned char kEmpty[1] = {0};
  return text.empty() ? kEmpty : reinterpret_cast<const unsigned char*>(text.data());
}

// The two digests behind one interface, with their contexts on the stack: mbedtls_md_hmac
// allocates a context and both pads on the heap for every call, which cost more than hashing a
// short string to sign.
struct Sha1 {
  static constexpr std::size_t kSize = kSha1Size;
  mbedtls_sha1_context ctx;
  Sha1() { mbedtls_sha1_init(&ctx); }
  ~Sha1() { mbedtls_sha1_free(&ctx); }
  Sha1(const Sha1&) = delete;
  Sha1& operator=(const Sha1&) = delete;
  void start() { mbedtls_sha1_starts(&ctx); }
  void update(const unsigned char* data, std::size_t size) {
    mbedtls_sha1_update(&ctx, data, size);
  }
  void finish(unsigned char* digest) { mbedtls_sha1_finish(&ctx, digest); }
};

struct Sha256 {
  static constexpr std::size_t kSize = 32;
  mbedtls_sha256_context ctx;
  Sha256() { mbedtls_sha256_init(&ctx); }
  ~Sha256() { mbedtls_sha256_free(&ctx); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void start() { mbedtls_sha256_starts(&ctx, /*is224=*/0); }
  void update(const unsigned char* data, std::size_t size) {
    mbedtls_sha256_update(&ctx, data, size);
  }
  void finish(unsigned char* digest) { mbedtls_sha256_finish(&ctx, digest); }
};

// RFC 2104 HMAC. Both digests have 64-byte blocks. The mbedTLS calls fail only on a null context
// or unselected algorithm, neither possible here, so their results carry no information.
template <typename Digest>
void hmac(std::string_view key, std::string_view message, unsigned char* out) {
  constexpr std::size_t kBlock = 64;
  std::array<unsigned char, kBlock> pad{};  // the key, zero-padded (hashed first if too long)
  Digest digest;
  if (key.size() > kBlock) {
    digest.start();
    digest.update(bytes_of(key), key.size());
    digest.finish(pad.data());
  } else {
    for (std::size_t i = 0; i < key.size(); ++i) pad[i] = static_cast<unsigned char>(key[i]);
  }
  for (auto& byte : pad) byte ^= 0x36;
  std::array<unsigned char, Digest::kSize> inner{};
  digest.start();
  digest.update(pad.data(), kBlock);
  digest.update(bytes_of(message), message.size());
  digest.finish(inner.data());
  for (auto& byte : pad) byte ^= 0x36 ^ 0x5c;
  digest.start();
  digest.update(pad.data(), kBlock);
  digest.update(inner.data(), inner.size());
  digest.finish(out);
  mbedtls_platform_zeroize(pad.data(), pad.size());  // key material, as mbedtls_md_hmac does
}

template <typename Digest>
std::string hmac(std::string_view key, std::string_view message) {
  std::string out(Digest::kSize, '\0');
  hmac<Digest>(key, message, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

}  // namespace

std::string sha256(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  if (mbedtls_sha256(bytes_of(data), data.size(), digest.data(), /*is224=*/0) != 0) return {};
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string hmac_sha1(std::string_view key, std::string_view message) {
  return hmac<Sha1>(key, message);
}

void hmac_sha1(std::string_view key, std::string_view message,
               std::array<unsigned char, kSha1Size>& digest) {
  hmac<Sha1>(key, message, digest.data());
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
  return hmac<Sha256>(key, message);
}

}  // namespace dypls
