// The numbers: looking one up, importing a pasted list (looked up one at a time, spaced out),
// refreshing, locking, unlocking, releasing, and the list as CSV or JSON to take away. Owns
// ConsoleState::numbers. Requests go out through the Send it is given, each answer is read once
// (answer_of on the session's reading), and what a successful action did to a number is handed
// to Note for the ledger. Refusals are returned; what an answer says is told through Tell (it
// comes later, when nothing waits for a return value).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "api_session.h"
#include "console_state.h"
#include "flow_result.h"
#include "ledger.h"
#include "ports.h"

namespace dypls::console {

// Between the lookups of an imported list: one at a time, never a burst.
inline constexpr std::int64_t kImportSpacingMs = 250;

class NumbersFlow {
 public:
  // Signs and sends; false when it cannot be signed (the sender has said why).
  using Send = std::function<bool(RequestSpec spec, ApiSession::ReplyHandler on_reply)>;
  // A number action succeeded: record it in the ledger (which may rebuild the records).
  using Note = std::function<void(const std::string& secret_no, const std::string& pool_key,
                                  const std::string& city, NumberEventKind kind)>;
  using Tell = std::function<void(Notice notice)>;

  NumbersFlow(NumbersState& state, Clock& clock, Send send, Note note, Tell tell);

  FlowResult lookup(std::string pool_key, std::string secret_no);
  // Reads a pasted list (one a line, separated, or a CSV export) and looks each number up in
  // `pool_key`, one at a time (advance_import() sends them). Refused when nothing could be read
  // or an import is still running.
  FlowResult import_list(std::string pool_key, std::string text);
  // Sends the import's next lookup when its time has come. Call every frame.
  void advance_import();
  FlowResult refresh(std::string secret_no);
  FlowResult lock(std::string secret_no, bool lock);
  // Sends ReleaseSecretNo only when `typed` equals the number.
  FlowResult release(std::string secret_no, std::string typed);

  // Reads the answer to a number action once and applies it to the number's row: its detail,
  // lock state or release, or the error (with a hint for a bound number that cannot be released);
  // tells what came of it and notes a success. Nothing when the number is no longer listed.
  void take_reply(const std::string& secret_no, Action action, const ApiReply& reply,
                  LogEntry& entry);

  // The detail another check found (reconciling by number), for the number's row if listed.
  void take_detail(const std::string& secret_no, const std::optional<NumberDetail>& detail);

  NumberRecord* find(const std::string& secret_no);

 private:
  using LookupDone = std::function<void(const std::optional<ApiError>& error)>;
  bool send_lookup(const NumberRequest& request, LookupDone done);
  void finish_import_one(const std::string& number, std::size_t line,
                         const std::optional<ApiError>& error);
  bool send_action(const NumberRequest& request);

  NumbersState& state_;
  Clock& clock_;
  Send send_;
  Note note_;
  Tell tell_;
};

// The numbers listed, to take away: a header line, then one number a line.
std::string numbers_csv(const NumbersState& numbers);
std::string numbers_json(const NumbersState& numbers);

}  // namespace dypls::console
