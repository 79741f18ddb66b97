// UTC timestamps as the API writes them ("2026-11-28T06:52:17Z"). Pure: the caller supplies "now".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dypls {

// Seconds since the Unix epoch -> "YYYY-MM-DDThh:mm:ssZ".
std::string format_iso8601_utc(std::int64_t epoch_seconds);

// Accepts "YYYY-MM-DDThh:mm:ssZ", with optional fractional seconds; nullopt if malformed.
std::optional<std::int64_t> parse_iso8601_utc(std::string_view text);

}  // namespace dypls
