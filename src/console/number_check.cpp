#include "number_check.h"

#include <string>

#include "core/time_format.h"

namespace dypls::console {
namespace {

constexpr std::int64_t kChinaOffsetMs = std::int64_t{8} * 3600 * 1000;

bool not_in_pool(const ApiError& error) {
  // The live API's codes for "no such number in this pool" (and for a pool that is not yours).
  return error.code == "isv.NO_NOT_EXIST" || error.code == "isv.POOLKEY_NOT_EXISTS" ||
         error.code == "POOLKEY_NOT_EXIST";
}

Message text(std::string en, std::string zh) {
  return {std::move(en), std::move(zh)};
}

}  // namespace

std::optional<std::int64_t> purchase_time_ms(std::string_view text) {
  if (text.size() == 19 && text[10] == ' ') {
    std::string iso(text);
    iso[10] = 'T';
    iso += 'Z';
    const std::optional<std::int64_t> seconds = parse_iso8601_utc(iso);
    if (!seconds) return std::nullopt;
    return *seconds * 1000 - kChinaOffsetMs;
  }
  const std::optional<std::int64_t> seconds = parse_iso8601_utc(text);
  if (!seconds) return std::nullopt;
  return *seconds * 1000;
}

NumberCheck judge_number_check(const LedgerAttempt& attempt, std::string_view secret_no,
                               const Answer<NumberDetail>& answer, const Ledger& ledger) {
  const std::string number(secret_no);
  const std::string& pool = attempt.pool_key;
  NumberCheck check;
  if (!answer.ok()) {
    if (answer.error && not_in_pool(*answer.error)) {
      const ApiError& error = *answer.error;
      check.verdict = NumberCheckVerdict::kNotInPool;
      check.explanation =
          text(number + " is not a number of pool " + pool + " (" + error.code +
                   "), so this purchase did not buy it. The outcome is still unknown: check "
                   "the number again, or use the stock figures.",
               number + " 不是号码池 " + pool + " 的号码（" + error.code +
                   "），所以不是这笔购买买到的。结果仍然未知：请核对号码，或参考库存变化。");
      return check;
    }
    check.verdict = NumberCheckVerdict::kCheckFailed;
    const std::string code =
        answer.error && !answer.error->code.empty() ? answer.error->code : std::string("no answer");
    check.explanation = text(
        "The number could not be checked (" + code + "). Nothing was decided; try Check now again.",
        "无法核对该号码（" + code + "）。未作任何结论；请再次点击“立即核对”。");
    return check;
  }
  for (const LedgerNumber& known : ledger.numbers) {
    if (known.secret_no == number && was_bought(known) && !known.attempt_id.empty() &&
        known.attempt_id != attempt.id) {
      check.verdict = NumberCheckVerdict::kBoughtByOtherAttempt;
      check.explanation =
          text(number +
                   " is already recorded as bought by another purchase in this browser, so it "
                   "does not settle this one. The outcome is still unknown.",
               number + " 已记录为本浏览器另一笔购买所得，不能用来确认这一笔。结果仍然未知。");
      return check;
    }
  }
  check.purchased_ms = purchase_time_ms(answer.value->purchase_time);
  if (!check.purchased_ms) {
    check.verdict = NumberCheckVerdict::kTimeUnreadable;
    check.explanation =
        text(number + " is in pool " + pool + ", but its purchase time (\"" +
                 answer.value->purchase_time +
                 "\") cannot be read, so it cannot be tied to this purchase. Decide yourself.",
             number + " 在号码池 " + pool + " 中，但无法读取其购买时间（\"" +
                 answer.value->purchase_time + "\"），无法确认属于这笔购买。请自行判断。");
    return check;
  }
  const std::string bought_at = answer.value->purchase_time;
  if (*check.purchased_ms + kPurchaseTimeSlackMs < attempt.started_ms) {
    check.verdict = NumberCheckVerdict::kBoughtBefore;
    check.explanation =
        text(number + " is in pool " + pool + " but was bought at " + bought_at +
                 " (China time), before this purchase started, so this purchase did not buy it. "
                 "The outcome is still unknown.",
             number + " 在号码池 " + pool + " 中，但购买时间为 " + bought_at +
                 "（北京时间），早于这笔购买开始的时间，所以不是这笔购买买到的。结果仍然未知。");
    return check;
  }
  check.verdict = NumberCheckVerdict::kBoughtByAttempt;
  check.explanation =
      text("Checked by number: " + number + " is in pool " + pool + " and was bought at " +
               bought_at + " (China time), after this purchase started. Recorded as bought.",
           "已按号码核对：" + number + " 在号码池 " + pool + " 中，购买时间 " + bought_at +
               "（北京时间），晚于这笔购买开始的时间。已记为已购买。");
  return check;
}

const char* number_check_name(NumberCheckVerdict verdict) {
  switch (verdict) {
    case NumberCheckVerdict::kBoughtByAttempt:
      return "bought-by-attempt";
    case NumberCheckVerdict::kNotInPool:
      return "not-in-pool";
    case NumberCheckVerdict::kBoughtBefore:
      return "bought-before";
    case NumberCheckVerdict::kBoughtByOtherAttempt:
      return "bought-by-other-attempt";
    case NumberCheckVerdict::kTimeUnreadable:
      return "time-unreadable";
    case NumberCheckVerdict::kCheckFailed:
      return "check-failed";
  }
  return "check-failed";
}

}  // namespace dypls::console
