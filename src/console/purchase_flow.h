// The purchase run as the page carries it out: submit, confirm, cancel and stop go to the pure
// transition (core/purchase_run.h), and this class carries out the commands it returns (the
// cross-tab lock, reading the ledger again, writing the attempt ahead, signing and sending,
// recording the outcome) and feeds what came of them back as events. Owns ConsoleState::run, the
// attempt in flight as recorded and the lock asked for. What the run says is told through Tell
// (it comes from answers, later); the ledger, the stock table and the shown unknown outcome are
// reached through Hooks, with values.
//
// The money rules it keeps (the transition decides them; see controller.h for the whole list):
// - one purchase in flight; a second submit or confirm while one runs is ignored;
// - every attempt is written to the durable ledger before its request leaves: a refused write
//   sends nothing;
// - one purchase at a time across the tabs of a browser profile (the PurchaseLock), and the
//   ledger is read again once the lock is held, so another tab's unknown outcome blocks this one.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api_session.h"
#include "attempt_shown.h"
#include "console_state.h"
#include "flow_result.h"
#include "ledger.h"
#include "ports.h"

namespace dypls::console {

inline constexpr int kMaxQuantity = 100;

// What is wrong with the Buy form, field by field.
std::vector<FieldError> buy_form_errors(const BuyForm& form);

class PurchaseFlow {
 public:
  struct Hooks {
    std::function<std::int64_t()> clock_offset;  // server minus local, ms
    // Why nothing may be signed now; nullopt when the credentials are usable.
    std::function<std::optional<Message>()> credentials_problem;
    std::function<std::string()> masked_key_id;  // of the credentials in use, for the attempt
    // The stock known now for the purchase, kept with its attempt as the figure before it.
    std::function<std::optional<StockFigure>(const BuyRequest& purchase)> stock_before;
    std::function<std::string()> ledger_origin;  // names the pool's lock
    // An unknown outcome is shown in `pool`.
    std::function<bool(const std::string& pool)> unknown_in_pool;
    // The ledger read again (under the lock), for `pool`.
    std::function<PoolCheck(const std::string& pool)> check_pool;
    // Writes the attempt to the durable ledger; false when storage refused it.
    std::function<bool(const LedgerAttempt& attempt)> write_attempt;
    // A number was bought by `attempt_id`: the ledger lists it and the stock counts it out.
    std::function<void(const std::string& secret_no, const BuyRequest& purchase,
                       const std::string& attempt_id)>
        note_bought;
    // The attempt's outcome is unknown (answered on `log_id`): show it for reconciling.
    std::function<void(const std::string& attempt_id, std::size_t log_id)> show_unknown;
    // Signs and sends; false when it cannot be signed (the sender has said why).
    std::function<bool(RequestSpec spec, ApiSession::ReplyHandler on_reply)> send;
    std::function<void(Notice notice)> tell;
  };

  PurchaseFlow(PurchaseRun& run, Clock& clock, NonceSource& nonces, PurchaseLock& lock,
               Hooks hooks);

  // Validates the form and asks for confirmation. False (and nothing changes) when a purchase
  // is already running or awaiting confirmation, or an unknown outcome is unresolved.
  bool submit(const BuyForm& form);
  void cancel();
  // Starts the run confirmed on screen. Ignored unless awaiting confirmation (double clicks).
  bool confirm(const BuyForm& form);
  void stop();
  // A queued or waiting run asks again as time passes.
  void tick();

  // An unknown outcome in the form's pool waits for the person.
  bool blocked(const BuyForm& form) const;
  // Leaving now could lose track of it: a purchase is being sent, waited out or queued.
  bool in_flight() const;
  // Sending or waiting out a throttle: the Buy form's fields stay as they are.
  bool sending() const;
  bool under_way() const { return !run_.attempt_id.empty(); }
  bool awaits_verdict() const { return run_.phase == RunPhase::kOutcomeUnknown; }

  // What this tab knows of the pool's purchase lock, in ledger time.
  LockSighting lock_sighting(const std::string& pool) const;
  // The attempt this tab has in flight, as recorded; nullopt when none.
  std::optional<LedgerAttempt> own_attempt() const;

  // No unknown outcome is left: a run that ended on one is over.
  void nothing_unknown();
  // The verdict on an unknown outcome: the run is over, and the run that ended on it shows the
  // verdict in its own row, count and summary, not "no answer" beside a note that says it was
  // settled.
  void take_verdict(bool run_ended_unknown, bool bought, const std::string& secret_no,
                    const Message& why);

 private:
  // Feeds one event to the purchase run and carries out the commands it returns.
  void run_event(RunEvent event);
  void carry_out(const RunCommand& command);
  void write_attempt();
  void send_purchase();
  std::string lock_name_for(const std::string& pool) const;
  std::int64_t ledger_now() const;

  PurchaseRun& run_;
  Clock& clock_;
  NonceSource& nonces_;
  PurchaseLock& lock_;
  Hooks hooks_;
  LedgerAttempt current_attempt_;  // the attempt in flight, as recorded
  std::string held_lock_;          // the lock asked for or held
};

}  // namespace dypls::console
