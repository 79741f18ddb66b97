#include "numbers_flow.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/purchase_run.h"
#include "number_list.h"
#include "trimmed.h"

namespace dypls::console {
namespace {

// What happened, in words, after a number action succeeded (not the API's action name).
Message number_action_done(Action action, const std::string& secret_no) {
  switch (action) {
    case Action::kReleaseSecretNo:
      return {"Released " + secret_no + ": it is no longer yours.",
              "已释放 " + secret_no + "：该号码不再属于您。"};
    case Action::kLockSecretNo:
      return {"Locked " + secret_no + ".", "已锁定 " + secret_no + "。"};
    case Action::kUnlockSecretNo:
      return {"Unlocked " + secret_no + ".", "已解锁 " + secret_no + "。"};
    default:
      return {"Details of " + secret_no + " refreshed.", "已刷新 " + secret_no + " 的详情。"};
  }
}

NumberEventKind event_of(Action action) {
  switch (action) {
    case Action::kReleaseSecretNo:
      return NumberEventKind::kReleased;
    case Action::kLockSecretNo:
      return NumberEventKind::kLocked;
    case Action::kUnlockSecretNo:
      return NumberEventKind::kUnlocked;
    default:
      return NumberEventKind::kLookedUp;
  }
}

const char* origin_name(NumberOrigin origin) {
  return origin == NumberOrigin::kBought ? "bought" : "looked-up";
}

}  // namespace

NumbersFlow::NumbersFlow(NumbersState& state, Clock& clock, Send send, Note note, Tell tell)
    : state_(state),
      clock_(clock),
      send_(std::move(send)),
      note_(std::move(note)),
      tell_(std::move(tell)) {}

NumberRecord* NumbersFlow::find(const std::string& secret_no) {
  auto& records = state_.records;
  auto it = std::find_if(records.begin(), records.end(),
                         [&](const NumberRecord& r) { return r.secret_no == secret_no; });
  return it == records.end() ? nullptr : &*it;
}

void NumbersFlow::take_detail(const std::string& secret_no,
                              const std::optional<NumberDetail>& detail) {
  if (NumberRecord* record = find(secret_no)) record->detail = detail;
}

FlowResult NumbersFlow::lookup(std::string pool_key, std::string secret_no) {
  NumberRequest request{Action::kQuerySecretNoDetail, trimmed(std::move(pool_key)),
                        trimmed(std::move(secret_no))};
  if (auto errors = validate(request); !errors.empty()) {
    return FlowResult::refused(errors.front().message);
  }
  return {send_lookup(request, {}), std::nullopt};
}

bool NumbersFlow::send_lookup(const NumberRequest& request, LookupDone done) {
  NumberRecord* existing = find(request.secret_no);
  if (existing != nullptr && existing->busy) return false;
  const bool sent =
      send_(to_spec(request), [this, number = request.secret_no, pool = request.pool_key,
                               done = std::move(done)](const ApiReply& reply, LogEntry& entry) {
        const bool first_time = find(number) == nullptr;
        if (first_time) {
          NumberRecord record;
          record.secret_no = number;
          record.pool_key = pool;
          record.origin = NumberOrigin::kLookedUp;
          state_.records.push_back(std::move(record));
        }
        take_reply(number, Action::kQuerySecretNoDetail, reply, entry);
        const NumberRecord* record = find(number);
        const std::optional<ApiError> error = record != nullptr ? record->error : std::nullopt;
        // A number looked up for the first time is listed only when the API knows it.
        auto& records = state_.records;
        if (first_time && !records.empty() && records.back().secret_no == number &&
            !records.back().detail) {
          records.pop_back();
        }
        if (done) done(error);
      });
  if (sent && existing != nullptr) existing->busy = true;
  return sent;
}

FlowResult NumbersFlow::import_list(std::string pool_key_in, std::string text_in) {
  NumberImport& import = state_.import;
  if (import.active()) return {};
  const std::string pool_key = trimmed(std::move(pool_key_in));
  NumberRequest check{Action::kQuerySecretNoDetail, pool_key, "13800000000"};
  if (auto errors = validate(check); !errors.empty()) {
    return FlowResult::refused(errors.front().message);
  }
  const std::string text = std::move(text_in);  // a value: the import changes the state
  NumberList list = parse_number_list(text);
  import = NumberImport{};
  import.pool_key = pool_key;
  import.total = list.numbers.size();
  import.problems = std::move(list.problems);
  import.problem_count = list.problem_count;
  import.duplicates = list.duplicates;
  import.too_many = list.too_many;
  import.too_long = list.too_long;
  import.queue = std::move(list.numbers);
  import.queue_lines = std::move(list.lines);
  if (import.queue.empty()) {
    return FlowResult::refused(
        {"No number found to import: paste 11-digit numbers, one a line, or a CSV export with a "
         "number column.",
         "没有可导入的号码：请粘贴 11 位号码（每行一个），或带号码列的 CSV 导出文件。"});
  }
  const std::string total = std::to_string(import.total);
  // Told before the first lookup leaves: a lookup that cannot be signed says so after it.
  tell_(Notice{{"Importing numbers: " + total, "正在导入号码：" + total}, StatusLevel::kInfo});
  advance_import();
  return FlowResult::done();
}

// One lookup at a time, spaced out: an import never bursts the API.
void NumbersFlow::advance_import() {
  NumberImport& import = state_.import;
  if (import.in_flight || import.queue.empty() || clock_.now_ms() < import.next_at_ms) return;
  const std::string number = import.queue.front();
  const std::size_t line = import.queue_lines.front();
  if (NumberRecord* known = find(number); known != nullptr && known->busy) {
    import.next_at_ms = clock_.now_ms() + kImportSpacingMs;  // its own lookup is in flight
    return;
  }
  import.in_flight = true;  // before sending: an answer may come back at once
  const NumberRequest request{Action::kQuerySecretNoDetail, import.pool_key, number};
  const bool sent = send_lookup(request, [this, number, line](const std::optional<ApiError>& e) {
    finish_import_one(number, line, e);
  });
  if (!sent) {
    state_.import.in_flight = false;
    // Could not be signed (credentials gone): stop here, keep what was done.
    state_.import.queue.clear();
    state_.import.queue_lines.clear();
  }
}

void NumbersFlow::finish_import_one(const std::string& number, std::size_t line,
                                    const std::optional<ApiError>& error) {
  NumberImport& current = state_.import;
  current.in_flight = false;
  current.next_at_ms = clock_.now_ms() + kImportSpacingMs;
  if (error && error->throttled && current.throttle_waits < kMaxThrottleWaits) {
    ++current.throttle_waits;  // not done: ask again after the wait
    current.next_at_ms = clock_.now_ms() + error->retry_after_ms.value_or(1000);
    return;
  }
  current.queue.erase(current.queue.begin());
  current.queue_lines.erase(current.queue_lines.begin());
  if (error) {
    ++current.problem_count;
    if (current.problems.size() < 2 * kImportMaxProblems) {  // after the list's own
      current.problems.push_back({line,
                                  number,
                                  {error->code + ": not found in pool " + current.pool_key,
                                   error->code + "：号码池 " + current.pool_key + " 中未找到"}});
    }
  } else {
    ++current.found;
  }
  if (current.queue.empty()) {
    const std::string counts =
        std::to_string(current.found) + " / " + std::to_string(current.total);
    tell_(Notice{{"Import finished; numbers found and listed: " + counts,
                  "导入完成；已找到并列出：" + counts},
                 current.problem_count == 0 ? StatusLevel::kSuccess : StatusLevel::kWarning});
  }
}

FlowResult NumbersFlow::refresh(std::string secret_no) {
  const NumberRecord* record = find(secret_no);
  if (record == nullptr) return {};
  return lookup(record->pool_key, std::move(secret_no));
}

FlowResult NumbersFlow::lock(std::string secret_no, bool lock) {
  const NumberRecord* record = find(secret_no);
  if (record == nullptr || record->busy || record->released) return {};
  const Action action = lock ? Action::kLockSecretNo : Action::kUnlockSecretNo;
  const NumberRequest request{action, record->pool_key, std::move(secret_no)};
  if (auto errors = validate(request); !errors.empty()) {
    return FlowResult::refused(errors.front().message);
  }
  return {send_action(request), std::nullopt};
}

FlowResult NumbersFlow::release(std::string secret_no, std::string typed) {
  const NumberRecord* record = find(secret_no);
  if (record == nullptr || record->busy || record->released) return {};
  if (trimmed(std::move(typed)) != record->secret_no) {
    return FlowResult::refused(
        {"Type the full number to confirm the release.", "请输入完整号码以确认释放。"});
  }
  const NumberRequest request{Action::kReleaseSecretNo, record->pool_key, std::move(secret_no)};
  if (auto errors = validate(request); !errors.empty()) {
    return FlowResult::refused(errors.front().message);
  }
  return {send_action(request), std::nullopt};
}

// Lock, unlock or release: the row is busy until its answer.
bool NumbersFlow::send_action(const NumberRequest& request) {
  const bool sent = send_(
      to_spec(request),
      [this, number = request.secret_no, action = request.action](
          const ApiReply& reply, LogEntry& entry) { take_reply(number, action, reply, entry); });
  NumberRecord* record = find(request.secret_no);
  if (sent && record != nullptr) record->busy = true;
  return sent;
}

void NumbersFlow::take_reply(const std::string& secret_no, Action action, const ApiReply& reply,
                             LogEntry& entry) {
  NumberRecord* record = find(secret_no);
  if (record == nullptr) return;
  record->busy = false;
  std::optional<ApiError> error;
  if (action == Action::kQuerySecretNoDetail) {
    Answer<NumberDetail> answer = answer_of(reply, &parse_detail_answer);
    if (answer.ok()) {
      record->detail = answer.value;
      if (record->city.empty()) record->city = answer.value->city;
    } else {
      error = answer.error;
    }
  } else {
    Answer<EmptyAnswer> answer = answer_of(reply, &parse_empty_answer);
    if (answer.ok()) {
      if (action == Action::kReleaseSecretNo) {
        record->released = true;
      } else {
        if (!record->detail) record->detail = NumberDetail{};
        record->detail->status =
            action == Action::kLockSecretNo ? NumberStatus::kLocked : NumberStatus::kUnbound;
      }
    } else {
      error = answer.error;
    }
  }
  if (error && action == Action::kReleaseSecretNo && error->code == "isv.ILLEGAL_ARGUMENT" &&
      ((record->detail && record->detail->status == NumberStatus::kBound) ||
       error->message.find("bind") != std::string::npos)) {
    // The generic "check City, SpecId…" hint does not fit: a bound number cannot be released.
    error->hint = {
        "This number is still bound to a call relationship: unbind it first, then "
        "release it.",
        "该号码仍有绑定关系：请先解绑，再释放。"};
  }
  record->error = error;
  if (error) {
    // An OK without its payload is an error only the typed reading sees: the log shows it too.
    if (!entry.error) entry.error = error;
    tell_(Notice{error->hint.en.empty() ? Message{error->message, error->message} : error->hint,
                 StatusLevel::kError});
    return;
  }
  tell_(Notice{number_action_done(action, secret_no), StatusLevel::kSuccess});
  const std::string pool = record->pool_key;
  const std::string city = record->city;
  // After telling: the ledger may have its own say (a refused write), and it may rebuild the
  // records, so `record` is stale after this.
  note_(secret_no, pool, city, event_of(action));
}

std::string numbers_csv(const NumbersState& numbers) {
  std::string out = "number,pool_key,city,origin,released,bought_at\n";
  for (const NumberRecord& n : numbers.records) {
    out += n.secret_no + "," + n.pool_key + "," + n.city + "," + origin_name(n.origin) + "," +
           (n.released ? "true" : "false") + "," + n.bought_at + "\n";
  }
  return out;
}

std::string numbers_json(const NumbersState& numbers) {
  nlohmann::json out = nlohmann::json::array();
  for (const NumberRecord& n : numbers.records) {
    out.push_back({{"number", n.secret_no},
                   {"poolKey", n.pool_key},
                   {"city", n.city},
                   {"origin", origin_name(n.origin)},
                   {"released", n.released},
                   {"boughtAt", n.bought_at}});
  }
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dypls::console
