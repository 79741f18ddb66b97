#include "ledger.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace dypls::console {
namespace {

using nlohmann::json;

constexpr std::string_view kAttemptTag = "a:";
constexpr std::string_view kNumberTag = "n:";

template <typename E>
struct Named {
  E value;
  const char* name;
};

constexpr Named<Outcome> kOutcomes[] = {{Outcome::kPending, "pending"},
                                        {Outcome::kBought, "bought"},
                                        {Outcome::kNotBought, "not-bought"},
                                        {Outcome::kUnknown, "unknown"}};
constexpr Named<Settlement> kSettlements[] = {{Settlement::kNone, "none"},
                                              {Settlement::kBought, "bought"},
                                              {Settlement::kNotBought, "not-bought"}};
constexpr Named<SettledHow> kHows[] = {{SettledHow::kNone, "none"},
                                       {SettledHow::kCheckedByNumber, "checked-by-number"},
                                       {SettledHow::kStockDiff, "stock-diff"},
                                       {SettledHow::kPersonSaid, "person-said"}};
constexpr Named<NumberEventKind> kEvents[] = {{NumberEventKind::kBought, "bought"},
                                              {NumberEventKind::kReleased, "released"},
                                              {NumberEventKind::kLocked, "locked"},
                                              {NumberEventKind::kUnlocked, "unlocked"},
                                              {NumberEventKind::kLookedUp, "looked-up"}};

template <typename E, std::size_t N>
const char* name_of(const Named<E> (&table)[N], E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const Named<E> (&table)[N], const std::string& name) {
  for (const auto& entry : table) {
    if (name == entry.name) return entry.value;
  }
  return std::nullopt;
}

// Reads a member of the expected type; false when present with another type.
template <typename T>
bool read(const json& object, const char* name, T& out) {
  auto it = object.find(name);
  if (it == object.end()) return true;  // absent: the default stands
  if constexpr (std::is_same_v<T, std::string>) {
    if (!it->is_string()) return false;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!it->is_boolean()) return false;
  } else {
    if (!it->is_number_integer()) return false;
  }
  out = it->get<T>();
  return true;
}

template <typename E, std::size_t N>
bool read_enum(const json& object, const char* name, const Named<E> (&table)[N], E& out) {
  std::string text;
  if (!read(object, name, text)) return false;
  if (text.empty()) return true;
  const auto value = value_of(table, text);
  if (!value) return false;
  out = *value;
  return true;
}

// The record's JSON object if it is one of ours in this version; the problem otherwise.
std::optional<json> open_record(std::string_view text, RecordProblem& problem) {
  json parsed = json::parse(text, nullptr, false);
  if (!parsed.is_object()) {
    problem = RecordProblem::kCorrupt;
    return std::nullopt;
  }
  auto version = parsed.find("v");
  if (version == parsed.end() || !version->is_number_integer()) {
    problem = RecordProblem::kCorrupt;
    return std::nullopt;
  }
  if (version->get<int>() != kLedgerVersion) {
    problem = RecordProblem::kForeignVersion;
    return std::nullopt;
  }
  return parsed;
}

}  // namespace

bool unresolved(const LedgerAttempt& attempt) {
  return (attempt.outcome == Outcome::kPending || attempt.outcome == Outcome::kUnknown) &&
         attempt.settlement == Settlement::kNone;
}

bool number_missing(const LedgerAttempt& attempt) {
  return attempt.settlement == Settlement::kBought && attempt.secret_no.empty();
}

bool was_bought(const LedgerNumber& number) {
  return std::any_of(number.events.begin(), number.events.end(),
                     [](const NumberEvent& e) { return e.kind == NumberEventKind::kBought; }) ||
         !number.attempt_id.empty();
}

bool was_released(const LedgerNumber& number) {
  return std::any_of(number.events.begin(), number.events.end(),
                     [](const NumberEvent& e) { return e.kind == NumberEventKind::kReleased; });
}

std::optional<bool> last_locked(const LedgerNumber& number) {
  for (auto it = number.events.rbegin(); it != number.events.rend(); ++it) {
    if (it->kind == NumberEventKind::kLocked) return true;
    if (it->kind == NumberEventKind::kUnlocked) return false;
  }
  return std::nullopt;
}

std::string ledger_prefix(std::string_view origin) {
  return "dypls.ledger:" + std::string(origin) + ":";
}

std::string attempt_key(std::string_view origin, std::string_view attempt_id) {
  return ledger_prefix(origin) + std::string(kAttemptTag) + std::string(attempt_id);
}

std::string number_key(std::string_view origin, std::string_view secret_no) {
  return ledger_prefix(origin) + std::string(kNumberTag) + std::string(secret_no);
}

std::string aside_key(std::string_view stored_key) {
  return "dypls.ledger-aside:" + std::string(stored_key);
}

namespace {

json encode_figure(const StockFigure& f) {
  return {{"city", f.city},
          {"specId", f.spec_id},
          {"prefix", f.prefix},
          {"amount", f.amount},
          {"readMs", f.read_ms}};
}

// Absent or null: not known. Present but not a figure: the record is corrupt.
bool read_figure(const json& record, std::optional<StockFigure>& out) {
  auto it = record.find("stockBefore");
  if (it == record.end() || it->is_null()) return true;
  if (!it->is_object()) return false;
  StockFigure f;
  if (!read(*it, "city", f.city) || !read(*it, "specId", f.spec_id) ||
      !read(*it, "prefix", f.prefix) || !read(*it, "readMs", f.read_ms)) {
    return false;
  }
  auto amount = it->find("amount");
  if (amount == it->end() || !amount->is_number_integer()) return false;
  f.amount = amount->get<std::int64_t>();
  out = std::move(f);
  return true;
}

}  // namespace

std::string encode_attempt(const LedgerAttempt& a) {
  json out = {{"v", kLedgerVersion},
              {"id", a.id},
              {"startedMs", a.started_ms},
              {"poolKey", a.pool_key},
              {"specId", a.spec_id},
              {"city", a.city},
              {"prefix", a.prefix},
              {"displayPool", a.display_pool},
              {"keyId", a.key_id},
              {"outcome", name_of(kOutcomes, a.outcome)},
              {"outcomeMs", a.outcome_ms},
              {"secretNo", a.secret_no},
              {"code", a.code},
              {"why", a.why},
              {"settlement", name_of(kSettlements, a.settlement)},
              {"how", name_of(kHows, a.how)},
              {"settledMs", a.settled_ms}};
  if (a.stock_before) out["stockBefore"] = encode_figure(*a.stock_before);
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string encode_number(const LedgerNumber& n) {
  json events = json::array();
  for (const NumberEvent& e : n.events) {
    events.push_back({{"kind", name_of(kEvents, e.kind)}, {"atMs", e.at_ms}});
  }
  json out = {{"v", kLedgerVersion}, {"secretNo", n.secret_no},   {"poolKey", n.pool_key},
              {"city", n.city},      {"attemptId", n.attempt_id}, {"events", events}};
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

Decoded<LedgerAttempt> decode_attempt(std::string_view text) {
  Decoded<LedgerAttempt> out;
  const auto record = open_record(text, out.problem);
  if (!record) return out;
  LedgerAttempt a;
  const json& r = *record;
  const bool ok =
      read(r, "id", a.id) && read(r, "startedMs", a.started_ms) && read(r, "poolKey", a.pool_key) &&
      read(r, "specId", a.spec_id) && read(r, "city", a.city) && read(r, "prefix", a.prefix) &&
      read(r, "displayPool", a.display_pool) && read(r, "keyId", a.key_id) &&
      read_enum(r, "outcome", kOutcomes, a.outcome) && read(r, "outcomeMs", a.outcome_ms) &&
      read(r, "secretNo", a.secret_no) && read(r, "code", a.code) && read(r, "why", a.why) &&
      read_enum(r, "settlement", kSettlements, a.settlement) && read_enum(r, "how", kHows, a.how) &&
      read(r, "settledMs", a.settled_ms) && read_figure(r, a.stock_before);
  if (!ok || a.id.empty()) {
    out.problem = RecordProblem::kCorrupt;
    return out;
  }
  out.value = std::move(a);
  return out;
}

Decoded<LedgerNumber> decode_number(std::string_view text) {
  Decoded<LedgerNumber> out;
  const auto record = open_record(text, out.problem);
  if (!record) return out;
  LedgerNumber n;
  const json& r = *record;
  bool ok = read(r, "secretNo", n.secret_no) && read(r, "poolKey", n.pool_key) &&
            read(r, "city", n.city) && read(r, "attemptId", n.attempt_id);
  if (auto it = r.find("events"); ok && it != r.end()) {
    ok = it->is_array();
    for (const json& e : ok ? *it : json::array()) {
      NumberEvent event;
      if (!e.is_object() || !read_enum(e, "kind", kEvents, event.kind) ||
          !read(e, "atMs", event.at_ms)) {
        ok = false;
        break;
      }
      n.events.push_back(event);
    }
  }
  if (!ok || n.secret_no.empty()) {
    out.problem = RecordProblem::kCorrupt;
    return out;
  }
  out.value = std::move(n);
  return out;
}

LedgerLoad load_ledger(std::string_view origin,
                       const std::vector<std::pair<std::string, std::string>>& records,
                       std::size_t max_attempts) {
  LedgerLoad out;
  const std::string prefix = ledger_prefix(origin);
  std::size_t corrupt = 0;
  std::size_t foreign = 0;
  const auto note = [&](RecordProblem problem, const std::string& key) {
    (problem == RecordProblem::kForeignVersion ? foreign : corrupt) += 1;
    out.set_aside.push_back(key);
  };
  for (const auto& [key, value] : records) {
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string_view rest = std::string_view(key).substr(prefix.size());
    if (rest.substr(0, kAttemptTag.size()) == kAttemptTag) {
      Decoded<LedgerAttempt> attempt = decode_attempt(value);
      if (attempt.value) {
        out.ledger.attempts.push_back(std::move(*attempt.value));
      } else {
        note(attempt.problem, key);
      }
    } else if (rest.substr(0, kNumberTag.size()) == kNumberTag) {
      Decoded<LedgerNumber> number = decode_number(value);
      if (number.value) {
        out.ledger.numbers.push_back(std::move(*number.value));
      } else {
        note(number.problem, key);
      }
    } else {
      note(RecordProblem::kForeignVersion, key);  // a kind of record this version does not know
    }
  }
  // Storage hands keys in no useful order: oldest attempt first, numbers by first event.
  auto& attempts = out.ledger.attempts;
  std::stable_sort(
      attempts.begin(), attempts.end(), [](const LedgerAttempt& a, const LedgerAttempt& b) {
        return a.started_ms != b.started_ms ? a.started_ms < b.started_ms : a.id < b.id;
      });
  const auto first_seen = [](const LedgerNumber& n) {
    return n.events.empty() ? std::int64_t{0} : n.events.front().at_ms;
  };
  std::stable_sort(out.ledger.numbers.begin(), out.ledger.numbers.end(),
                   [&](const LedgerNumber& a, const LedgerNumber& b) {
                     return first_seen(a) != first_seen(b) ? first_seen(a) < first_seen(b)
                                                           : a.secret_no < b.secret_no;
                   });
  // The size bound: drop the oldest settled attempts, never an unresolved one.
  if (attempts.size() > max_attempts) {
    std::size_t excess = attempts.size() - max_attempts;
    std::vector<LedgerAttempt> kept;
    kept.reserve(attempts.size());
    for (LedgerAttempt& a : attempts) {
      if (excess > 0 && !unresolved(a) && !number_missing(a)) {
        out.dropped.push_back(attempt_key(origin, a.id));
        --excess;
      } else {
        kept.push_back(std::move(a));
      }
    }
    attempts = std::move(kept);
  }
  if (corrupt + foreign > 0) {
    const std::string counts = std::to_string(corrupt) + " unreadable, " + std::to_string(foreign) +
                               " from another version";
    out.problem = {
        "Some saved purchase records could not be read (" + counts +
            "). They are kept aside in this browser's storage, not deleted; the rest "
            "of the history is shown.",
        "部分已保存的购买记录无法读取（" + std::to_string(corrupt) + " 条损坏，" +
            std::to_string(foreign) +
            " 条来自其他版本）。它们已另存于本浏览器的存储中，未被删除；其余历史照常显示。"};
  }
  return out;
}

LedgerAttempt* find_attempt(Ledger& ledger, std::string_view id) {
  for (LedgerAttempt& a : ledger.attempts) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

LedgerNumber* find_ledger_number(Ledger& ledger, std::string_view secret_no) {
  for (LedgerNumber& n : ledger.numbers) {
    if (n.secret_no == secret_no) return &n;
  }
  return nullptr;
}

void add_event(LedgerNumber& number, NumberEventKind kind, std::int64_t at_ms) {
  number.events.push_back({kind, at_ms});
  if (number.events.size() > kLedgerMaxEventsPerNumber) {
    // Keep the first event (how the number came here) and the most recent ones.
    number.events.erase(
        number.events.begin() + 1,
        number.events.begin() + 1 +
            static_cast<std::ptrdiff_t>(number.events.size() - kLedgerMaxEventsPerNumber));
  }
}

const char* outcome_name(Outcome outcome) {
  return name_of(kOutcomes, outcome);
}
const char* settlement_name(Settlement settlement) {
  return name_of(kSettlements, settlement);
}
const char* settled_how_name(SettledHow how) {
  return name_of(kHows, how);
}
const char* event_name(NumberEventKind kind) {
  return name_of(kEvents, kind);
}

}  // namespace dypls::console
