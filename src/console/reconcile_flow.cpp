#include "reconcile_flow.h"

#include <algorithm>
#include <utility>

#include "stock_hint.h"
#include "trimmed.h"

namespace dypls::console {
namespace {

const Message kAlreadySettled{"Another tab already settled that purchase.",
                              "另一个标签页已处理这笔购买。"};
const Message kVerdictRefused{
    "This browser refused to record the verdict (storage full or disabled).",
    "浏览器拒绝记录这一结论（存储已满或被禁用）。"};

}  // namespace

ReconcileFlow::ReconcileFlow(std::optional<UnknownPurchase>& unknown, Message& note, Hooks hooks)
    : unknown_(unknown), note_(note), hooks_(std::move(hooks)) {}

bool ReconcileFlow::show(std::vector<UnknownPurchase> unknowns) {
  if (unknowns.empty()) {
    unknown_.reset();
    return false;
  }
  const bool still_shown =
      unknown_ && std::any_of(unknowns.begin(), unknowns.end(), [&](const UnknownPurchase& u) {
        return u.attempt_id == unknown_->attempt_id;
      });
  if (!still_shown) unknown_ = std::move(unknowns.front());
  return true;
}

void ReconcileFlow::answered_on(const std::string& attempt_id, std::size_t log_id) {
  if (unknown_ && unknown_->attempt_id == attempt_id) unknown_->log_id = log_id;
}

FlowResult ReconcileFlow::reconcile() {
  if (!unknown_) return {};
  // The stock query may already be on its way (fetched by itself): the number is checked anyway.
  if (!unknown_->reconciling) fetch_stock_after(/*on_its_own=*/false);
  if (!unknown_) return {};
  const std::string number = trimmed(unknown_->lookup_number);
  if (number.empty() || unknown_->checking_number) return FlowResult::done();
  return check_number(unknown_->attempt_id, unknown_->request.pool_key, number);
}

// The stock for the unknown purchase's city, type and prefix: one less than before suggests it
// went through.
void ReconcileFlow::fetch_stock_after(bool on_its_own) {
  const std::string attempt_id = unknown_->attempt_id;
  unknown_->reconciling = true;
  unknown_->stock_after_failure = {};
  const auto done = [this, attempt_id](std::optional<StockAfter> after, const Message& why_not) {
    if (!unknown_ || unknown_->attempt_id != attempt_id) return;
    unknown_->reconciling = false;
    if (!after) {
      // Said beside the figures, not on the status line; Check now stays usable.
      unknown_->stock_after_failure = {
          "The stock after could not be read: " + why_not.en + " Check now asks again.",
          "无法读取购买后的库存：" + why_not.zh + " “立即核对”会再查询一次。"};
      return;
    }
    unknown_->reconciled = true;
    unknown_->stock_after = after->amount;
    unknown_->stock_after_ms = after->read_ms;
  };
  const bool sent = hooks_.query_stock(unknown_->request, on_its_own, done);
  if (!sent && unknown_) unknown_->reconciling = false;
}

// A throttled or failed fetch is not repeated: Check now asks again.
bool ReconcileFlow::wants_stock_after() const {
  return unknown_ && !unknown_->stock_fetched && !unknown_->stock_after && !unknown_->reconciling;
}

void ReconcileFlow::fetch_stock_after_once() {
  if (!wants_stock_after()) return;
  unknown_->stock_fetched = true;
  fetch_stock_after(/*on_its_own=*/true);
}

FlowResult ReconcileFlow::check_number(const std::string& attempt_id, const std::string& pool_key,
                                       const std::string& secret_no) {
  NumberRequest request{Action::kQuerySecretNoDetail, pool_key, secret_no};
  if (auto errors = validate(request); !errors.empty()) {
    unknown_->number_check = errors.front().message;
    return FlowResult::refused(errors.front().message);
  }
  // Marked before sending: an answer handed back at once settles (and may clear `unknown`).
  unknown_->checking_number = true;
  const bool sent = hooks_.send(to_spec(request), [this, attempt_id, number = secret_no](
                                                      const ApiReply& reply, LogEntry& entry) {
    Answer<NumberDetail> answer = answer_of(reply, &parse_detail_answer);
    if (answer.error && !entry.error) entry.error = answer.error;
    settle_by_number(attempt_id, number, answer);
  });
  if (!sent && unknown_) unknown_->checking_number = false;
  return FlowResult::done();
}

void ReconcileFlow::settle_by_number(const std::string& attempt_id, const std::string& secret_no,
                                     const Answer<NumberDetail>& answer) {
  if (unknown_ && unknown_->attempt_id == attempt_id) unknown_->checking_number = false;
  const std::optional<LedgerAttempt> attempt = hooks_.unresolved_attempt(attempt_id);
  if (!attempt) {
    hooks_.tell(Notice{kAlreadySettled, StatusLevel::kInfo});
    return;
  }
  const NumberCheck check = hooks_.judge(*attempt, secret_no, answer);
  if (check.verdict != NumberCheckVerdict::kBoughtByAttempt) {
    if (unknown_ && unknown_->attempt_id == attempt_id) {
      unknown_->number_check = check.explanation;
      unknown_->number_verdict = number_check_name(check.verdict);
      unknown_->reconciled = true;  // the person has looked: the verdict is theirs
    }
    hooks_.tell(Notice{check.explanation, check.verdict == NumberCheckVerdict::kCheckFailed
                                              ? StatusLevel::kError
                                              : StatusLevel::kWarning});
    return;
  }
  const bool run_ended_unknown = hooks_.run_awaits_verdict();
  LedgerAttempt settled = *attempt;
  settled.settlement = Settlement::kBought;
  settled.how = SettledHow::kCheckedByNumber;
  settled.settled_ms = hooks_.now();
  settled.secret_no = secret_no;
  if (!hooks_.settle(settled)) {
    hooks_.tell(Notice{kVerdictRefused, StatusLevel::kError});
    return;
  }
  hooks_.number_detail(secret_no, answer.value);
  hooks_.run_verdict(run_ended_unknown, true, secret_no, check.explanation);
  note_ = check.explanation;
  hooks_.tell(Notice{check.explanation, StatusLevel::kSuccess});
}

FlowResult ReconcileFlow::resolve(bool bought, std::string secret_no) {
  if (!unknown_) return {};
  const UnknownPurchase unknown = *unknown_;  // a copy: settling replaces what is shown
  const std::string number = trimmed(std::move(secret_no));
  const std::optional<LedgerAttempt> attempt = hooks_.unresolved_attempt(unknown.attempt_id);
  if (!attempt) return {false, Notice{kAlreadySettled, StatusLevel::kInfo}};
  const bool run_ended_unknown = hooks_.run_awaits_verdict();
  LedgerAttempt settled = *attempt;
  settled.settlement = bought ? Settlement::kBought : Settlement::kNotBought;
  // The stock figures on screen backed this verdict, or the person decided on other grounds.
  const std::optional<bool> stock_says =
      stock_suggests_bought(read_stock_change(unknown.stock_before, unknown.stock_after).hint);
  settled.how = stock_says == bought ? SettledHow::kStockDiff : SettledHow::kPersonSaid;
  settled.settled_ms = hooks_.now();
  if (bought) settled.secret_no = number;
  if (!hooks_.settle(settled)) return FlowResult::refused(kVerdictRefused);
  note_ = settled.how == SettledHow::kStockDiff
              ? Message{"Settled by the stock difference, as you confirmed.",
                        "已按库存变化处理（经您确认）。"}
              : Message{"Settled as you said.", "已按您的判断处理。"};
  hooks_.run_verdict(run_ended_unknown, bought, number, note_);
  return FlowResult::done(Notice{
      bought
          ? (number.empty() ? Message{"Recorded as bought; the number is still needed (Numbers).",
                                      "已记为已购买；仍需填写号码（号码页）。"}
                            : Message{"Recorded as bought.", "已记为已购买。"})
          : Message{"Recorded as not bought.", "已记为未购买。"},
      StatusLevel::kInfo});
}

}  // namespace dypls::console
