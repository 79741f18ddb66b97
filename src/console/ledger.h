// The purchase ledger: every BuySecretNo attempt, recorded before its request is sent, then its
// outcome and, for an unknown outcome, how it was settled; every number bought, released, locked
// or looked up. It lives in the browser's durable storage (localStorage), one record per key, so
// that a reload, a closed tab or a second tab knows what was bought and what is still unknown,
// and two tabs never overwrite each other's records. Plain data and a versioned JSON codec; the
// reading and writing is LedgerStore's (ledger_store.h).
//
// Never in the ledger: a secret, a token, a signature. The AccessKeyId only masked.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"

namespace dypls::console {

inline constexpr int kLedgerVersion = 1;
inline constexpr std::size_t kLedgerMaxAttempts = 10000;
inline constexpr std::size_t kLedgerMaxEventsPerNumber = 50;

enum class Outcome {
  kPending,    // recorded before sending; no answer recorded (in flight, or the page went away)
  kBought,     // the API said OK and gave the number
  kNotBought,  // a definite refusal (business error, throttling, not delivered)
  kUnknown,    // the answer was lost or unreadable: it may have been bought
};
// The verdict on an unknown (or pending) outcome, and how it was reached.
enum class Settlement { kNone, kBought, kNotBought };
enum class SettledHow { kNone, kCheckedByNumber, kStockDiff, kPersonSaid };

// The stock known when an attempt was written (QueryRemain for its city, type and prefix), kept
// with the attempt so the stock difference can still be read after a reload.
struct StockFigure {
  std::string city;
  int spec_id = 1;
  std::string prefix;
  std::int64_t amount = 0;
  std::int64_t read_ms = 0;  // when the answer was read

  bool operator==(const StockFigure& other) const {
    return city == other.city && spec_id == other.spec_id && prefix == other.prefix &&
           amount == other.amount && read_ms == other.read_ms;
  }
};

struct LedgerAttempt {
  std::string id;  // unique across tabs: start time and a random part
  std::int64_t started_ms = 0;
  std::string pool_key;
  int spec_id = 1;
  std::string city;
  std::string prefix;
  bool display_pool = false;
  std::string key_id;  // masked
  Outcome outcome = Outcome::kPending;
  std::int64_t outcome_ms = 0;
  std::string secret_no;  // bought, or settled as bought with this number
  std::string code;       // the error code of a refusal or of a lost answer
  std::string why;        // unknown: why, in plain words
  Settlement settlement = Settlement::kNone;
  SettledHow how = SettledHow::kNone;
  std::int64_t settled_ms = 0;
  std::optional<StockFigure> stock_before;  // none: not known (or a record from before it was kept)
};

// Blocks purchases in its pool: no outcome recorded, or an unknown outcome nobody settled.
bool unresolved(const LedgerAttempt& attempt);
// Settled as bought without a number: the row keeps asking for it.
bool number_missing(const LedgerAttempt& attempt);

enum class NumberEventKind { kBought, kReleased, kLocked, kUnlocked, kLookedUp };

struct NumberEvent {
  NumberEventKind kind = NumberEventKind::kLookedUp;
  std::int64_t at_ms = 0;
};

struct LedgerNumber {
  std::string secret_no;
  std::string pool_key;
  std::string city;
  std::string attempt_id;           // the attempt that bought it, if bought here
  std::vector<NumberEvent> events;  // oldest first, the last kLedgerMaxEventsPerNumber
};

bool was_bought(const LedgerNumber& number);
bool was_released(const LedgerNumber& number);
// The last lock or unlock, if any.
std::optional<bool> last_locked(const LedgerNumber& number);

// What the ledger, read again under the pool's lock, says of the pool: an unknown outcome (or an
// attempt left without one long enough ago) blocks it; only a fresh attempt with no outcome yet,
// which the tab before may still be recording, asks to wait.
struct PoolCheck {
  bool blocked = false;
  bool fresh_pending = false;
};

struct Ledger {
  std::vector<LedgerAttempt> attempts;  // oldest first
  std::vector<LedgerNumber> numbers;    // in the order first seen
};

// ---- storage keys: one record per key, all under one prefix per relay origin ----
std::string ledger_prefix(std::string_view origin);  // "dypls.ledger:<origin>:"
std::string attempt_key(std::string_view origin, std::string_view attempt_id);
std::string number_key(std::string_view origin, std::string_view secret_no);
// Where an unreadable record is kept aside (never deleted): outside the ledger's prefix.
std::string aside_key(std::string_view stored_key);

// ---- codec ----
std::string encode_attempt(const LedgerAttempt& attempt);
std::string encode_number(const LedgerNumber& number);

enum class RecordProblem { kNone, kCorrupt, kForeignVersion };
template <typename T>
struct Decoded {
  std::optional<T> value;
  RecordProblem problem = RecordProblem::kNone;
};
Decoded<LedgerAttempt> decode_attempt(std::string_view text);
Decoded<LedgerNumber> decode_number(std::string_view text);

// What loading found: the ledger, the keys to keep aside (unreadable) and to drop (beyond the
// size bound, resolved only), and a plain-words report when something was put aside.
struct LedgerLoad {
  Ledger ledger;
  std::vector<std::string> set_aside;
  std::vector<std::string> dropped;
  Message problem;
};
// `records` are (key, value) pairs under the origin's prefix, in any order.
LedgerLoad load_ledger(std::string_view origin,
                       const std::vector<std::pair<std::string, std::string>>& records,
                       std::size_t max_attempts = kLedgerMaxAttempts);

// ---- small helpers the controller uses ----
LedgerAttempt* find_attempt(Ledger& ledger, std::string_view id);
LedgerNumber* find_ledger_number(Ledger& ledger, std::string_view secret_no);
void add_event(LedgerNumber& number, NumberEventKind kind, std::int64_t at_ms);

const char* outcome_name(Outcome outcome);
const char* settlement_name(Settlement settlement);
const char* settled_how_name(SettledHow how);
const char* event_name(NumberEventKind kind);

}  // namespace dypls::console
