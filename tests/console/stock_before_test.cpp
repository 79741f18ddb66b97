// The stock "before" an unknown purchase is kept with its ledger attempt (city, type, prefix,
// count, when read), so a reload can still read the stock difference; the figure "after" is
// fetched by itself, once, for the attempt's city and type, never while a purchase is in flight.
#include <memory>

#include <nlohmann/json.hpp>

#include "fakes.h"
#include "state_json.h"

namespace dypls::console::testing {
namespace {

class StockBeforeTest : public ConsoleTest {
 protected:
  std::unique_ptr<Tab> reload(bool with_credentials = true) {
    return std::make_unique<Tab>(profile, locks, clock, with_credentials);
  }
  // Stock read, then a purchase whose answer is lost.
  void lose_a_purchase_after_reading_stock(std::int64_t amount) {
    read_stock("杭州", amount);
    read_at_ms = clock.now;
    clock.now += 5000;
    ASSERT_TRUE(controller.submit_purchase());
    ASSERT_TRUE(controller.confirm_purchase());
    transport.answer(0, "");
    ASSERT_TRUE(controller.state().unknown.has_value());
  }
  LedgerAttempt stored_attempt() const {
    for (const auto& [key, value] : profile.values) {
      if (auto a = decode_attempt(value).value) return *a;
    }
    return {};
  }
  static std::string stock_answer(std::int64_t amount) {
    return ok_body(R"(,"SecretRemainDTO":{"Amount":)" + std::to_string(amount) +
                   R"(,"City":"杭州"})");
  }
  std::int64_t read_at_ms = 0;
};

TEST_F(StockBeforeTest, TheFigureKnownWhenTheAttemptIsWrittenIsSavedOnIt) {
  read_stock("杭州", 5);
  const std::int64_t read_at = clock.now;
  clock.now += 5000;
  bool checked = false;
  transport.on_send = [&](const HttpRequest& request) {
    if (FakeTransport::action_of(request) != "BuySecretNo") return;
    const LedgerAttempt written = stored_attempt();  // before the request leaves
    ASSERT_TRUE(written.stock_before.has_value());
    EXPECT_EQ(*written.stock_before, (StockFigure{"杭州", 1, "", 5, read_at}));
    checked = true;
  };
  ASSERT_TRUE(controller.submit_purchase());
  ASSERT_TRUE(controller.confirm_purchase());
  EXPECT_TRUE(checked);
  transport.answer(200, buy_ok("17000000001"));
  EXPECT_EQ(stored_attempt().stock_before->amount, 5) << "the outcome keeps the figure";
  const std::string json = state_json(controller.state(), 0, clock.now);
  EXPECT_NE(json.find(R"("stockBefore":{"amount":5,"city":"杭州","prefix":"","readMs":)" +
                      std::to_string(read_at) + R"(,"specId":1})"),
            std::string::npos)
      << json;
}

TEST_F(StockBeforeTest, AFigureForAnotherTypeOrPrefixOrCityIsNotKept) {
  read_stock("杭州", 5);
  controller.state().buy.spec_id = 2;  // the stock answered type 1
  ASSERT_TRUE(controller.submit_purchase());
  ASSERT_TRUE(controller.confirm_purchase());
  transport.answer(200, ok_body(R"(,"SecretBuyInfoDTO":{"SecretNo":"17000000001"})"));
  EXPECT_FALSE(stored_attempt().stock_before.has_value());

  profile.values.clear();
  controller.state().buy.spec_id = 1;
  controller.state().buy.prefix = "170";  // the stock was read without a prefix
  ASSERT_TRUE(controller.submit_purchase());
  ASSERT_TRUE(controller.confirm_purchase());
  transport.answer(200, buy_ok("17000000002"));
  EXPECT_FALSE(stored_attempt().stock_before.has_value());

  profile.values.clear();
  controller.state().buy.prefix.clear();
  controller.state().buy.city = "北京";
  ASSERT_TRUE(controller.submit_purchase());
  ASSERT_TRUE(controller.confirm_purchase());
  transport.answer(200, buy_ok("17000000003"));
  EXPECT_FALSE(stored_attempt().stock_before.has_value());
}

TEST_F(StockBeforeTest, TheFigureSurvivesAReload) {
  lose_a_purchase_after_reading_stock(5);
  EXPECT_EQ(controller.state().unknown->stock_before, 5);
  auto tab = reload(/*with_credentials=*/false);
  const auto& unknown = tab->controller.state().unknown;
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->stock_before, 5);
  EXPECT_EQ(unknown->stock_before_ms, read_at_ms);
  EXPECT_FALSE(unknown->stock_after.has_value());
}

TEST_F(StockBeforeTest, AnOldRecordWithoutTheFigureReadsAsUnknown) {
  lose_a_purchase_after_reading_stock(5);
  int rewritten = 0;
  for (auto& [key, value] : profile.values) {  // as an older version wrote it
    nlohmann::json record = nlohmann::json::parse(value);
    rewritten += static_cast<int>(record.erase("stockBefore"));
    value = record.dump();
  }
  ASSERT_EQ(rewritten, 1);
  auto tab = reload();
  const auto& unknown = tab->controller.state().unknown;
  ASSERT_TRUE(unknown.has_value()) << "the record is still read";
  EXPECT_FALSE(unknown->stock_before.has_value());
  EXPECT_TRUE(tab->controller.state().ledger_problem.en.empty());
}

TEST_F(StockBeforeTest, AfterAReloadTheStockIsFetchedOnceByItself) {
  lose_a_purchase_after_reading_stock(5);
  auto tab = reload(/*with_credentials=*/false);
  Controller& again = tab->controller;
  again.tick();
  EXPECT_EQ(tab->transport.count("QuerySecretNoRemain"), 0) << "nothing can be signed yet";
  ASSERT_TRUE(again.paste_credentials(assume_role(clock.now, 3600)));
  for (int frame = 0; frame < 5; ++frame) again.tick();
  ASSERT_EQ(tab->transport.count("QuerySecretNoRemain"), 1) << "once, not every frame";
  const HttpRequest& query = tab->transport.pending.front().request;
  EXPECT_EQ(FakeTransport::form_value(query.body, "City"), "杭州");
  EXPECT_EQ(FakeTransport::form_value(query.body, "SpecId"), "1");
  clock.now += 1000;
  tab->transport.answer(200, stock_answer(4));
  ASSERT_TRUE(again.state().unknown.has_value());
  EXPECT_EQ(again.state().unknown->stock_after, 4);
  EXPECT_EQ(again.state().unknown->stock_after_ms, clock.now);
  for (int frame = 0; frame < 5; ++frame) again.tick();
  EXPECT_EQ(tab->transport.count("QuerySecretNoRemain"), 1) << "not again once a figure exists";
  EXPECT_EQ(tab->transport.count("BuySecretNo"), 0);
}

TEST_F(StockBeforeTest, AThrottledFetchIsNotRepeatedByItself) {
  lose_a_purchase_after_reading_stock(5);
  auto tab = reload();
  tab->controller.tick();
  ASSERT_EQ(tab->transport.count("QuerySecretNoRemain"), 1);
  tab->transport.answer(400, R"({"Code":"Throttling.User","Message":"Request was denied due to )"
                             R"(user flow control.","RequestId":"R"})");
  clock.now += 60000;
  for (int frame = 0; frame < 5; ++frame) tab->controller.tick();
  EXPECT_EQ(tab->transport.count("QuerySecretNoRemain"), 1);
  EXPECT_FALSE(tab->controller.state().unknown->stock_after.has_value());
  tab->controller.reconcile_unknown();  // Check now asks again
  EXPECT_EQ(tab->transport.count("QuerySecretNoRemain"), 2);
}

// The fetch by itself answers the panel, not the status line: what it says, failed or not,
// must not cover "No answer to the purchase … Reconcile".
TEST_F(StockBeforeTest, TheFetchByItselfLeavesThePurchasesStatusAlone) {
  lose_a_purchase_after_reading_stock(5);
  const Message said = controller.state().status.text;
  ASSERT_NE(said.en.find("No answer to the purchase"), std::string::npos) << said.en;
  controller.tick();
  ASSERT_EQ(transport.count("QuerySecretNoRemain"), 2);
  transport.answer(0, "");  // the relay went away too
  EXPECT_EQ(controller.state().status.text.en, said.en);
  const UnknownPurchase& unknown = *controller.state().unknown;
  EXPECT_NE(unknown.stock_after_failure.en.find("The stock after could not be read"),
            std::string::npos);
  EXPECT_FALSE(unknown.stock_after.has_value());

  controller.reconcile_unknown();  // the person asks: the answer is theirs to read
  ASSERT_EQ(transport.count("QuerySecretNoRemain"), 3);
  transport.answer(200, stock_answer(5));
  EXPECT_EQ(controller.state().status.text.en, "Stock: 5");
  EXPECT_EQ(controller.state().unknown->stock_after, 5);
  EXPECT_TRUE(controller.state().unknown->stock_after_failure.en.empty());
}

TEST_F(StockBeforeTest, NoFetchWhileAPurchaseIsInFlight) {
  lose_a_purchase_after_reading_stock(5);
  // Another pool is not blocked: a purchase there is in flight when the unknown one is shown.
  controller.state().buy.pool_key = "FC100000000000002";
  ASSERT_TRUE(controller.submit_purchase());
  controller.tick();
  EXPECT_EQ(transport.count("QuerySecretNoRemain"), 1) << "only the first read: confirming";
  ASSERT_TRUE(controller.confirm_purchase());
  ASSERT_EQ(controller.state().run.phase, RunPhase::kSending);
  controller.tick();
  EXPECT_EQ(transport.count("QuerySecretNoRemain"), 1) << "never beside a BuySecretNo";
  transport.answer(200, buy_ok("17000000007"));
  controller.tick();
  EXPECT_EQ(transport.count("QuerySecretNoRemain"), 2) << "once the purchase is done";
  const HttpRequest& query = transport.pending.front().request;
  EXPECT_EQ(FakeTransport::action_of(query), "QuerySecretNoRemain");
  EXPECT_EQ(FakeTransport::form_value(query.body, "City"), "杭州");
}

TEST_F(StockBeforeTest, TheStockDifferenceIsTheVerdictsReasonAfterAReload) {
  lose_a_purchase_after_reading_stock(5);
  auto tab = reload();
  Controller& again = tab->controller;
  again.tick();
  tab->transport.answer(200, stock_answer(4));
  ASSERT_TRUE(again.state().unknown.has_value());
  EXPECT_TRUE(again.state().unknown->reconciled);
  again.resolve_unknown(true, "");
  const LedgerAttempt settled = stored_attempt();
  EXPECT_EQ(settled.settlement, Settlement::kBought);
  EXPECT_EQ(settled.how, SettledHow::kStockDiff);
  EXPECT_TRUE(number_missing(settled)) << "the row asks for the number";
}

TEST_F(StockBeforeTest, WithoutAFigureBeforeTheVerdictIsThePersons) {
  ASSERT_TRUE(controller.submit_purchase());  // no stock read in this tab
  ASSERT_TRUE(controller.confirm_purchase());
  transport.answer(0, "");
  auto tab = reload();
  Controller& again = tab->controller;
  again.tick();
  ASSERT_EQ(tab->transport.count("QuerySecretNoRemain"), 1) << "fetched even without a before";
  tab->transport.answer(200, stock_answer(4));
  EXPECT_FALSE(again.state().unknown->stock_before.has_value());
  again.resolve_unknown(false, "");
  EXPECT_EQ(stored_attempt().how, SettledHow::kPersonSaid);
}

}  // namespace
}  // namespace dypls::console::testing
