// ReconcileFlow on its own: the unknown outcome shown, the stock after it, the check by number
// and the verdict, with hooks standing in for the ledger, the stock query, the sender and the
// purchase run. Each verdict must reach the ledger (Settle) before the page says it.
#include "reconcile_flow.h"

#include "fakes.h"

namespace dypls::console::testing {
namespace {

constexpr const char* kPool = "FC100000000000001";

UnknownPurchase unknown_of(const std::string& id) {
  UnknownPurchase u;
  u.attempt_id = id;
  u.request = BuyRequest{kPool, 1, "杭州", "", false};
  return u;
}

class ReconcileFlowTest : public ::testing::Test {
 protected:
  ReconcileFlow::Hooks hooks() {
    ReconcileFlow::Hooks h;
    h.send = [this](RequestSpec spec, ApiSession::ReplyHandler on_reply) {
      happened.push_back("send:" + spec.action);
      sent.push_back(std::move(on_reply));
      return true;
    };
    h.query_stock = [this](const BuyRequest& purchase, bool on_its_own,
                           ReconcileFlow::StockDone done) {
      happened.push_back(std::string(on_its_own ? "stock-by-itself:" : "stock:") + purchase.city);
      stock_done.push_back(std::move(done));
      return true;
    };
    h.unresolved_attempt = [this](const std::string& id) -> std::optional<LedgerAttempt> {
      if (settled_elsewhere) return std::nullopt;
      LedgerAttempt a;
      a.id = id;
      a.pool_key = kPool;
      a.city = "杭州";
      a.outcome = Outcome::kUnknown;
      return a;
    };
    h.judge = [this](const LedgerAttempt&, const std::string&, const Answer<NumberDetail>&) {
      NumberCheck check;
      check.verdict = verdict;
      check.explanation = {"judged", "judged"};
      return check;
    };
    h.settle = [this](const LedgerAttempt& settled) {
      happened.push_back("settle:" + std::string(settlement_name(settled.settlement)) + ":" +
                         settled_how_name(settled.how) + ":" + settled.secret_no);
      return !refuse_writes;
    };
    h.number_detail = [this](const std::string& secret_no, const std::optional<NumberDetail>&) {
      happened.push_back("detail:" + secret_no);
    };
    h.run_awaits_verdict = [] { return true; };
    h.run_verdict = [this](bool ended_unknown, bool bought, const std::string& secret_no,
                           const Message&) {
      happened.push_back(std::string("run:") + (ended_unknown ? "ended-unknown:" : "") +
                         (bought ? "bought:" : "not-bought:") + secret_no);
    };
    h.now = [] { return std::int64_t{1000}; };
    h.tell = [this](Notice notice) { told.push_back(notice); };
    return h;
  }

  void answer_number(const std::string& body) {
    ASSERT_FALSE(sent.empty());
    ApiSession::ReplyHandler next = std::move(sent.front());
    sent.erase(sent.begin());
    ApiReply reply;
    reply.status = 200;
    reply.response.status = 200;
    reply.response.body = body;
    LogEntry entry;
    next(reply, entry);
  }

  std::optional<UnknownPurchase> unknown;
  Message note;
  bool settled_elsewhere = false;
  bool refuse_writes = false;
  NumberCheckVerdict verdict = NumberCheckVerdict::kBoughtByAttempt;
  std::vector<std::string> happened;
  std::vector<ApiSession::ReplyHandler> sent;
  std::vector<ReconcileFlow::StockDone> stock_done;
  std::vector<Notice> told;
  ReconcileFlow flow{unknown, note, hooks()};
};

TEST_F(ReconcileFlowTest, TheOneShownStaysWhileUnresolvedThenTheOldestTakesItsPlace) {
  EXPECT_TRUE(flow.show({unknown_of("a1"), unknown_of("a2")}));
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->attempt_id, "a1");
  unknown->lookup_number = "17000000001";  // typed by the person
  EXPECT_TRUE(flow.show({unknown_of("a0"), unknown_of("a1")}));
  EXPECT_EQ(unknown->attempt_id, "a1") << "what the person typed stays";
  EXPECT_EQ(unknown->lookup_number, "17000000001");
  EXPECT_TRUE(flow.show({unknown_of("a2")}));
  EXPECT_EQ(unknown->attempt_id, "a2");
  EXPECT_FALSE(flow.show({}));
  EXPECT_FALSE(unknown.has_value());
}

TEST_F(ReconcileFlowTest, TheStockAfterIsFetchedOnceByItselfAndKeptForItsOwnAttempt) {
  flow.show({unknown_of("a1")});
  ASSERT_TRUE(flow.wants_stock_after());
  flow.fetch_stock_after_once();
  EXPECT_FALSE(flow.wants_stock_after()) << "once per unknown purchase shown";
  ASSERT_EQ(stock_done.size(), 1u);
  EXPECT_TRUE(unknown->reconciling);
  stock_done[0](ReconcileFlow::StockAfter{41, 900}, {});
  EXPECT_FALSE(unknown->reconciling);
  EXPECT_TRUE(unknown->reconciled);
  EXPECT_EQ(unknown->stock_after, 41);
  EXPECT_EQ(unknown->stock_after_ms, 900);

  // An answer for an attempt no longer shown is not this one's figure.
  flow.show({unknown_of("a2")});
  ASSERT_TRUE(flow.reconcile().ok);
  flow.show({unknown_of("a3")});
  stock_done.back()(ReconcileFlow::StockAfter{7, 950}, {});
  EXPECT_FALSE(unknown->stock_after.has_value());
}

TEST_F(ReconcileFlowTest, AFailedStockQueryIsSaidBesideTheFiguresAndCheckNowAsksAgain) {
  flow.show({unknown_of("a1")});
  flow.fetch_stock_after_once();
  ASSERT_EQ(happened, (std::vector<std::string>{"stock-by-itself:杭州"}));
  stock_done[0](std::nullopt, {"No answer arrived.", "没有收到应答。"});
  EXPECT_FALSE(unknown->reconciling);
  EXPECT_FALSE(unknown->reconciled) << "no figure, no verdict offered from it";
  EXPECT_EQ(unknown->stock_after_failure.en,
            "The stock after could not be read: No answer arrived. Check now asks again.");
  EXPECT_TRUE(told.empty()) << "the status line still tells of the purchase";
  EXPECT_FALSE(flow.wants_stock_after()) << "not again by itself";

  ASSERT_TRUE(flow.reconcile().ok);
  EXPECT_EQ(happened.back(), "stock:杭州") << "Check now asks, as the person's own query";
  EXPECT_TRUE(unknown->stock_after_failure.en.empty()) << "the old failure is not shown meanwhile";
  stock_done[1](ReconcileFlow::StockAfter{40, 990}, {});
  EXPECT_EQ(unknown->stock_after, 40);
  EXPECT_TRUE(unknown->stock_after_failure.en.empty());
}

TEST_F(ReconcileFlowTest, AVerdictIsWrittenBeforeItIsSaidAndARefusedOneIsNotSaid) {
  flow.show({unknown_of("a1")});
  refuse_writes = true;
  FlowResult result = flow.resolve(true, "17000000001");
  EXPECT_FALSE(result.ok);
  ASSERT_TRUE(result.notice.has_value());
  EXPECT_EQ(result.notice->level, StatusLevel::kError);
  EXPECT_TRUE(note.en.empty()) << "nothing settled, nothing noted";
  EXPECT_EQ(happened, (std::vector<std::string>{"settle:bought:person-said:17000000001"}));

  refuse_writes = false;
  happened.clear();
  result = flow.resolve(true, " 17000000001 ");
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(happened, (std::vector<std::string>{"settle:bought:person-said:17000000001",
                                                "run:ended-unknown:bought:17000000001"}));
  EXPECT_FALSE(note.en.empty());

  settled_elsewhere = true;
  flow.show({unknown_of("a2")});
  happened.clear();
  result = flow.resolve(false, "");
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(happened.empty()) << "another tab settled it: nothing written over it";
}

TEST_F(ReconcileFlowTest, ACheckByNumberSettlesOnlyWhatTheAnswerProves) {
  flow.show({unknown_of("a1")});
  unknown->lookup_number = "1700000000";  // one digit short
  EXPECT_FALSE(flow.reconcile().ok);
  EXPECT_FALSE(unknown->number_check.en.empty());
  EXPECT_EQ(sent.size(), 0u);

  unknown->lookup_number = " 17000000001 ";
  verdict = NumberCheckVerdict::kNotInPool;
  ASSERT_TRUE(flow.reconcile().ok);
  EXPECT_TRUE(unknown->checking_number);
  ASSERT_EQ(sent.size(), 1u);
  answer_number(ok_body());
  ASSERT_TRUE(unknown.has_value());
  EXPECT_FALSE(unknown->checking_number);
  EXPECT_EQ(unknown->number_verdict, "not-in-pool");
  EXPECT_EQ(told.back().level, StatusLevel::kWarning);
  for (const std::string& h : happened) EXPECT_EQ(h.rfind("settle:", 0), std::string::npos) << h;

  verdict = NumberCheckVerdict::kBoughtByAttempt;
  happened.clear();
  ASSERT_TRUE(flow.reconcile().ok);
  answer_number(ok_body());
  EXPECT_EQ(happened, (std::vector<std::string>{
                          "send:QuerySecretNoDetail", "settle:bought:checked-by-number:17000000001",
                          "detail:17000000001", "run:ended-unknown:bought:17000000001"}));
  EXPECT_EQ(told.back().level, StatusLevel::kSuccess);
  EXPECT_EQ(note.en, "judged");
}

}  // namespace
}  // namespace dypls::console::testing
