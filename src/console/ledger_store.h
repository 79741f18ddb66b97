// Reads and writes the purchase ledger in durable storage, one record per key under the relay
// origin's prefix. Unreadable records are moved aside (never deleted) and reported; attempts
// beyond the size bound are dropped, oldest settled first.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "ledger.h"
#include "ports.h"

namespace dypls::console {

class LedgerStore {
 public:
  explicit LedgerStore(DurableStorage& storage) : storage_(storage) {}

  // The relay origin the ledger belongs to (a ledger per relay: sandbox and live stay apart).
  void set_origin(std::string origin) { origin_ = std::move(origin); }
  const std::string& origin() const { return origin_; }

  LedgerLoad load();
  // False when storage refused the write: nothing may be sent on the strength of it.
  bool put(const LedgerAttempt& attempt);
  bool put(const LedgerNumber& number);
  std::optional<LedgerNumber> load_number(const std::string& secret_no);
  // Removes every record of this origin ("forget this browser's history").
  void forget(const Ledger& ledger);
  // True once per batch of changes other tabs made since the last call.
  bool changed_elsewhere();

 private:
  DurableStorage& storage_;
  std::string origin_;
  std::uint64_t seen_changes_ = 0;
};

}  // namespace dypls::console
