// ApiSession reads each answer once: the log and the handler see the same Code, RequestId and
// classified error, and the typed reading (answer_of) agrees with it on what a success is.
#include "api_session.h"

#include <gtest/gtest.h>

#include "fakes.h"

namespace dypls::console::testing {
namespace {

constexpr const char* kToken = "CAIS-token-that-must-not-leak";

class ApiSessionTest : public ::testing::Test {
 protected:
  // Sends a BuySecretNo and keeps what the handler was given.
  void send() {
    RequestSpec spec = to_spec(BuyRequest{"FC100000001", 1, "杭州", "", std::nullopt});
    spec.method = HttpMethod::kPost;
    AccessKey key{"STS.key-id", "secret", kToken};
    session.send(spec, key, SigningContext{"2026-11-28T06:32:17Z", "nonce-1"}, "",
                 [this](const ApiReply& reply, LogEntry& entry) {
                   got = reply;
                   entry_id = entry.id;
                 });
  }

  FakeTransport transport;
  FakeClock clock;
  RequestLog log;
  ApiSession session{transport, clock, log};
  std::optional<ApiReply> got;
  std::size_t entry_id = 99;
};

TEST_F(ApiSessionTest, AnOkAnswerIsLoggedAndHandedOnWithoutAnError) {
  send();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_TRUE(log.entries()[0].pending);
  clock.now += 40;
  transport.answer(200, R"({"RequestId":"R1","Code":"OK","SecretBuyInfoDTO":{"SecretNo":"171"}})");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->code, "OK");
  EXPECT_EQ(got->request_id, "R1");
  EXPECT_FALSE(got->error.has_value());
  EXPECT_EQ(got->log_id, entry_id);
  EXPECT_EQ(got->done_ms - got->sent_ms, 40);
  const LogEntry& logged = log.entries()[0];
  EXPECT_FALSE(logged.pending);
  EXPECT_EQ(logged.code, "OK");
  EXPECT_EQ(logged.latency_ms, 40);
  const Answer<BuyAnswer> answer = answer_of(*got, &parse_buy_answer);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer.value->secret_no, "171");
}

TEST_F(ApiSessionTest, AnErrorIsClassifiedOnceAndTheTypedReadingReusesIt) {
  send();
  transport.answer(400, R"({"RequestId":"R2","Code":"Throttling.User","Message":"slow"})",
                   {{"x-acs-retry-after", "2500"}});
  ASSERT_TRUE(got && got->error);
  EXPECT_TRUE(got->error->throttled);
  EXPECT_EQ(got->error->retry_after_ms, 2500);
  ASSERT_TRUE(log.entries()[0].error.has_value());
  EXPECT_EQ(log.entries()[0].error->code, "Throttling.User");
  const Answer<BuyAnswer> answer = answer_of(*got, &parse_buy_answer);
  ASSERT_TRUE(answer.error.has_value());
  EXPECT_EQ(answer.error->retry_after_ms, 2500);
  EXPECT_EQ(answer.request_id, "R2");
}

TEST_F(ApiSessionTest, NoAnswerIsATransportErrorWithNoCode) {
  send();
  transport.answer(0, "");
  ASSERT_TRUE(got && got->error);
  EXPECT_EQ(got->error->kind, ErrorKind::kTransport);
  EXPECT_TRUE(got->error->outcome_unknown);
  EXPECT_EQ(log.entries()[0].code, "(no answer)");
}

// The typed parsers take a lowercase "ok" for a success: the session must not call it an error
// (a bought number would be logged as refused).
TEST_F(ApiSessionTest, ASuccessIsWhatTheTypedParsersCallOne) {
  send();
  transport.answer(200, R"({"RequestId":"R4","Code":"ok","SecretBuyInfoDTO":{"SecretNo":"172"}})");
  ASSERT_TRUE(got.has_value());
  EXPECT_FALSE(got->error.has_value());
  EXPECT_FALSE(log.entries()[0].error.has_value());
  EXPECT_TRUE(answer_of(*got, &parse_buy_answer).ok());
}

TEST_F(ApiSessionTest, AnEchoedTokenIsMaskedInTheReplyAndTheLog) {
  send();
  transport.answer(400, std::string(R"({"RequestId":"R5","Code":"SignatureDoesNotMatch",)") +
                            R"("Message":"not matched. server string to sign is:POST&%2F&)" +
                            kToken + R"(","Recommend":"see )" + kToken + R"("})");
  ASSERT_TRUE(got && got->error);
  const LogEntry& logged = log.entries()[0];
  EXPECT_TRUE(logged.signature_diagnosis.has_value());
  for (const std::string& text :
       {got->response.body, got->error->message, got->error->recommend,
        got->error->server_string_to_sign.value_or(""), logged.response_body, logged.error->message,
        logged.error->server_string_to_sign.value_or(""), log.to_json()}) {
    EXPECT_EQ(text.find(kToken), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace dypls::console::testing
