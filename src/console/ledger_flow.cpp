#include "ledger_flow.h"

#include <algorithm>
#include <utility>

#include "core/time_format.h"
#include "trimmed.h"

namespace dypls::console {
namespace {

UnknownPurchase unknown_view(const LedgerAttempt& attempt) {
  UnknownPurchase unknown;
  unknown.attempt_id = attempt.id;
  unknown.no_outcome_recorded = attempt.outcome == Outcome::kPending;
  unknown.why = unknown.no_outcome_recorded
                    ? "No outcome was recorded: the page was closed or reloaded before the "
                      "answer came, or another tab is still waiting for it."
                    : attempt.why;
  unknown.request = BuyRequest{attempt.pool_key, attempt.spec_id, attempt.city, attempt.prefix,
                               attempt.display_pool};
  unknown.at_ms = attempt.started_ms;
  if (attempt.stock_before) {
    unknown.stock_before = attempt.stock_before->amount;
    unknown.stock_before_ms = attempt.stock_before->read_ms;
  }
  return unknown;
}

const Message kRefusedNumber{
    "This browser refused to record the number (storage full or disabled).",
    "浏览器拒绝记录该号码（存储已满或被禁用）。"};

}  // namespace

LedgerSlice ledger_slice(ConsoleState& state) {
  return {state.ledger, state.ledger_problem, state.numbers.records, state.buying_elsewhere,
          state.forget_confirmation};
}

LedgerFlow::LedgerFlow(LedgerSlice slice, DurableStorage& durable, Hooks hooks)
    : slice_(slice), store_(durable), hooks_(std::move(hooks)) {}

std::string LedgerFlow::own_id() const {
  std::optional<LedgerAttempt> own = hooks_.own_attempt();
  return own ? own->id : std::string();
}

std::optional<Notice> LedgerFlow::reload() {
  store_.set_origin(hooks_.origin());
  LedgerLoad loaded = store_.load();
  slice_.ledger = std::move(loaded.ledger);
  // This tab's attempt in flight is newer than what storage may hand back (a slow write).
  if (std::optional<LedgerAttempt> own = hooks_.own_attempt()) {
    if (find_attempt(slice_.ledger, own->id) == nullptr) slice_.ledger.attempts.push_back(*own);
  }
  std::optional<Notice> notice;
  if (!loaded.problem.en.empty()) {
    slice_.problem = loaded.problem;
    notice = Notice{loaded.problem, StatusLevel::kWarning};
  }
  project();
  return notice;
}

bool LedgerFlow::write(const LedgerAttempt& attempt) {
  LedgerAttempt* old = find_attempt(slice_.ledger, attempt.id);
  const bool known = old != nullptr;
  if (known) {
    *old = attempt;
  } else {
    slice_.ledger.attempts.push_back(attempt);
  }
  if (store_.put(attempt)) return true;
  if (!known) slice_.ledger.attempts.pop_back();  // never recorded: as if never made
  return false;
}

std::optional<Notice> LedgerFlow::note_number(const std::string& secret_no,
                                              const std::string& pool_key, const std::string& city,
                                              NumberEventKind kind, const std::string& attempt_id) {
  LedgerNumber* number = find_ledger_number(slice_.ledger, secret_no);
  if (number == nullptr) {
    // Another tab may know it already: start from its record, not from nothing.
    std::optional<LedgerNumber> stored = store_.load_number(secret_no);
    slice_.ledger.numbers.push_back(stored ? std::move(*stored)
                                           : LedgerNumber{secret_no, pool_key, city, "", {}});
    number = &slice_.ledger.numbers.back();
  }
  if (number->pool_key.empty()) number->pool_key = pool_key;
  if (number->city.empty()) number->city = city;
  if (!attempt_id.empty()) number->attempt_id = attempt_id;
  add_event(*number, kind, hooks_.now());
  std::optional<Notice> notice;
  if (!store_.put(*number)) notice = Notice{kRefusedNumber, StatusLevel::kError};
  project();
  return notice;
}

bool LedgerFlow::settle(const LedgerAttempt& settled) {
  if (!write(settled)) return false;
  if (settled.settlement == Settlement::kBought && !settled.secret_no.empty()) {
    // A refused number write leaves the verdict recorded, with the number on the attempt.
    (void)note_number(settled.secret_no, settled.pool_key, settled.city, NumberEventKind::kBought,
                      settled.id);
  }
  project();
  return true;
}

const NumberRecord* LedgerFlow::find_record(const std::string& secret_no) const {
  auto it = std::find_if(slice_.records.begin(), slice_.records.end(),
                         [&](const NumberRecord& r) { return r.secret_no == secret_no; });
  return it == slice_.records.end() ? nullptr : &*it;
}

void LedgerFlow::project() {
  std::vector<NumberRecord> records;
  for (const LedgerNumber& n : slice_.ledger.numbers) {
    NumberRecord record;
    if (const NumberRecord* old = find_record(n.secret_no)) record = *old;
    record.secret_no = n.secret_no;
    record.pool_key = n.pool_key;
    if (!n.city.empty()) record.city = n.city;
    record.origin = was_bought(n) ? NumberOrigin::kBought : NumberOrigin::kLookedUp;
    record.released = was_released(n);
    for (const NumberEvent& e : n.events) {
      if (e.kind == NumberEventKind::kBought) record.bought_at = format_iso8601_utc(e.at_ms / 1000);
    }
    if (!record.detail && record.origin == NumberOrigin::kBought) {
      record.detail = NumberDetail{};
      record.detail->status = NumberStatus::kUnbound;  // a number just bought has no bindings
      record.detail->city = record.city;
    }
    if (record.detail) {
      if (auto locked = last_locked(n)) {
        record.detail->status = *locked ? NumberStatus::kLocked : NumberStatus::kUnbound;
      }
    }
    records.push_back(std::move(record));
  }
  // A number being looked up for the first time is not in the ledger until the API knows it.
  for (const NumberRecord& r : slice_.records) {
    if (r.busy && find_ledger_number(slice_.ledger, r.secret_no) == nullptr) records.push_back(r);
  }
  slice_.records = std::move(records);
  show_unresolved();
}

AttemptShown LedgerFlow::shown_here(const LedgerAttempt& attempt, const std::string& own_id) const {
  if (attempt.id == own_id) return AttemptShown::kNothing;  // this tab's own
  return attempt_shown(attempt, hooks_.sight_lock(attempt.pool_key), hooks_.now());
}

// Another tab's purchase in flight is shown as such, never as an unknown outcome
// (attempt_shown.h); the unknown ones go to whoever shows them, oldest first.
void LedgerFlow::show_unresolved() {
  const std::string own = own_id();
  std::vector<PurchaseElsewhere> elsewhere;
  std::vector<UnknownPurchase> unknowns;
  for (const LedgerAttempt& a : slice_.ledger.attempts) {
    const AttemptShown shown = shown_here(a, own);
    if (shown == AttemptShown::kBuyingElsewhere) {
      elsewhere.push_back({a.id,
                           BuyRequest{a.pool_key, a.spec_id, a.city, a.prefix, a.display_pool},
                           a.started_ms});
    } else if (shown == AttemptShown::kUnknownOutcome) {
      unknowns.push_back(unknown_view(a));
    }
  }
  slice_.elsewhere = std::move(elsewhere);
  hooks_.unknowns(std::move(unknowns));
}

std::optional<LedgerAttempt> LedgerFlow::unresolved_attempt(const std::string& id) const {
  for (const LedgerAttempt& attempt : slice_.ledger.attempts) {
    if (attempt.id == id) return unresolved(attempt) ? std::optional(attempt) : std::nullopt;
  }
  return std::nullopt;
}

NumberCheck LedgerFlow::judge(const LedgerAttempt& attempt, const std::string& secret_no,
                              const Answer<NumberDetail>& answer) const {
  return judge_number_check(attempt, secret_no, answer, slice_.ledger);
}

bool LedgerFlow::unknown_in_pool(const std::string& pool) const {
  const std::string own = own_id();
  return std::any_of(
      slice_.ledger.attempts.begin(), slice_.ledger.attempts.end(), [&](const LedgerAttempt& a) {
        return a.pool_key == pool && shown_here(a, own) == AttemptShown::kUnknownOutcome;
      });
}

bool LedgerFlow::pool_blocked(const std::string& pool, bool young_pending_blocks) const {
  const std::int64_t now = hooks_.now();
  const std::string own = own_id();
  return std::any_of(slice_.ledger.attempts.begin(), slice_.ledger.attempts.end(),
                     [&](const LedgerAttempt& a) {
                       if (!unresolved(a) || a.pool_key != pool || a.id == own) return false;
                       const bool young_pending =
                           a.outcome == Outcome::kPending && now - a.started_ms < kInFlightGraceMs;
                       return young_pending_blocks || !young_pending;
                     });
}

PoolCheck LedgerFlow::check_pool(const std::string& pool) const {
  PoolCheck check;
  check.blocked = pool_blocked(pool, /*young_pending_blocks=*/false);
  check.fresh_pending = !check.blocked && pool_blocked(pool, /*young_pending_blocks=*/true);
  return check;
}

FlowResult LedgerFlow::record_missing_number(std::string attempt_id_in, std::string secret_no) {
  const std::string attempt_id =
      std::move(attempt_id_in);  // a value: reloading replaces the ledger
  const std::string number = trimmed(std::move(secret_no));
  NumberRequest check{Action::kQuerySecretNoDetail, "x", number};
  if (auto errors = validate(check); !errors.empty()) {
    return FlowResult::refused(errors.front().message);
  }
  (void)reload();  // what it found set aside stays in ledger_problem; the result says the rest
  LedgerAttempt* attempt = find_attempt(slice_.ledger, attempt_id);
  if (attempt == nullptr || !number_missing(*attempt)) return {};
  LedgerAttempt settled = *attempt;
  settled.secret_no = number;
  if (!write(settled)) return {};
  (void)note_number(number, settled.pool_key, settled.city, NumberEventKind::kBought, settled.id);
  return FlowResult::done(
      Notice{{"Recorded the number bought: " + number, "已记录所购号码：" + number},
             StatusLevel::kSuccess});
}

FlowResult LedgerFlow::forget(std::string typed, bool purchase_under_way) {
  (void)reload();  // what it found set aside stays in ledger_problem; the result says the rest
  if (std::any_of(slice_.ledger.attempts.begin(), slice_.ledger.attempts.end(),
                  [](const LedgerAttempt& a) { return unresolved(a) || number_missing(a); }) ||
      purchase_under_way) {
    return FlowResult::refused(
        {"A purchase is unresolved: settle it before forgetting the history.",
         "有购买尚未处理：请先处理，再清除历史。"});
  }
  if (trimmed(std::move(typed)) != kForgetWord) {
    return FlowResult::refused({"Type FORGET to confirm.", "请输入 FORGET 以确认。"});
  }
  store_.forget(slice_.ledger);
  slice_.ledger = Ledger{};
  slice_.records.clear();
  slice_.forget_confirmation.clear();
  project();
  return FlowResult::done(Notice{{"This browser's purchase history for this relay is forgotten.",
                                  "本浏览器在此中转服务的购买历史已清除。"},
                                 StatusLevel::kInfo});
}

}  // namespace dypls::console
