#include "state_json.h"

#include <nlohmann/json.hpp>

#include "credentials_status.h"

namespace dypls::console {
namespace {

const char* phase_name(RunPhase phase) {
  switch (phase) {
    case RunPhase::kIdle:
      return "idle";
    case RunPhase::kConfirming:
      return "confirming";
    case RunPhase::kQueued:
      return "queued";
    case RunPhase::kSending:
      return "sending";
    case RunPhase::kWaiting:
      return "waiting";
    case RunPhase::kDone:
      return "done";
    case RunPhase::kStopped:
      return "stopped";
    case RunPhase::kFailed:
      return "failed";
    case RunPhase::kOutcomeUnknown:
      return "outcome-unknown";
  }
  return "?";
}

const char* result_name(AttemptResult result) {
  switch (result) {
    case AttemptResult::kBought:
      return "bought";
    case AttemptResult::kFailed:
      return "failed";
    case AttemptResult::kThrottled:
      return "throttled";
    case AttemptResult::kUnknown:
      return "unknown";
  }
  return "?";
}

const char* total_source_name(StockTotalSource source) {
  switch (source) {
    case StockTotalSource::kNone:
      return "none";
    case StockTotalSource::kReported:
      return "reported";
    case StockTotalSource::kSummed:
      return "summed";
    case StockTotalSource::kReportedDisagrees:
      return "reported-disagrees";
  }
  return "?";
}

const char* credentials_status_name(CredentialsStatus status) {
  switch (status) {
    case CredentialsStatus::kNone:
      return "none";
    case CredentialsStatus::kValid:
      return "valid";
    case CredentialsStatus::kExpiringSoon:
      return "expiring-soon";
    case CredentialsStatus::kExpired:
      return "expired";
    case CredentialsStatus::kNoExpiry:
      return "no-expiry";
  }
  return "?";
}

const char* level_name(StatusLevel level) {
  switch (level) {
    case StatusLevel::kInfo:
      return "info";
    case StatusLevel::kSuccess:
      return "success";
    case StatusLevel::kWarning:
      return "warning";
    case StatusLevel::kError:
      return "error";
  }
  return "?";
}

nlohmann::json unknown_json(const ConsoleState& state) {
  if (!state.unknown) return nullptr;
  const UnknownPurchase& u = *state.unknown;
  const auto figure = [](const std::optional<std::int64_t>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  return {{"city", u.request.city},
          {"attemptId", u.attempt_id},
          {"noOutcomeRecorded", u.no_outcome_recorded},
          {"reconciled", u.reconciled},
          {"stockBefore", figure(u.stock_before)},
          {"stockBeforeMs", u.stock_before_ms},
          {"stockAfter", figure(u.stock_after)},
          {"stockAfterMs", u.stock_after_ms},
          {"stockAfterFailure", u.stock_after_failure.en},
          {"stockFetched", u.stock_fetched},
          {"reconciling", u.reconciling},
          {"checkingNumber", u.checking_number},
          {"numberVerdict", u.number_verdict},
          {"numberCheck", u.number_check.en}};
}

nlohmann::json stock_figure_json(const std::optional<StockFigure>& figure) {
  if (!figure) return nullptr;
  return {{"city", figure->city},
          {"specId", figure->spec_id},
          {"prefix", figure->prefix},
          {"amount", figure->amount},
          {"readMs", figure->read_ms}};
}

nlohmann::json buying_elsewhere_json(const ConsoleState& state) {
  nlohmann::json out = nlohmann::json::array();
  for (const PurchaseElsewhere& p : state.buying_elsewhere) {
    out.push_back({{"attemptId", p.attempt_id},
                   {"poolKey", p.request.pool_key},
                   {"city", p.request.city},
                   {"startedMs", p.at_ms}});
  }
  return out;
}

nlohmann::json import_json(const NumberImport& import) {
  nlohmann::json problems = nlohmann::json::array();
  for (const ListProblem& p : import.problems) {
    problems.push_back({{"line", p.line}, {"text", p.excerpt}, {"why", p.why.en}});
  }
  return {{"active", import.active()},
          {"total", import.total},
          {"left", import.queue.size()},
          {"found", import.found},
          {"duplicates", import.duplicates},
          {"problemCount", import.problem_count},
          {"problems", problems}};
}

}  // namespace

std::string state_json(const ConsoleState& state, std::int64_t pasted_at_s, std::int64_t now_ms) {
  using nlohmann::json;
  const CredentialsLife life =
      credentials_life(state.credentials, pasted_at_s, (now_ms + state.clock_offset_ms) / 1000);
  json credentials = {
      {"status", credentials_status_name(life.status)},
      {"secondsLeft", life.seconds_left},
      {"rememberInTab", state.credentials.remember_in_tab},
  };
  if (state.credentials.active) {
    credentials["keyId"] = mask_key_id(state.credentials.active->key.id);
    credentials["hasToken"] = !state.credentials.active->key.security_token.empty();
    credentials["shape"] = shape_name(state.credentials.active->shape);
  }
  {
    json profiles = json::array();
    for (const CredentialsProfile& p : state.credentials.profiles) profiles.push_back(p.name);
    credentials["profiles"] = profiles;
    credentials["activeProfile"] = state.credentials.active_profile;
  }
  json rows = json::array();
  for (const CityStock& row : state.stock.rows)
    rows.push_back({{"city", row.city}, {"amount", row.amount}});
  json attempts = json::array();
  for (const PurchaseAttempt& a : state.run.attempts) {
    attempts.push_back(
        {{"result", result_name(a.result)}, {"secretNo", a.secret_no}, {"code", a.code}});
  }
  json form_errors = json::array();
  for (const FieldError& e : state.run.form_errors) form_errors.push_back(e.field);
  json numbers = json::array();
  for (const NumberRecord& n : state.numbers.records) {
    json item = {{"secretNo", n.secret_no},
                 {"poolKey", n.pool_key},
                 {"city", n.city},
                 {"released", n.released},
                 {"busy", n.busy},
                 {"origin", n.origin == NumberOrigin::kBought ? "bought" : "looked-up"}};
    if (n.detail) {
      item["status"] = status_name(n.detail->status);
      item["vendor"] = n.detail->vendor;
    }
    if (n.error) item["error"] = n.error->code;
    numbers.push_back(std::move(item));
  }
  json ledger_attempts = json::array();
  const auto& all_attempts = state.ledger.attempts;
  const std::size_t first_attempt = all_attempts.size() > 200 ? all_attempts.size() - 200 : 0;
  for (std::size_t i = first_attempt; i < all_attempts.size(); ++i) {
    const LedgerAttempt& a = all_attempts[i];
    ledger_attempts.push_back({{"id", a.id},
                               {"startedMs", a.started_ms},
                               {"poolKey", a.pool_key},
                               {"city", a.city},
                               {"outcome", outcome_name(a.outcome)},
                               {"secretNo", a.secret_no},
                               {"code", a.code},
                               {"settlement", settlement_name(a.settlement)},
                               {"how", settled_how_name(a.how)},
                               {"unresolved", unresolved(a)},
                               {"numberMissing", number_missing(a)},
                               {"stockBefore", stock_figure_json(a.stock_before)}});
  }
  json log = json::array();
  const auto& entries = state.log.entries();
  const std::size_t first = entries.size() > 50 ? entries.size() - 50 : 0;
  for (std::size_t i = first; i < entries.size(); ++i) {
    const LogEntry& e = entries[i];
    log.push_back({{"id", e.id},
                   {"action", e.action},
                   {"pending", e.pending},
                   {"httpStatus", e.http_status},
                   {"code", e.code},
                   {"requestId", e.request_id},
                   {"latencyMs", e.latency_ms}});
  }
  json out = {
      {"settings",
       {{"relayUrl", state.settings.relay_url},
        {"style", state.settings.style == SignatureStyle::kV1 ? "V1" : "V3"},
        {"language", state.settings.language == Language::kZh ? "zh" : "en"},
        {"theme", state.settings.theme == Theme::kDark ? "dark" : "light"},
        {"uiScale", state.settings.ui_scale}}},
      {"relay",
       {{"loaded", state.relay.loaded},
        {"failed", state.relay.failed},
        {"sandbox", state.relay.sandbox},
        {"signHost", state.relay.sign_host}}},
      {"credentials", credentials},
      {"stock",
       {{"busy", state.stock.busy},
        {"rows", rows},
        {"cities", state.stock.cities.size()},
        {"total", state.stock.answer ? state.stock.answer->amount : 0},
        {"totalSource",
         state.stock.answer ? total_source_name(state.stock.answer->total_source) : "none"},
        {"rowsSum", state.stock.answer ? state.stock.answer->rows_sum : 0},
        {"error", state.stock.error ? state.stock.error->code : ""}}},
      {"buy",
       {{"poolKey", state.buy.pool_key},
        {"specId", state.buy.spec_id},
        {"city", state.buy.city},
        {"prefix", state.buy.prefix},
        {"quantity", state.buy.quantity}}},
      {"run",
       {{"phase", phase_name(state.run.phase)},
        {"quantity", state.run.quantity},
        {"bought", state.run.bought},
        {"attempts", attempts},
        {"formErrors", form_errors},
        {"stopRequested", state.run.stop_requested},
        {"waitMs", state.run.wait_ms},
        {"waitUntilMs", state.run.wait_until_ms},
        {"buyInConsole", state.run.buy_in_console},
        {"queuedBehindTab", state.run.queued_behind_tab},
        {"summary", state.run.summary.en}}},
      {"unknown", unknown_json(state)},
      {"buyingElsewhere", buying_elsewhere_json(state)},
      {"reconcileNote", state.reconcile_note.en},
      {"ledger",
       {{"attempts", ledger_attempts},
        {"attemptCount", all_attempts.size()},
        {"numberCount", state.ledger.numbers.size()},
        {"problem", state.ledger_problem.en}}},
      {"numbers", numbers},
      {"numberImport", import_json(state.numbers.import)},
      {"log", log},
      {"logCount", entries.size()},
      {"status",
       {{"text", state.status.text.en},
        {"level", level_name(state.status.level)},
        {"seq", state.status.seq}}},
      {"clockOffsetMs", state.clock_offset_ms},
  };
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace dypls::console
