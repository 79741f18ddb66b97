// The HTTP Date header ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 IMF-fixdate), used to measure
// how far the browser's clock is from the server's.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace dypls::console {

// Epoch seconds, or nullopt when the text is not an IMF-fixdate.
std::optional<std::int64_t> parse_http_date(std::string_view text);

// Server minus local clock, in ms, from a Date header received for a request sent at `sent_ms`
// and answered at `done_ms` (local clock): 0 within the header's one-second precision; nullopt
// when `date` does not read.
std::optional<std::int64_t> clock_offset_ms(std::string_view date, std::int64_t sent_ms,
                                            std::int64_t done_ms);

}  // namespace dypls::console
