// Reconciling an unknown purchase by its number: QuerySecretNoDetail with the attempt's pool key
// answered, and this decides whether that answer proves the attempt bought the number. Pure: the
// caller looks the number up and writes the verdict to the ledger.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/actions.h"
#include "core/message.h"
#include "ledger.h"

namespace dypls::console {

// The attempt's start is on the relay-corrected clock (the Date header has whole seconds) and
// PurchaseTime has whole seconds too: a purchase this much before the start still counts.
inline constexpr std::int64_t kPurchaseTimeSlackMs = 2000;

enum class NumberCheckVerdict {
  kBoughtByAttempt,       // in the pool, bought at or after the attempt started: record it
  kNotInPool,             // the API says the pool has no such number
  kBoughtBefore,          // in the pool, but bought before the attempt started
  kBoughtByOtherAttempt,  // the ledger already has it as bought by another attempt
  kTimeUnreadable,        // in the pool, but its purchase time cannot be read
  kCheckFailed,           // no usable answer (network, throttling, credentials...): try again
};

struct NumberCheck {
  NumberCheckVerdict verdict = NumberCheckVerdict::kCheckFailed;
  Message explanation;  // what was found and what it means, for the screen
  std::optional<std::int64_t> purchased_ms;
};

// `attempt`: the unresolved attempt; `answer`: QuerySecretNoDetail for `secret_no` in the
// attempt's pool; `ledger`: this browser's ledger (to know numbers other attempts bought).
NumberCheck judge_number_check(const LedgerAttempt& attempt, std::string_view secret_no,
                               const Answer<NumberDetail>& answer, const Ledger& ledger);

// PurchaseTime as the API writes it: China time "YYYY-MM-DD hh:mm:ss" (UTC+8), or an ISO UTC
// "YYYY-MM-DDThh:mm:ssZ". Milliseconds since the epoch, or nullopt.
std::optional<std::int64_t> purchase_time_ms(std::string_view text);

const char* number_check_name(NumberCheckVerdict verdict);

}  // namespace dypls::console
