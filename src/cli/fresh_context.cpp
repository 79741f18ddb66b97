#include "cli/fresh_context.h"

#include <chrono>
#include <fstream>
#include <random>

#include "core/encoding.h"
#include "core/time_format.h"

namespace dypls::cli {

SigningContext fresh_context() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  SigningContext ctx;
  ctx.timestamp = format_iso8601_utc(std::chrono::duration_cast<std::chrono::seconds>(now).count());
  std::string bytes(16, '\0');
  // Opened once: dypls-sign may make a fresh context for every one of many lines.
  static std::ifstream urandom("/dev/urandom", std::ios::binary);
  if (!urandom.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    // No /dev/urandom (unusual): random_device is the next best source.
    std::random_device device;
    for (char& byte : bytes) byte = static_cast<char>(device() & 0xFF);
  }
  ctx.nonce = hex_lower(bytes);
  return ctx;
}

}  // namespace dypls::cli
