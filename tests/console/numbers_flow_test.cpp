// NumbersFlow on its own: its slice of the state, a fake clock, and a sender that keeps each
// request until the test answers it with a reply as ApiSession would read it. What the flow
// notes for the ledger and tells the person is recorded in order.
#include "numbers_flow.h"

#include "fakes.h"

namespace dypls::console::testing {
namespace {

constexpr const char* kPool = "FC100000000000001";

std::string detail_ok(const std::string& city) {
  return ok_body(R"(,"SecretNoInfoDTO":{"Vendor":1,"City":")" + city + R"(","SecretStatus":0})");
}

class NumbersFlowTest : public ::testing::Test {
 protected:
  struct Sent {
    RequestSpec spec;
    ApiSession::ReplyHandler on_reply;
  };

  // Answers the oldest request as the session reads it: an OK envelope carries no error.
  void answer(int status, const std::string& body, HeaderList headers = {}) {
    ASSERT_FALSE(sent.empty()) << "no request to answer";
    Sent next = std::move(sent.front());
    sent.erase(sent.begin());
    ApiReply reply;
    reply.status = status;
    reply.response.status = status;
    reply.response.body = body;
    reply.response.headers = std::move(headers);
    const bool ok = status == 200 && body.find(R"("Code":"OK")") != std::string::npos;
    if (!ok) reply.error = classify_error(status, body, retry_after_headers(reply.response));
    LogEntry entry;
    entry.error = reply.error;
    next.on_reply(reply, entry);
    entries.push_back(entry);
  }
  std::string action(std::size_t i = 0) const { return sent.at(i).spec.action; }
  std::string param(const std::string& name, std::size_t i = 0) const {
    for (const Param& p : sent.at(i).spec.params) {
      if (p.name == name) return p.value;
    }
    return {};
  }
  std::string happened(std::size_t i) const { return log.at(i); }

  NumbersState state;
  FakeClock clock;
  bool can_sign = true;
  std::vector<Sent> sent;
  std::vector<LogEntry> entries;
  std::vector<std::string> log;  // "tell:<level>:<en>" and "note:<number>:<kind>", in order
  NumbersFlow flow{state, clock,
                   [this](RequestSpec spec, ApiSession::ReplyHandler on_reply) {
                     if (!can_sign) return false;
                     sent.push_back({std::move(spec), std::move(on_reply)});
                     return true;
                   },
                   [this](const std::string& number, const std::string& pool,
                          const std::string& city, NumberEventKind kind) {
                     log.push_back("note:" + number + ":" + pool + ":" + city + ":" +
                                   std::to_string(static_cast<int>(kind)));
                   },
                   [this](Notice notice) {
                     log.push_back("tell:" + std::to_string(static_cast<int>(notice.level)) + ":" +
                                   notice.text.en);
                   }};
};

TEST_F(NumbersFlowTest, ALookupIsValidatedFirstAndListsOnlyWhatTheApiKnows) {
  const FlowResult bad = flow.lookup(kPool, "1700000000");
  EXPECT_FALSE(bad.ok);
  ASSERT_TRUE(bad.notice.has_value());
  EXPECT_EQ(bad.notice->level, StatusLevel::kError);
  EXPECT_TRUE(sent.empty()) << "nothing sent for a malformed number";
  EXPECT_TRUE(log.empty()) << "a refusal is returned, not told";

  EXPECT_TRUE(flow.lookup(" " + std::string(kPool) + " ", " 17000000001 ").ok);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(action(), "QuerySecretNoDetail");
  EXPECT_EQ(param("PoolKey"), kPool);
  EXPECT_EQ(param("SecretNo"), "17000000001");
  answer(200, detail_ok("杭州"));
  const NumberRecord* found = flow.find("17000000001");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->origin, NumberOrigin::kLookedUp);
  EXPECT_EQ(found->city, "杭州");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(happened(0).rfind("tell:1:Details of 17000000001", 0), 0u) << happened(0);
  EXPECT_EQ(happened(1), "note:17000000001:" + std::string(kPool) + ":杭州:" +
                             std::to_string(static_cast<int>(NumberEventKind::kLookedUp)))
      << "noted after telling: a refused ledger write has the last word";

  ASSERT_TRUE(flow.lookup(kPool, "17000000002").ok);
  answer(200, R"({"Code":"isv.NO_NOT_EXIST","Message":"no","RequestId":"R"})");
  EXPECT_EQ(flow.find("17000000002"), nullptr) << "a number the API does not know is not listed";
  EXPECT_EQ(log.back().rfind("tell:3:", 0), 0u) << "the error is told";
}

TEST_F(NumbersFlowTest, AnOkWithoutItsPayloadIsAnErrorTheLogShowsToo) {
  ASSERT_TRUE(flow.lookup(kPool, "17000000001").ok);
  answer(200, detail_ok("杭州"));
  ASSERT_TRUE(flow.refresh("17000000001").ok);
  EXPECT_TRUE(flow.find("17000000001")->busy);
  EXPECT_FALSE(flow.refresh("17000000001").ok) << "one request per number at a time";
  EXPECT_EQ(sent.size(), 1u);
  answer(200, ok_body());  // OK, but no SecretNoInfoDTO: only the typed reading sees it
  const NumberRecord* record = flow.find("17000000001");
  ASSERT_NE(record, nullptr);
  EXPECT_FALSE(record->busy);
  ASSERT_TRUE(record->error.has_value());
  ASSERT_TRUE(entries.back().error.has_value()) << "the log line carries the error as well";
  EXPECT_EQ(entries.back().error->code, record->error->code);
}

TEST_F(NumbersFlowTest, ReleaseNeedsTheWholeNumberAndABoundNumberSaysUnbindFirst) {
  ASSERT_TRUE(flow.lookup(kPool, "17000000001").ok);
  answer(200, detail_ok("杭州"));
  log.clear();

  const FlowResult prefix = flow.release("17000000001", "1700000000");
  EXPECT_FALSE(prefix.ok);
  ASSERT_TRUE(prefix.notice.has_value());
  EXPECT_NE(prefix.notice->text.en.find("full number"), std::string::npos);
  EXPECT_TRUE(sent.empty());
  EXPECT_FALSE(flow.release("17000000099", "17000000099").ok) << "not listed";

  ASSERT_TRUE(flow.release("17000000001", " 17000000001 ").ok);
  EXPECT_EQ(action(), "ReleaseSecretNo");
  answer(400, R"({"Code":"isv.ILLEGAL_ARGUMENT","Message":"secretNo has bind","RequestId":"R"})");
  const NumberRecord* record = flow.find("17000000001");
  ASSERT_TRUE(record->error.has_value());
  EXPECT_NE(record->error->hint.en.find("unbind it first"), std::string::npos);
  EXPECT_FALSE(record->released);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(happened(0).find("unbind it first"), std::string::npos) << happened(0);

  ASSERT_TRUE(flow.release("17000000001", "17000000001").ok);
  answer(200, ok_body());
  EXPECT_TRUE(flow.find("17000000001")->released);
  EXPECT_EQ(log.back(), "note:17000000001:" + std::string(kPool) + ":杭州:" +
                            std::to_string(static_cast<int>(NumberEventKind::kReleased)));
  EXPECT_FALSE(flow.lock("17000000001", true).ok) << "a released number is not locked";
  EXPECT_TRUE(sent.empty());
}

TEST_F(NumbersFlowTest, LockAndUnlockSetTheStatusShown) {
  ASSERT_TRUE(flow.lookup(kPool, "17000000001").ok);
  answer(200, detail_ok("杭州"));
  ASSERT_TRUE(flow.lock("17000000001", true).ok);
  EXPECT_EQ(action(), "LockSecretNo");
  answer(200, ok_body());
  EXPECT_EQ(flow.find("17000000001")->detail->status, NumberStatus::kLocked);
  ASSERT_TRUE(flow.lock("17000000001", false).ok);
  EXPECT_EQ(action(), "UnlockSecretNo");
  answer(200, ok_body());
  EXPECT_EQ(flow.find("17000000001")->detail->status, NumberStatus::kUnbound);
  EXPECT_EQ(log.back(), "note:17000000001:" + std::string(kPool) + ":杭州:" +
                            std::to_string(static_cast<int>(NumberEventKind::kUnlocked)));
}

TEST_F(NumbersFlowTest, AnImportIsSpacedWaitsOutThrottlingAndStopsWhenItCannotSign) {
  EXPECT_FALSE(flow.import_list("bad pool", "17000000001").ok);
  const FlowResult empty = flow.import_list(kPool, "hello");
  EXPECT_FALSE(empty.ok);
  ASSERT_TRUE(empty.notice.has_value());
  EXPECT_NE(empty.notice->text.en.find("No number found"), std::string::npos);

  ASSERT_TRUE(flow.import_list(kPool, "17000000001\n17000000002\n17000000003").ok);
  EXPECT_FALSE(flow.import_list(kPool, "17000000004").ok) << "one import at a time";
  ASSERT_EQ(sent.size(), 1u) << "the first lookup leaves at once";
  flow.advance_import();
  EXPECT_EQ(sent.size(), 1u) << "never two at once";
  answer(200, detail_ok("杭州"));
  flow.advance_import();
  EXPECT_TRUE(sent.empty()) << "spaced out";
  clock.now += kImportSpacingMs;
  flow.advance_import();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(param("SecretNo"), "17000000002");
  answer(400, R"({"Code":"Throttling.User","Message":"slow down","RequestId":"R"})",
         {{"x-acs-retry-after", "2000"}});
  EXPECT_EQ(state.import.throttle_waits, 1);
  clock.now += kImportSpacingMs;
  flow.advance_import();
  EXPECT_TRUE(sent.empty()) << "the throttle wait, not the spacing";
  clock.now += 2000;
  flow.advance_import();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(param("SecretNo"), "17000000002") << "the throttled number is asked again";
  answer(200, detail_ok("上海"));

  can_sign = false;
  clock.now += kImportSpacingMs;
  flow.advance_import();
  EXPECT_FALSE(state.import.active()) << "credentials gone: the import stops, keeping its finds";
  EXPECT_EQ(state.import.found, 2u);
  EXPECT_NE(flow.find("17000000002"), nullptr);
}

TEST_F(NumbersFlowTest, AnImportReportsNumbersThePoolDoesNotHaveAndSaysWhenItIsDone) {
  ASSERT_TRUE(flow.import_list(kPool, "17000000001,17000000002").ok);
  EXPECT_EQ(log.front(), "tell:0:Importing numbers: 2");
  answer(200, detail_ok("杭州"));
  clock.now += kImportSpacingMs;
  flow.advance_import();
  answer(200, R"({"Code":"isv.NO_NOT_EXIST","Message":"no","RequestId":"R"})");
  EXPECT_FALSE(state.import.active());
  EXPECT_EQ(state.import.found, 1u);
  ASSERT_EQ(state.import.problems.size(), 1u);
  EXPECT_EQ(state.import.problems[0].excerpt, "17000000002");
  EXPECT_EQ(state.import.problems[0].line, 1u);
  EXPECT_EQ(log.back(), "tell:2:Import finished; numbers found and listed: 1 / 2");
}

TEST(NumbersExport, CsvAndJsonCarryEveryListedNumber) {
  NumbersState numbers;
  NumberRecord bought;
  bought.secret_no = "17000000001";
  bought.pool_key = kPool;
  bought.city = "杭州";
  bought.bought_at = "2026-11-28T07:12:17Z";
  NumberRecord looked;
  looked.secret_no = "17000000002";
  looked.origin = NumberOrigin::kLookedUp;
  looked.released = true;
  numbers.records = {bought, looked};
  EXPECT_EQ(numbers_csv(numbers),
            "number,pool_key,city,origin,released,bought_at\n"
            "17000000001,FC100000000000001,杭州,bought,false,2026-11-28T07:12:17Z\n"
            "17000000002,,,looked-up,true,\n");
  const std::string json = numbers_json(numbers);
  EXPECT_NE(json.find(R"("number": "17000000001")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("origin": "looked-up")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("released": true)"), std::string::npos) << json;
}

}  // namespace
}  // namespace dypls::console::testing
