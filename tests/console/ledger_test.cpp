// The purchase ledger's codec and loading: round trip, unreadable and foreign records kept
// aside, the size bound that never drops an unresolved attempt.
#include "ledger.h"

#include <gtest/gtest.h>

#include "fakes.h"
#include "ledger_store.h"

namespace dypls::console::testing {
namespace {

constexpr const char* kOrigin = "http://127.0.0.1:8080";

LedgerAttempt attempt(const std::string& id, std::int64_t at, Outcome outcome) {
  LedgerAttempt a;
  a.id = id;
  a.started_ms = at;
  a.pool_key = "FC100000000000001";
  a.spec_id = 2;
  a.city = "杭州";
  a.prefix = "170";
  a.display_pool = true;
  a.key_id = "STS.NU****Id01";
  a.outcome = outcome;
  return a;
}

TEST(Ledger, AttemptRoundTrip) {
  LedgerAttempt a = attempt("1-abc", 1795849937000, Outcome::kUnknown);
  a.outcome_ms = 1795849938000;
  a.code = "Relay.UpstreamTimeout";
  a.why = "no answer: timeout";
  a.settlement = Settlement::kBought;
  a.how = SettledHow::kCheckedByNumber;
  a.settled_ms = 1795849999000;
  a.secret_no = "17000000001";
  const Decoded<LedgerAttempt> back = decode_attempt(encode_attempt(a));
  ASSERT_TRUE(back.value.has_value());
  EXPECT_EQ(encode_attempt(*back.value), encode_attempt(a));
  EXPECT_EQ(back.value->city, "杭州");
  EXPECT_EQ(back.value->how, SettledHow::kCheckedByNumber);
  EXPECT_FALSE(unresolved(*back.value));
}

TEST(Ledger, TheStockBeforeIsKeptAndAnOlderRecordWithoutItStillReads) {
  LedgerAttempt a = attempt("1-abc", 1795849937000, Outcome::kPending);
  a.stock_before = StockFigure{"杭州", 2, "170", 42, 1795849930000};
  const Decoded<LedgerAttempt> back = decode_attempt(encode_attempt(a));
  ASSERT_TRUE(back.value.has_value());
  ASSERT_TRUE(back.value->stock_before.has_value());
  EXPECT_EQ(*back.value->stock_before, *a.stock_before);
  EXPECT_NE(encode_attempt(a).find(R"("stockBefore":{"amount":42,"city":"杭州","prefix":"170",)"
                                   R"("readMs":1795849930000,"specId":2})"),
            std::string::npos)
      << encode_attempt(a);
  // Version 1 as first written: no figure means "not known", not a corrupt record.
  for (const char* text :
       {R"({"v":1,"id":"x","outcome":"pending"})", R"({"v":1,"id":"x","stockBefore":null})"}) {
    const auto old = decode_attempt(text);
    ASSERT_TRUE(old.value.has_value()) << text;
    EXPECT_FALSE(old.value->stock_before.has_value()) << text;
  }
  a.stock_before.reset();
  EXPECT_EQ(encode_attempt(a).find("stockBefore"), std::string::npos);
}

TEST(Ledger, NumberRoundTrip) {
  LedgerNumber n{"17000000001", "FC1", "杭州", "1-abc", {}};
  add_event(n, NumberEventKind::kBought, 10);
  add_event(n, NumberEventKind::kLocked, 20);
  const Decoded<LedgerNumber> back = decode_number(encode_number(n));
  ASSERT_TRUE(back.value.has_value());
  EXPECT_EQ(encode_number(*back.value), encode_number(n));
  EXPECT_TRUE(was_bought(*back.value));
  EXPECT_EQ(last_locked(*back.value), true);
}

TEST(Ledger, CorruptAndForeignRecordsAreReportedNotTrusted) {
  for (const char* text :
       {"", "{", "[]", "null", R"({"id":"x"})", R"({"v":1})",
        R"({"v":1,"id":"x","outcome":"maybe"})", R"({"v":1,"id":7})",
        R"({"v":1,"id":"x","startedMs":"soon"})", R"({"v":1,"id":"x","stockBefore":5})",
        R"({"v":1,"id":"x","stockBefore":{"city":"杭州"}})",
        R"({"v":1,"id":"x","stockBefore":{"amount":"5"}})"}) {
    const auto decoded = decode_attempt(text);
    EXPECT_FALSE(decoded.value.has_value()) << text;
    EXPECT_EQ(decoded.problem, RecordProblem::kCorrupt) << text;
  }
  const auto foreign = decode_attempt(R"({"v":2,"id":"x"})");
  EXPECT_FALSE(foreign.value.has_value());
  EXPECT_EQ(foreign.problem, RecordProblem::kForeignVersion);
  EXPECT_FALSE(decode_number(R"({"v":1,"secretNo":"1","events":[{"kind":"eaten"}]})").value);
}

TEST(Ledger, LoadSortsKeepsAsideAndExplains) {
  const std::vector<std::pair<std::string, std::string>> records = {
      {attempt_key(kOrigin, "b"), encode_attempt(attempt("b", 20, Outcome::kBought))},
      {attempt_key(kOrigin, "a"), encode_attempt(attempt("a", 10, Outcome::kPending))},
      {attempt_key(kOrigin, "bad"), "{not json"},
      {attempt_key(kOrigin, "new"), R"({"v":9,"id":"new"})"},
      {attempt_key("http://other", "z"), encode_attempt(attempt("z", 5, Outcome::kPending))},
  };
  const LedgerLoad loaded = load_ledger(kOrigin, records);
  ASSERT_EQ(loaded.ledger.attempts.size(), 2u);
  EXPECT_EQ(loaded.ledger.attempts[0].id, "a");
  EXPECT_TRUE(unresolved(loaded.ledger.attempts[0])) << "no outcome recorded: unknown";
  EXPECT_EQ(loaded.set_aside.size(), 2u);
  EXPECT_NE(loaded.problem.en.find("1 unreadable, 1 from another version"), std::string::npos)
      << loaded.problem.en;
  EXPECT_NE(loaded.problem.en.find("kept aside"), std::string::npos);
}

TEST(Ledger, TheSizeBoundNeverDropsAnUnresolvedAttempt) {
  std::vector<std::pair<std::string, std::string>> records;
  for (int i = 0; i < 30; ++i) {
    const std::string id = "id" + std::to_string(i);
    // The oldest five have no outcome: they must survive any bound.
    const Outcome outcome = i < 5 ? Outcome::kPending : Outcome::kBought;
    records.emplace_back(attempt_key(kOrigin, id), encode_attempt(attempt(id, 100 + i, outcome)));
  }
  const LedgerLoad loaded = load_ledger(kOrigin, records, 10);
  EXPECT_EQ(loaded.ledger.attempts.size(), 10u);
  EXPECT_EQ(loaded.dropped.size(), 20u);
  int unresolved_kept = 0;
  for (const LedgerAttempt& a : loaded.ledger.attempts) unresolved_kept += unresolved(a) ? 1 : 0;
  EXPECT_EQ(unresolved_kept, 5);
  EXPECT_EQ(loaded.ledger.attempts.back().id, "id29") << "the newest are kept";
  // Even when every attempt is unresolved, none is dropped.
  std::vector<std::pair<std::string, std::string>> open;
  for (int i = 0; i < 12; ++i) {
    const std::string id = "u" + std::to_string(i);
    open.emplace_back(attempt_key(kOrigin, id), encode_attempt(attempt(id, i, Outcome::kUnknown)));
  }
  EXPECT_EQ(load_ledger(kOrigin, open, 10).ledger.attempts.size(), 12u);
}

TEST(Ledger, TheStoreMovesUnreadableRecordsAsideInsteadOfDeletingThem) {
  SharedStorage profile;
  TabDurableStorage storage(profile);
  storage.set(attempt_key(kOrigin, "bad"), "{broken");
  storage.set(attempt_key(kOrigin, "ok"), encode_attempt(attempt("ok", 1, Outcome::kBought)));
  LedgerStore store(storage);
  store.set_origin(kOrigin);
  const LedgerLoad loaded = store.load();
  EXPECT_EQ(loaded.ledger.attempts.size(), 1u);
  EXPECT_FALSE(storage.get(attempt_key(kOrigin, "bad")).has_value());
  ASSERT_TRUE(storage.get(aside_key(attempt_key(kOrigin, "bad"))).has_value());
  EXPECT_EQ(*storage.get(aside_key(attempt_key(kOrigin, "bad"))), "{broken");
  EXPECT_TRUE(store.load().problem.en.empty()) << "reported once, then a clean ledger";
}

}  // namespace
}  // namespace dypls::console::testing
