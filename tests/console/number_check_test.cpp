// Reconciling an unknown purchase by its number, as a table: what QuerySecretNoDetail said, when
// the number was bought, what the ledger already knows -> the verdict.
#include "number_check.h"

#include <gtest/gtest.h>

namespace dypls::console::testing {
namespace {

// 2026-11-30 10:00:00 UTC, i.e. 18:00:00 China time.
constexpr std::int64_t kStartedMs = 1796032800000;
constexpr const char* kPool = "FC100000000000001";
constexpr const char* kNumber = "17000000001";

LedgerAttempt unknown_attempt() {
  LedgerAttempt a;
  a.id = "1796032800000-abc";
  a.started_ms = kStartedMs;
  a.pool_key = kPool;
  a.city = "杭州";
  a.outcome = Outcome::kUnknown;
  return a;
}

Answer<NumberDetail> found(const std::string& purchase_time) {
  Answer<NumberDetail> answer;
  answer.value = NumberDetail{};
  answer.value->purchase_time = purchase_time;
  answer.value->city = "杭州";
  return answer;
}

Answer<NumberDetail> failed(const std::string& code, ErrorKind kind = ErrorKind::kBusiness) {
  Answer<NumberDetail> answer;
  answer.error = ApiError{};
  answer.error->kind = kind;
  answer.error->code = code;
  return answer;
}

Ledger ledger_with(const std::string& number, const std::string& attempt_id, bool bought) {
  Ledger ledger;
  LedgerNumber n{number, kPool, "杭州", attempt_id, {}};
  add_event(n, bought ? NumberEventKind::kBought : NumberEventKind::kLookedUp, kStartedMs);
  ledger.numbers.push_back(n);
  return ledger;
}

struct Row {
  const char* name;
  Answer<NumberDetail> answer;
  Ledger ledger;
  NumberCheckVerdict expected;
};

TEST(NumberCheck, VerdictTable) {
  const std::vector<Row> rows = {
      {"bought in the same second",
       found("2026-11-30 18:00:00"),
       {},
       NumberCheckVerdict::kBoughtByAttempt},
      {"bought a minute later",
       found("2026-11-30 18:01:00"),
       {},
       NumberCheckVerdict::kBoughtByAttempt},
      {"ISO UTC time after",
       found("2026-11-30T10:00:05Z"),
       {},
       NumberCheckVerdict::kBoughtByAttempt},
      {"within the clock slack",
       found("2026-11-30 17:59:59"),
       {},
       NumberCheckVerdict::kBoughtByAttempt},
      {"just beyond the slack",
       found("2026-11-30 17:59:57"),
       {},
       NumberCheckVerdict::kBoughtBefore},
      {"bought the day before",
       found("2026-11-29 18:00:00"),
       {},
       NumberCheckVerdict::kBoughtBefore},
      {"UTC read as China time would be wrong",
       found("2026-11-30T09:00:00Z"),
       {},
       NumberCheckVerdict::kBoughtBefore},
      {"not in the pool", failed("isv.NO_NOT_EXIST"), {}, NumberCheckVerdict::kNotInPool},
      {"pool not there", failed("isv.POOLKEY_NOT_EXISTS"), {}, NumberCheckVerdict::kNotInPool},
      {"throttled", failed("Throttling.User"), {}, NumberCheckVerdict::kCheckFailed},
      {"no answer", failed("", ErrorKind::kTransport), {}, NumberCheckVerdict::kCheckFailed},
      {"neither value nor error", Answer<NumberDetail>{}, {}, NumberCheckVerdict::kCheckFailed},
      {"empty purchase time", found(""), {}, NumberCheckVerdict::kTimeUnreadable},
      {"garbage purchase time", found("yesterday"), {}, NumberCheckVerdict::kTimeUnreadable},
      {"impossible date", found("2026-13-40 18:00:00"), {}, NumberCheckVerdict::kTimeUnreadable},
      {"another attempt bought it", found("2026-11-30 18:00:01"),
       ledger_with(kNumber, "other-attempt", true), NumberCheckVerdict::kBoughtByOtherAttempt},
      {"this attempt already has it", found("2026-11-30 18:00:01"),
       ledger_with(kNumber, "1796032800000-abc", true), NumberCheckVerdict::kBoughtByAttempt},
      {"only looked up before", found("2026-11-30 18:00:01"), ledger_with(kNumber, "", false),
       NumberCheckVerdict::kBoughtByAttempt},
      {"another number bought elsewhere", found("2026-11-30 18:00:01"),
       ledger_with("17000000002", "other-attempt", true), NumberCheckVerdict::kBoughtByAttempt},
  };
  for (const Row& row : rows) {
    const NumberCheck check =
        judge_number_check(unknown_attempt(), kNumber, row.answer, row.ledger);
    EXPECT_EQ(number_check_name(check.verdict), std::string(number_check_name(row.expected)))
        << row.name;
    EXPECT_FALSE(check.explanation.en.empty()) << row.name;
    EXPECT_FALSE(check.explanation.zh.empty()) << row.name;
    if (check.verdict != NumberCheckVerdict::kCheckFailed) {
      EXPECT_NE(check.explanation.en.find(kNumber), std::string::npos) << row.name;
    }
  }
}

TEST(NumberCheck, SaysWhatItFoundAndWhatItMeans) {
  const NumberCheck bought =
      judge_number_check(unknown_attempt(), kNumber, found("2026-11-30 18:00:01"), {});
  EXPECT_NE(bought.explanation.en.find("Checked by number"), std::string::npos);
  EXPECT_NE(bought.explanation.en.find("2026-11-30 18:00:01"), std::string::npos);
  ASSERT_TRUE(bought.purchased_ms.has_value());
  EXPECT_EQ(*bought.purchased_ms, kStartedMs + 1000);
  const NumberCheck older =
      judge_number_check(unknown_attempt(), kNumber, found("2026-11-29 18:00:00"), {});
  EXPECT_NE(older.explanation.en.find("before this purchase started"), std::string::npos);
  EXPECT_NE(older.explanation.en.find("still unknown"), std::string::npos);
  const NumberCheck absent =
      judge_number_check(unknown_attempt(), kNumber, failed("isv.NO_NOT_EXIST"), {});
  EXPECT_NE(absent.explanation.en.find(std::string("not a number of pool ") + kPool),
            std::string::npos);
}

TEST(NumberCheck, PurchaseTimeFormats) {
  EXPECT_EQ(purchase_time_ms("1970-01-01 08:00:00"), 0);
  EXPECT_EQ(purchase_time_ms("1970-01-01T00:00:01Z"), 1000);
  EXPECT_FALSE(purchase_time_ms("").has_value());
  EXPECT_FALSE(purchase_time_ms("1970-01-01 08:00").has_value());
  EXPECT_FALSE(purchase_time_ms("1970-01-01 08:00:00Z").has_value());
  EXPECT_FALSE(purchase_time_ms("1970-01-01X08:00:00").has_value());
}

}  // namespace
}  // namespace dypls::console::testing
