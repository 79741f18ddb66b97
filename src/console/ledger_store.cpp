#include "ledger_store.h"

namespace dypls::console {

LedgerLoad LedgerStore::load() {
  seen_changes_ = storage_.outside_changes();
  const std::string prefix = ledger_prefix(origin_);
  LedgerLoad loaded = load_ledger(origin_, storage_.entries(prefix));
  for (const std::string& key : loaded.set_aside) {
    if (auto value = storage_.get(key); value && storage_.set(aside_key(key), *value)) {
      storage_.remove(key);
    }
  }
  for (const std::string& key : loaded.dropped) storage_.remove(key);
  return loaded;
}

bool LedgerStore::put(const LedgerAttempt& attempt) {
  return storage_.set(attempt_key(origin_, attempt.id), encode_attempt(attempt));
}

bool LedgerStore::put(const LedgerNumber& number) {
  return storage_.set(number_key(origin_, number.secret_no), encode_number(number));
}

std::optional<LedgerNumber> LedgerStore::load_number(const std::string& secret_no) {
  const auto stored = storage_.get(number_key(origin_, secret_no));
  if (!stored) return std::nullopt;
  return decode_number(*stored).value;
}

void LedgerStore::forget(const Ledger& ledger) {
  for (const LedgerAttempt& a : ledger.attempts) storage_.remove(attempt_key(origin_, a.id));
  for (const LedgerNumber& n : ledger.numbers) storage_.remove(number_key(origin_, n.secret_no));
}

bool LedgerStore::changed_elsewhere() {
  const std::uint64_t now = storage_.outside_changes();
  if (now == seen_changes_) return false;
  seen_changes_ = now;
  return true;
}

}  // namespace dypls::console
