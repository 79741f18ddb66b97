// The request history: CSV and JSON exports, masking, and copy-as-curl signing afresh.
#include <nlohmann/json.hpp>

#include "curl_command.h"
#include "fakes.h"
#include "http_date.h"

namespace dypls::console::testing {
namespace {

TEST_F(ConsoleTest, HistoryExportsAsCsvAndJsonWithoutSecrets) {
  controller.query_stock();
  clock.now += 42;
  transport.answer(200, stock_ok(1, R"({"City":"杭州","Amount":1})"));
  controller.state().buy.quantity = 1;
  ASSERT_TRUE(controller.submit_purchase());
  ASSERT_TRUE(controller.confirm_purchase());
  transport.answer(400,
                   R"({"RequestId":"R-7","Code":"InvalidParameter","Message":"bad, \"quoted\""})");

  const std::string csv = controller.state().log.to_csv();
  EXPECT_EQ(csv.rfind("time,action,style,http_status,code,request_id,latency_ms\r\n", 0), 0u);
  EXPECT_NE(csv.find(",QuerySecretNoRemain,V1,200,OK,REQ-1,42\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",BuySecretNo,V1,400,InvalidParameter,R-7,"), std::string::npos) << csv;

  const std::string json_text = controller.state().log.to_json();
  const auto json = nlohmann::json::parse(json_text);
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[1]["action"], "BuySecretNo");
  EXPECT_EQ(json[1]["params"]["City"], "杭州");
  EXPECT_EQ(json[1]["httpStatus"], 400);
  for (const std::string& text : {csv, json_text}) {
    EXPECT_EQ(text.find(kSecret), std::string::npos);
    EXPECT_EQ(text.find(kToken), std::string::npos);
    EXPECT_EQ(text.find(percent_encode(kToken)), std::string::npos);
    EXPECT_EQ(text.find(controller.state().log.entries()[0].signature), std::string::npos);
  }
}

TEST_F(ConsoleTest, ATokenEchoedByTheServerIsMaskedEverywhere) {
  controller.query_stock();
  // A V1 mismatch echoes the whole string to sign, token included (encoded twice).
  const std::string echoed = "POST&%2F&SecurityToken%3D" + percent_encode(percent_encode(kToken));
  transport.answer(
      400,
      R"({"RequestId":"R3","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:)" +
          echoed + R"("})");
  const LogEntry& logged = controller.state().log.entries().back();
  ASSERT_TRUE(logged.error.has_value());
  const std::string encoded_twice = percent_encode(percent_encode(kToken));
  for (const std::string& text :
       {logged.response_body, logged.error->message, *logged.error->server_string_to_sign,
        controller.state().log.to_json(), controller.state().stock.error->message}) {
    EXPECT_EQ(text.find(encoded_twice), std::string::npos) << text;
  }
  EXPECT_TRUE(logged.signature_diagnosis.has_value()) << "diagnosed before masking";
}

// Any error may quote the token back, not only a signature mismatch: the logged error, the
// status line and both exports keep it masked.
TEST_F(ConsoleTest, ATokenQuotedInAnyErrorMessageIsMasked) {
  const std::string quoted = std::string("Specified SecurityToken is malformed: ") + kToken;
  struct Case {
    const char* code;
    bool purchase;
  };
  for (const Case& c :
       {Case{"InvalidSecurityToken.Malformed", false}, Case{"InvalidSecurityToken.Malformed", true},
        Case{"Unheard.Of", false}, Case{"Unheard.Of", true}}) {
    SCOPED_TRACE(std::string(c.code) + (c.purchase ? " (purchase)" : " (stock)"));
    if (c.purchase) {
      ASSERT_TRUE(controller.submit_purchase());
      ASSERT_TRUE(controller.confirm_purchase());
    } else {
      controller.query_stock();
    }
    transport.answer(400, std::string(R"({"RequestId":"R4","Code":")") + c.code +
                              R"(","Message":")" + quoted + R"("})");
    const LogEntry& logged = controller.state().log.entries().back();
    ASSERT_TRUE(logged.error.has_value());
    EXPECT_EQ(logged.error->code, c.code);
    EXPECT_NE(logged.error->message.find("is malformed"), std::string::npos)
        << "the rest of the message stays";
    std::vector<std::string> texts = {logged.error->message,
                                      logged.response_body,
                                      controller.state().status.text.en,
                                      controller.state().status.text.zh,
                                      controller.state().log.to_json(),
                                      controller.state().log.to_csv()};
    if (c.purchase) {
      ASSERT_FALSE(controller.state().run.attempts.empty());
      texts.push_back(controller.state().run.attempts.back().message.en);
    } else {
      ASSERT_TRUE(controller.state().stock.error.has_value());
      texts.push_back(controller.state().stock.error->message);
    }
    for (const std::string& text : texts) {
      EXPECT_EQ(text.find(kToken), std::string::npos) << text;
      EXPECT_EQ(text.find(percent_encode(kToken)), std::string::npos) << text;
    }
  }
}

// Number answers are read from the session's one (masked) reading, like the others: a token an
// error quotes back reaches neither the number's row nor the status line.
TEST_F(ConsoleTest, ATokenQuotedInANumberErrorIsMasked) {
  controller.lookup_number("FC100000000000001", "17000000001");
  transport.answer(200,
                   ok_body(R"(,"SecretNoInfoDTO":{"Vendor":1,"City":"杭州","SecretStatus":0})"));
  const std::string quoted = std::string("Specified SecurityToken is malformed: ") + kToken;
  for (const bool release : {false, true}) {
    SCOPED_TRACE(release ? "release" : "lock");
    if (release) {
      ASSERT_TRUE(controller.release_number("17000000001", "17000000001"));
    } else {
      controller.lock_number("17000000001", true);
    }
    transport.answer(
        400, R"({"RequestId":"R6","Code":"InvalidSecurityToken.Malformed","Message":")" + quoted +
                 R"("})");
    const NumberRecord* record = controller.find_number("17000000001");
    ASSERT_NE(record, nullptr);
    ASSERT_TRUE(record->error.has_value());
    EXPECT_EQ(record->error->code, "InvalidSecurityToken.Malformed");
    for (const std::string& text :
         {record->error->message, controller.state().status.text.en,
          controller.state().status.text.zh, controller.state().log.to_json()}) {
      EXPECT_EQ(text.find(kToken), std::string::npos) << text;
    }
  }
}

TEST_F(ConsoleTest, CsvQuotesFieldsThatNeedIt) {
  RequestLog log;
  LogEntry entry;
  entry.action = "A,\"B\"";
  log.add(entry);
  EXPECT_NE(log.to_csv().find("\"A,\"\"B\"\"\""), std::string::npos);
}

// Checks completeness, not speed (the speed of an export is not measured here).
TEST_F(ConsoleTest, TenThousandEntriesAllReachTheExports) {
  RequestLog log;
  for (int i = 0; i < 10000; ++i) {
    LogEntry entry;
    entry.action = "QuerySecretNoRemain";
    entry.code = "OK";
    entry.request_id = "R-" + std::to_string(i);
    log.add(entry);
  }
  ASSERT_EQ(log.size(), 10000u);
  const std::string csv = log.to_csv();
  std::size_t lines = 0;
  for (std::size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) {
    ++lines;
  }
  EXPECT_EQ(lines, 10001u) << "a header and one line per entry";
  EXPECT_NE(csv.find(",R-9999,"), std::string::npos);
  const auto json = nlohmann::json::parse(log.to_json());
  ASSERT_EQ(json.size(), 10000u);
  EXPECT_EQ(json[9999]["requestId"], "R-9999");
}

TEST_F(ConsoleTest, CurlIsSignedAfreshEachTime) {
  controller.state().page_origin = "http://127.0.0.1:8080";
  controller.query_stock();
  const std::string logged_nonce =
      FakeTransport::form_value(transport.sent.back().body, "SignatureNonce");
  const auto first = controller.curl_for(0);
  const auto second = controller.curl_for(0);
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second) << "a new nonce every time";
  EXPECT_EQ(first->find(logged_nonce), std::string::npos);
  EXPECT_NE(first->find("'http://127.0.0.1:8080/api/'"), std::string::npos) << *first;
  EXPECT_NE(first->find("--data-raw"), std::string::npos);
  EXPECT_EQ(first->find(kSecret), std::string::npos);
}

TEST(CurlCommand, QuotesForTheShell) {
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
}

TEST(HttpDate, ParsesImfFixdate) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT").has_value());
  EXPECT_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT").has_value());
}

TEST(MaskToken, MasksEveryEncoding) {
  const std::string token = "a+b/c=";
  const std::string text =
      "x=" + percent_encode(token) + "&y=" + percent_encode(percent_encode(token)) + "&z=" + token;
  const std::string masked = mask_token(text, token);
  EXPECT_EQ(masked, "x=***&y=***&z=***");
}

}  // namespace
}  // namespace dypls::console::testing
