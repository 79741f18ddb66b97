// PurchaseFlow on its own: the run's slice, a fake clock, nonces and lock, and hooks that record
// what the flow asks of the ledger, the stock and the sender, in order. The money rule under test:
// the attempt is in the ledger before its BuySecretNo leaves, and a refused write sends nothing.
#include "purchase_flow.h"

#include "fakes.h"

namespace dypls::console::testing {
namespace {

constexpr const char* kPool = "FC100000000000001";

ApiReply reply_of(int status, const std::string& body, std::size_t log_id) {
  ApiReply reply;
  reply.log_id = log_id;
  reply.status = status;
  reply.response.status = status;
  reply.response.body = body;
  if (status != 200 || body.find(R"("Code":"OK")") == std::string::npos) {
    reply.error = classify_error(status, body);
  }
  return reply;
}

class PurchaseFlowTest : public ::testing::Test {
 protected:
  PurchaseFlowTest() {
    locks.clock = &clock;
    form.pool_key = std::string(" ") + kPool + " ";
    form.city = "杭州";
    form.quantity = 1;
  }

  PurchaseFlow::Hooks hooks() {
    PurchaseFlow::Hooks h;
    h.clock_offset = [] { return std::int64_t{0}; };
    h.credentials_problem = [] { return std::optional<Message>(); };
    h.masked_key_id = [] { return std::string("STS.N****01"); };
    h.stock_before = [](const BuyRequest&) { return std::optional<StockFigure>(); };
    h.ledger_origin = [] { return std::string("http://relay"); };
    h.unknown_in_pool = [this](const std::string& pool) { return pool == blocked_pool; };
    h.check_pool = [this](const std::string&) {
      happened.push_back("check");
      return PoolCheck{};
    };
    h.write_attempt = [this](const LedgerAttempt& attempt) {
      happened.push_back("write:" + std::string(outcome_name(attempt.outcome)));
      written.push_back(attempt);
      return !refuse_writes;
    };
    h.note_bought = [this](const std::string& secret_no, const BuyRequest& purchase,
                           const std::string& attempt_id) {
      happened.push_back("bought:" + secret_no + ":" + purchase.city + ":" + attempt_id);
    };
    h.show_unknown = [this](const std::string& attempt_id, std::size_t log_id) {
      happened.push_back("unknown:" + attempt_id + ":" + std::to_string(log_id));
    };
    h.send = [this](RequestSpec spec, ApiSession::ReplyHandler on_reply) {
      happened.push_back("send:" + spec.action);
      sent.push_back(std::move(on_reply));
      return true;
    };
    h.tell = [this](Notice notice) { told.push_back(notice); };
    return h;
  }

  void answer(int status, const std::string& body, std::size_t log_id = 7) {
    ASSERT_FALSE(sent.empty()) << "nothing was sent";
    ApiSession::ReplyHandler next = std::move(sent.front());
    sent.erase(sent.begin());
    LogEntry entry;
    next(reply_of(status, body, log_id), entry);
  }

  FakeClock clock;
  CountingNonces nonces;
  SharedLocks locks;
  TabLock lock{locks};
  PurchaseRun run;
  BuyForm form;
  std::string blocked_pool;
  bool refuse_writes = false;
  std::vector<std::string> happened;
  std::vector<LedgerAttempt> written;
  std::vector<ApiSession::ReplyHandler> sent;
  std::vector<Notice> told;
  PurchaseFlow flow{run, clock, nonces, lock, hooks()};
};

TEST_F(PurchaseFlowTest, NothingIsSentWhenTheLedgerRefusesTheAttempt) {
  refuse_writes = true;
  ASSERT_TRUE(flow.submit(form));
  EXPECT_FALSE(flow.confirm(form));
  EXPECT_TRUE(sent.empty()) << "a BuySecretNo left with no record of it";
  EXPECT_EQ(happened, (std::vector<std::string>{"check", "write:pending"}));
  EXPECT_EQ(run.phase, RunPhase::kFailed);
  EXPECT_FALSE(flow.under_way());
  EXPECT_FALSE(flow.own_attempt().has_value()) << "an attempt never recorded is not this tab's";
  EXPECT_TRUE(locks.holders.empty()) << "the lock is given back";
  ASSERT_FALSE(told.empty());
  EXPECT_EQ(told.back().level, StatusLevel::kError);
}

TEST_F(PurchaseFlowTest, TheAttemptIsWrittenAheadAndItsOutcomeAfter) {
  ASSERT_TRUE(flow.submit(form));
  EXPECT_FALSE(flow.submit(form)) << "a second submit while confirming changes nothing";
  ASSERT_TRUE(flow.confirm(form));
  EXPECT_FALSE(flow.confirm(form)) << "a double click";
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(happened, (std::vector<std::string>{"check", "write:pending", "send:BuySecretNo"}));
  ASSERT_EQ(written.size(), 1u);
  const LedgerAttempt attempt = written.front();
  EXPECT_EQ(attempt.pool_key, kPool) << "the form's pool, trimmed";
  EXPECT_EQ(attempt.key_id, "STS.N****01");
  EXPECT_TRUE(flow.in_flight());
  ASSERT_TRUE(flow.own_attempt().has_value());
  EXPECT_EQ(flow.own_attempt()->id, attempt.id);
  EXPECT_EQ(flow.lock_sighting(kPool).seen, LockSeen::kHeldHere);

  answer(200, buy_ok("17000000001"));
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written.back().id, attempt.id);
  EXPECT_EQ(written.back().outcome, Outcome::kBought);
  EXPECT_EQ(written.back().secret_no, "17000000001");
  EXPECT_EQ(happened.back(), "bought:17000000001:杭州:" + attempt.id);
  EXPECT_EQ(run.phase, RunPhase::kDone);
  EXPECT_TRUE(locks.holders.empty());
  EXPECT_FALSE(flow.in_flight());
}

TEST_F(PurchaseFlowTest, ALostAnswerIsRecordedUnknownAndShownOnItsLogLine) {
  ASSERT_TRUE(flow.submit(form));
  ASSERT_TRUE(flow.confirm(form));
  const std::string id = written.front().id;
  answer(0, "", 42);
  EXPECT_EQ(written.back().outcome, Outcome::kUnknown);
  EXPECT_EQ(happened.back(), "unknown:" + id + ":42");
  EXPECT_TRUE(flow.awaits_verdict());
  EXPECT_FALSE(flow.in_flight());
  flow.take_verdict(true, true, "17000000009", {"Settled as you said.", "已按您的判断处理。"});
  EXPECT_EQ(run.phase, RunPhase::kIdle);
  ASSERT_FALSE(run.attempts.empty());
  EXPECT_EQ(run.attempts.back().result, AttemptResult::kBought);
  EXPECT_EQ(run.attempts.back().secret_no, "17000000009");
  EXPECT_EQ(run.bought, 1);
}

TEST_F(PurchaseFlowTest, AnUnknownOutcomeInTheFormsPoolBlocksSubmitAndConfirm) {
  blocked_pool = kPool;
  EXPECT_TRUE(flow.blocked(form));
  EXPECT_FALSE(flow.submit(form));
  EXPECT_FALSE(flow.confirm(form));
  EXPECT_TRUE(happened.empty()) << "no lock, no ledger, nothing sent";
  form.pool_key = "FC100000000000002";
  EXPECT_FALSE(flow.blocked(form));
}

TEST(BuyFormErrors, NameTheQuantityOutOfRange) {
  BuyForm form;
  form.pool_key = kPool;
  form.city = "杭州";
  form.quantity = 1;
  EXPECT_TRUE(buy_form_errors(form).empty());
  form.quantity = kMaxQuantity + 1;
  const std::vector<FieldError> errors = buy_form_errors(form);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front().field, "Quantity");
}

}  // namespace
}  // namespace dypls::console::testing
