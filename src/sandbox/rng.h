// A small seeded generator (SplitMix64): the same seed gives the same stock, numbers and ids, and
// its whole state is one integer, so it survives a save and load.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace dypls::sandbox {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound); bound 0 gives 0. The tiny modulo bias does not matter here.
  std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : next() % bound; }
  // Uniform in [low, high].
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low) + 1));
  }
  // True with the given probability (0..1).
  bool chance(double probability) {
    if (probability <= 0.0) return false;
    if (probability >= 1.0) return true;
    return static_cast<double>(next() >> 11) * 0x1.0p-53 < probability;
  }
  std::string text(std::size_t length, std::string_view alphabet) {
    std::string out(length, ' ');
    for (char& c : out) c = alphabet[below(alphabet.size())];
    return out;
  }
  std::string digits(std::size_t length) { return text(length, "0123456789"); }

  std::uint64_t state() const { return state_; }
  void restore(std::uint64_t state) { state_ = state; }

 private:
  std::uint64_t state_;
};

inline constexpr std::string_view kAlphanumeric =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// "066E6E47-04CB-4774-A976-4F73CB76D4A3": the shape of the gateway's RequestId.
inline std::string request_id(Rng& rng) {
  std::string hex = rng.text(32, "0123456789ABCDEF");
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace dypls::sandbox
