// StockFlow on its own: the query the form asks for and the answer read into the table, as pure
// transitions on its slice of the state (no transport: replies are made as ApiSession reads them).
#include "stock_flow.h"

#include "fakes.h"

namespace dypls::console::testing {
namespace {

ApiReply reply_of(int status, const std::string& body) {
  ApiReply reply;
  reply.status = status;
  reply.response.status = status;
  reply.response.body = body;
  if (status != 200 || body.find(R"("Code":"OK")") == std::string::npos) {
    reply.error = classify_error(status, body);
  }
  return reply;
}

TEST(StockFlow, TheQueryIsTheTrimmedFormAndNothingWhileOneIsInFlight) {
  StockState state;
  StockFlow flow{state};
  state.city = " 杭州 ";
  state.prefix = " 170 ";
  state.spec_id = 2;
  StockFlow::Query query = flow.next_query();
  ASSERT_TRUE(query.request.has_value());
  EXPECT_FALSE(query.refusal.has_value());
  EXPECT_EQ(query.request->city, "杭州");
  EXPECT_EQ(query.request->secret_no_prefix, "170");
  EXPECT_EQ(query.request->spec_id, 2);

  state.error = ApiError{};
  flow.sent(true);
  EXPECT_TRUE(state.busy);
  EXPECT_FALSE(state.error.has_value()) << "a new query clears the old error";
  query = flow.next_query();
  EXPECT_FALSE(query.request.has_value());
  EXPECT_FALSE(query.refusal.has_value()) << "busy: nothing to say, the button shows it";
  flow.sent(false);
  EXPECT_FALSE(state.busy);

  state.city = "";
  query = flow.next_query();
  EXPECT_FALSE(query.request.has_value());
  ASSERT_TRUE(query.refusal.has_value());
  EXPECT_EQ(query.refusal->level, StatusLevel::kError);
}

TEST(StockFlow, AnAnswerFillsTheTableInTheChosenOrderAndGrowsTheCityList) {
  StockState state;
  StockFlow flow{state};
  const QueryRemainRequest nationwide{1, std::string(kCityNationwideList), ""};
  flow.sent(true);
  LogEntry entry;
  const FlowResult result = flow.take_reply(
      nationwide,
      reply_of(200, stock_ok(12, R"({"City":"杭州","Amount":2},{"City":"上海","Amount":10})")),
      entry, 1234);
  EXPECT_TRUE(result.ok);
  ASSERT_TRUE(result.notice.has_value());
  EXPECT_EQ(result.notice->text.en, "Stock: 12");
  EXPECT_FALSE(state.busy);
  ASSERT_EQ(state.rows.size(), 2u);
  EXPECT_EQ(state.rows[0].city, "上海") << "amount, descending, by default";
  EXPECT_EQ(state.answered_ms, 1234);
  EXPECT_EQ(state.answered_for.city, kCityNationwideList);
  flow.sort(StockSort::kCityAsc);
  EXPECT_EQ(state.rows[0].city, "上海");  // 上 (U+4E0A) sorts before 杭 (U+676D)
  flow.sort(StockSort::kAmountAsc);
  EXPECT_EQ(state.rows[0].city, "杭州");
  EXPECT_EQ(state.cities.size(), 2u);

  // One city's answer: its own row, and the live list is not narrowed to it.
  const QueryRemainRequest one{1, "杭州", ""};
  ASSERT_TRUE(
      flow.take_reply(one,
                      reply_of(200, ok_body(R"(,"SecretRemainDTO":{"Amount":3,"City":"杭州"})")),
                      entry, 2000)
          .ok);
  ASSERT_EQ(state.rows.size(), 1u);
  EXPECT_EQ(state.rows[0].amount, 3);
  EXPECT_EQ(state.cities.size(), 2u);
}

TEST(StockFlow, AnErrorIsKeptOnThePanelAndAnOkWithoutStockIsLoggedAsOne) {
  StockState state;
  StockFlow flow{state};
  const QueryRemainRequest one{1, "杭州", ""};
  LogEntry entry;
  const ApiReply refused =
      reply_of(400, R"({"Code":"isv.ILLEGAL_ARGUMENT","Message":"bad city","RequestId":"R"})");
  entry.error = refused.error;
  FlowResult result = flow.take_reply(one, refused, entry, 1);
  EXPECT_FALSE(result.ok);
  ASSERT_TRUE(result.notice.has_value());
  EXPECT_EQ(result.notice->level, StatusLevel::kError);
  ASSERT_TRUE(state.error.has_value());
  EXPECT_EQ(state.error->code, "isv.ILLEGAL_ARGUMENT");
  EXPECT_FALSE(state.answer.has_value());

  LogEntry ok_entry;
  result = flow.take_reply(one, reply_of(200, ok_body()), ok_entry, 2);
  EXPECT_FALSE(result.ok) << "OK without SecretRemainDTO";
  ASSERT_TRUE(ok_entry.error.has_value()) << "the log line carries what the typed reading found";
  flow.clear_error();
  EXPECT_FALSE(state.error.has_value());
}

TEST(StockFlow, ANumberBoughtCountsOutOfItsCityOnlyAndNeverBelowZero) {
  StockState state;
  StockFlow flow{state};
  LogEntry entry;
  ASSERT_TRUE(flow.take_reply(QueryRemainRequest{1, std::string(kCityNationwideList), ""},
                              reply_of(200, stock_ok(3, R"({"City":"杭州","Amount":1},)"
                                                        R"({"City":"上海","Amount":2})")),
                              entry, 1)
                  .ok);
  flow.note_bought("杭州");
  flow.note_bought("杭州");
  flow.note_bought("北京");  // not listed: nothing to count
  ASSERT_EQ(state.rows.size(), 2u);
  for (const CityStock& row : state.rows) {
    EXPECT_EQ(row.amount, row.city == "杭州" ? 0 : 2) << row.city;
  }
  EXPECT_EQ(flow.amount_in("上海"), 2);
  EXPECT_EQ(flow.amount_in("北京"), 3) << "a city without a row: the answer's total";
}

TEST(StockFlow, AReconciliationAimsTheFormOnlyWhileNoQueryIsInFlight) {
  StockState state;
  StockFlow flow{state};
  EXPECT_FALSE(flow.amount_in("杭州").has_value()) << "no answer yet";
  EXPECT_TRUE(flow.aim_at(2, "杭州", "170"));
  EXPECT_EQ(state.spec_id, 2);
  EXPECT_EQ(state.city, "杭州");
  EXPECT_EQ(state.prefix, "170");
  flow.sent(true);
  EXPECT_FALSE(flow.aim_at(1, "上海", ""));
  EXPECT_EQ(state.city, "杭州") << "the query in flight answers for the form it was sent for";
}

TEST(StockFlow, FillingTheBuyFormTakesTheCityTypeAndPrefix) {
  StockState stock;
  stock.spec_id = 3;
  stock.prefix = "170";
  BuyForm form;
  form.pool_key = "FC1";
  fill_buy_form(stock, "上海", form);
  EXPECT_EQ(form.city, "上海");
  EXPECT_EQ(form.spec_id, 3);
  EXPECT_EQ(form.prefix, "170");
  EXPECT_EQ(form.pool_key, "FC1") << "the pool stays";
}

}  // namespace
}  // namespace dypls::console::testing
