// The HTTP Date header (RFC 9110 IMF-fixdate). The console measures its clock offset from it.
#pragma once
#include <cstdint>
#include <string>

namespace dypls::relay {

// Seconds since the Unix epoch -> "Sat, 28 Nov 2026 07:59:11 GMT".
std::string http_date(std::int64_t epoch_seconds);

}  // namespace dypls::relay
