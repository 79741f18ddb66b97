// The answer parsers against recorded answers: tests/data/answers/cases.json lists each file, the
// parser it goes to, and what must come out.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/actions.h"
#include "core/purchase_disposition.h"

namespace dypls {
namespace {

using nlohmann::json;

const std::string kAnswers = std::string(DYPLS_TEST_DATA) + "/answers/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string_view kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBusiness:
      return "business";
    case ErrorKind::kGateway:
      return "gateway";
    case ErrorKind::kTransport:
      return "transport";
    case ErrorKind::kRelay:
      return "relay";
    case ErrorKind::kMalformed:
      return "malformed";
  }
  return "?";
}

std::string_view family_name(ErrorFamily family) {
  switch (family) {
    case ErrorFamily::kOther:
      return "other";
    case ErrorFamily::kThrottled:
      return "throttled";
    case ErrorFamily::kCredentials:
      return "credentials";
    case ErrorFamily::kPermission:
      return "permission";
    case ErrorFamily::kActionRefused:
      return "action-refused";
    case ErrorFamily::kRefused:
      return "refused";
    case ErrorFamily::kServer:
      return "server";
  }
  return "?";
}

std::string_view verdict_name(PurchaseVerdict verdict) {
  switch (verdict) {
    case PurchaseVerdict::kBought:
      return "bought";
    case PurchaseVerdict::kNotBought:
      return "not-bought";
    case PurchaseVerdict::kThrottled:
      return "throttled";
    case PurchaseVerdict::kUnknown:
      return "unknown";
  }
  return "?";
}

std::string_view total_source_name(StockTotalSource source) {
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

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// What a purchase run must do with a BuySecretNo answer (first attempt, no throttling before).
void check_disposition(const Answer<BuyAnswer>& answer, const json& expect) {
  const PurchaseDisposition disposition = purchase_disposition(answer, 0);
  if (expect.contains("disposition")) {
    EXPECT_EQ(verdict_name(disposition.verdict), expect["disposition"].get<std::string>());
  }
  if (expect.contains("waitMs")) {
    EXPECT_EQ(disposition.wait_ms, expect["waitMs"].get<std::int64_t>());
  }
  if (expect.contains("buyInConsole")) {
    EXPECT_EQ(disposition.buy_in_console, expect["buyInConsole"].get<bool>());
  }
  if (expect.contains("messageHas")) {
    EXPECT_TRUE(contains(disposition.message.en, expect["messageHas"].get<std::string>()))
        << disposition.message.en;
  }
  if (disposition.verdict != PurchaseVerdict::kBought) {
    EXPECT_FALSE(disposition.message.en.empty());
    EXPECT_FALSE(disposition.message.zh.empty());
  }
}

template <typename T>
void check_common(const Answer<T>& answer, const json& expect) {
  ASSERT_EQ(answer.ok(), expect.at("ok").get<bool>())
      << (answer.error ? answer.error->code + ": " + answer.error->message : "");
  EXPECT_NE(answer.value.has_value(), answer.error.has_value()) << "exactly one of value, error";
  if (expect.contains("requestId")) {
    EXPECT_EQ(answer.request_id, expect["requestId"].get<std::string>());
  }
  if (!answer.error) return;
  const ApiError& error = *answer.error;
  EXPECT_FALSE(error.hint.en.empty());
  EXPECT_FALSE(error.hint.zh.empty());
  if (expect.contains("kind")) {
    EXPECT_EQ(kind_name(error.kind), expect["kind"].get<std::string>());
  }
  if (expect.contains("code")) {
    EXPECT_EQ(error.code, expect["code"].get<std::string>());
  }
  if (expect.contains("retryable")) {
    EXPECT_EQ(error.retryable, expect["retryable"].get<bool>());
  }
  if (expect.contains("throttled")) {
    EXPECT_EQ(error.throttled, expect["throttled"].get<bool>());
  }
  if (expect.contains("outcomeUnknown")) {
    EXPECT_EQ(error.outcome_unknown, expect["outcomeUnknown"].get<bool>());
  }
  if (expect.contains("retryAfterMs")) {
    EXPECT_EQ(error.retry_after_ms, expect["retryAfterMs"].get<std::int64_t>());
  }
  if (expect.contains("family")) {
    EXPECT_EQ(family_name(error.family), expect["family"].get<std::string>());
  }
  if (expect.contains("hintHas")) {
    EXPECT_TRUE(contains(error.hint.en, expect["hintHas"].get<std::string>())) << error.hint.en;
  }
  if (expect.contains("hasServerStringToSign")) {
    EXPECT_EQ(error.server_string_to_sign.has_value(), expect["hasServerStringToSign"].get<bool>());
  }
}

void check_stock(const StockAnswer& stock, const json& expect) {
  if (expect.contains("city")) {
    EXPECT_EQ(stock.city, expect["city"].get<std::string>());
  }
  if (expect.contains("amount")) {
    EXPECT_EQ(stock.amount, expect["amount"].get<std::int64_t>());
  }
  if (expect.contains("totalSource")) {
    EXPECT_EQ(total_source_name(stock.total_source), expect["totalSource"].get<std::string>());
  }
  if (expect.contains("rowsSum")) {
    EXPECT_EQ(stock.rows_sum, expect["rowsSum"].get<std::int64_t>());
  }
  if (expect.contains("perCityCount")) {
    EXPECT_EQ(stock.per_city.size(), expect["perCityCount"].get<std::size_t>());
  }
  if (!expect.contains("perCity")) return;
  const json& per_city = expect["perCity"];
  ASSERT_EQ(stock.per_city.size(), per_city.size());
  for (std::size_t i = 0; i < per_city.size(); ++i) {
    EXPECT_EQ(stock.per_city[i].city, per_city[i][0].get<std::string>());
    EXPECT_EQ(stock.per_city[i].amount, per_city[i][1].get<std::int64_t>());
  }
}

void check_detail(const NumberDetail& detail, const json& expect) {
  if (expect.contains("purchaseTime")) {
    EXPECT_EQ(detail.purchase_time, expect["purchaseTime"].get<std::string>());
  }
  if (expect.contains("vendor")) {
    EXPECT_EQ(detail.vendor, expect["vendor"].get<int>());
  }
  if (expect.contains("province")) {
    EXPECT_EQ(detail.province, expect["province"].get<std::string>());
  }
  if (expect.contains("city")) {
    EXPECT_EQ(detail.city, expect["city"].get<std::string>());
  }
  if (expect.contains("status")) {
    EXPECT_EQ(status_name(detail.status), expect["status"].get<std::string>());
  }
  if (expect.contains("certify")) {
    if (expect["certify"].is_null()) {
      EXPECT_FALSE(detail.certify_status.has_value());
    } else {
      EXPECT_EQ(detail.certify_status, expect["certify"].get<bool>());
    }
  }
}

TEST(AnswerCases, EveryRecordedAnswer) {
  json manifest = json::parse(read_file(kAnswers + "cases.json"), nullptr, false);
  ASSERT_FALSE(manifest.is_discarded()) << "cases.json is not valid JSON";
  const json& cases = manifest.at("cases");
  ASSERT_GE(cases.size(), 80U);
  for (const json& test_case : cases) {
    const std::string file = test_case.at("file").get<std::string>();
    const std::string parser = test_case.at("parser").get<std::string>();
    const int status = test_case.at("status").get<int>();
    RetryAfterHeaders retry_view;
    if (test_case.contains("acsRetryAfter")) {
      retry_view.acs_ms = test_case["acsRetryAfter"].get<std::string>();
    }
    if (test_case.contains("retryAfter")) {
      retry_view.standard_s = test_case["retryAfter"].get<std::string>();
    }
    const json& expect = test_case.at("expect");
    const std::string body = read_file(kAnswers + file);
    SCOPED_TRACE(file + " via " + parser + " at HTTP " + std::to_string(status));

    if (parser == "stock") {
      auto answer = parse_stock_answer(status, body, retry_view);
      check_common(answer, expect);
      if (answer.value) check_stock(*answer.value, expect);
    } else if (parser == "buy") {
      auto answer = parse_buy_answer(status, body, retry_view);
      check_common(answer, expect);
      check_disposition(answer, expect);
      if (answer.value && expect.contains("secretNo")) {
        EXPECT_EQ(answer.value->secret_no, expect["secretNo"].get<std::string>());
      }
    } else if (parser == "detail") {
      auto answer = parse_detail_answer(status, body, retry_view);
      check_common(answer, expect);
      if (answer.value) check_detail(*answer.value, expect);
    } else if (parser == "empty") {
      check_common(parse_empty_answer(status, body, retry_view), expect);
    } else {
      ADD_FAILURE() << "unknown parser " << parser;
    }
  }
}

// The purchase went through but its number is unreadable: the console must not buy again.
TEST(AnswerCases, BuyWithoutNumberSaysDoNotBuyAgain) {
  auto answer = parse_buy_answer(200, read_file(kAnswers + "buy_ok_without_number.json"));
  ASSERT_TRUE(answer.error);
  EXPECT_TRUE(answer.error->outcome_unknown);
  EXPECT_NE(answer.error->hint.en.find("Do not buy again"), std::string::npos);
  EXPECT_NE(answer.error->hint.zh.find("请勿重复购买"), std::string::npos);
}

TEST(AnswerCases, ParsersNeverThrowOnHostileBodies) {
  const std::string deep = std::string(20000, '[') + std::string(20000, ']');
  for (const std::string& body :
       {std::string("\xFF\xFE\x00", 3), std::string("{\"Code\":\"OK\",\"SecretRemainDTO\":[]}"),
        std::string("{\"Code\":\"OK\",\"SecretBuyInfoDTO\":{\"SecretNo\":1e400}}"),
        std::string("{\"Code\":\"OK\",\"SecretNoInfoDTO\":{\"Vendor\":99999999999999999999}}"),
        std::string("{\"Code\":\"OK\",\"SecretRemainDTO\":{\"Amount\":-1e30}}"),
        std::string(
            "{\"Code\":\"OK\",\"SecretRemainDTO\":{\"RemainDTOList\":{\"remainDTO\":\"x\"}}}"),
        deep}) {
    for (int status : {0, 200, 400, 502, -1, 999}) {
      EXPECT_NO_THROW({
        parse_stock_answer(status, body, {"abc", "abc"});
        purchase_disposition(parse_buy_answer(status, body), 99);
        parse_detail_answer(status, body, {"", ""});
        parse_empty_answer(status, body, {"99999999999999999999", "-1"});
      });
    }
  }
}

}  // namespace
}  // namespace dypls
