// One way to show a time: the reader's local time with its zone ("2026-11-30 22:27:54 UTC+08:00"),
// whether the API wrote UTC ("2026-11-30T14:27:54Z") or Beijing time without a zone
// ("2026-11-30 22:27:46", as PurchaseTime comes). Pure: the caller supplies the local offset.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dypls::console {

// Epoch seconds of either form; nullopt when the text is neither.
std::optional<std::int64_t> read_api_time(std::string_view text);

// "YYYY-MM-DD hh:mm:ss UTC+hh:mm" at `utc_offset_minutes` east of UTC.
std::string format_local_time(std::int64_t epoch_seconds, int utc_offset_minutes);

// The API's text shown as local time with its zone; the text itself when it cannot be read.
std::string display_time(std::string_view text, int utc_offset_minutes);

// The same time as UTC ("2026-11-30T14:27:54Z"), for hovers and exports; the text when unreadable.
std::string utc_time(std::string_view text);

}  // namespace dypls::console
