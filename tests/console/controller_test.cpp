// Credentials, stock, numbers and signing through the Controller with fake ports.
#include "credentials_status.h"
#include "fakes.h"
#include "state_json.h"

namespace dypls::console::testing {
namespace {

TEST_F(ConsoleTest, RelayConfigIsReadAndV3SignsForItsHost) {
  EXPECT_TRUE(controller.state().relay.sandbox);
  EXPECT_EQ(controller.state().relay.sign_host, "127.0.0.1:9");
  controller.state().settings.style = SignatureStyle::kV3;
  controller.query_stock();
  ASSERT_EQ(transport.pending.size(), 1u);
  const HttpRequest& request = transport.pending.front().request;
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url.rfind("/api/?", 0), 0u) << request.url;
  EXPECT_EQ(FakeTransport::action_of(request), "QuerySecretNoRemain");
  const LogEntry& logged = controller.state().log.entries().back();
  EXPECT_NE(logged.canonical.find("host:127.0.0.1:9\n"), std::string::npos) << logged.canonical;
  // The token is signed, but the log keeps it masked.
  EXPECT_EQ(logged.canonical.find(kToken), std::string::npos);
}

TEST_F(ConsoleTest, V1PostsTheFormAndEveryAttemptHasAFreshNonce) {
  controller.query_stock();
  transport.answer(200, stock_ok(3, R"({"City":"杭州","Amount":3})"));
  controller.query_stock();
  ASSERT_EQ(transport.sent.size(), 3u);  // config, stock, stock
  const HttpRequest& first = transport.sent[1];
  const HttpRequest& second = transport.sent[2];
  EXPECT_EQ(first.url, "/api/");
  EXPECT_EQ(FakeTransport::form_value(first.body, "City"), "全国列表");
  EXPECT_EQ(FakeTransport::form_value(first.body, "SecurityToken"), kToken);
  EXPECT_NE(FakeTransport::form_value(first.body, "SignatureNonce"),
            FakeTransport::form_value(second.body, "SignatureNonce"));
  for (const HttpRequest& request : transport.sent) {
    EXPECT_EQ(request.url.find(kToken), std::string::npos)
        << "a POST never puts the token in the URL";
    EXPECT_EQ(request.body.find(kSecret), std::string::npos) << "the secret is never sent";
  }
}

TEST_F(ConsoleTest, StockRowsAreSortedAndTheLiveCityListGrows) {
  controller.query_stock();
  EXPECT_TRUE(controller.state().stock.busy);
  controller.query_stock();  // ignored while busy
  EXPECT_EQ(transport.pending.size(), 1u);
  transport.answer(200, stock_ok(12, R"({"City":"杭州","Amount":2},{"City":"上海","Amount":10})"));
  const StockState& stock = controller.state().stock;
  ASSERT_EQ(stock.rows.size(), 2u);
  EXPECT_EQ(stock.rows[0].city, "上海");  // amount, descending, by default
  controller.sort_stock(StockSort::kAmountAsc);
  EXPECT_EQ(stock.rows[0].city, "杭州");
  EXPECT_EQ(stock.cities.size(), 2u);
  controller.fill_buy_from_stock("上海");
  EXPECT_EQ(controller.state().buy.city, "上海");
}

// A live 全国列表 answer may carry only the rows: the total is their sum, and says so.
TEST_F(ConsoleTest, ANationwideListWithoutATotalShowsTheSumOfItsRows) {
  controller.query_stock();
  transport.answer(200,
                   ok_body(R"(,"SecretRemainDTO":{"RemainDTOList":{"remainDTO":[)"
                           R"({"City":"杭州","Amount":1386},{"City":"上海","Amount":972}]}})"));
  const StockState& stock = controller.state().stock;
  ASSERT_TRUE(stock.answer.has_value());
  EXPECT_EQ(stock.answer->amount, 2358);
  EXPECT_EQ(stock.answer->total_source, StockTotalSource::kSummed);
  EXPECT_EQ(stock.rows.size(), 2u);
  EXPECT_EQ(controller.state().status.text.en, "Stock: 2358");
  const std::string json =
      state_json(controller.state(), controller.credentials_pasted_at(), clock.now);
  EXPECT_NE(json.find(R"("totalSource":"summed")"), std::string::npos);
  EXPECT_NE(json.find(R"("total":2358)"), std::string::npos);
}

TEST_F(ConsoleTest, AGatewayErrorIsLoggedWithItsCodeAndHint) {
  controller.query_stock();
  transport.answer(
      400,
      R"({"RequestId":"R9","HostId":"h","Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired."})");
  const LogEntry& logged = controller.state().log.entries().back();
  EXPECT_FALSE(logged.pending);
  EXPECT_EQ(logged.http_status, 400);
  EXPECT_EQ(logged.code, "InvalidTimeStamp.Expired");
  EXPECT_EQ(logged.request_id, "R9");
  ASSERT_TRUE(logged.error.has_value());
  EXPECT_FALSE(logged.error->hint.en.empty());
  EXPECT_EQ(controller.state().status.level, StatusLevel::kError);
}

TEST_F(ConsoleTest, SignatureMismatchIsDiagnosedAgainstTheServersString) {
  controller.state().settings.style = SignatureStyle::kV1;
  controller.query_stock();
  transport.answer(
      400,
      R"({"RequestId":"R2","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&Different"})");
  const LogEntry& logged = controller.state().log.entries().back();
  ASSERT_TRUE(logged.signature_diagnosis.has_value());
  EXPECT_FALSE(logged.signature_diagnosis->same_string_to_sign);
  EXPECT_EQ(logged.signature_diagnosis->first_difference, 9u);  // after "POST&%2F&"
}

TEST_F(ConsoleTest, ClockOffsetComesFromTheDateHeader) {
  controller.query_stock();
  clock.now += 200;
  // The server is two minutes ahead.
  const std::int64_t server_s = (clock.now - 100) / 1000 + 120;
  const std::string date = [&] {
    // Build an IMF-fixdate from the ISO form.
    const std::string iso = format_iso8601_utc(server_s);  // YYYY-MM-DDThh:mm:ssZ
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return "Sat, " + iso.substr(8, 2) + " " + months[std::stoi(iso.substr(5, 2)) - 1] + " " +
           iso.substr(0, 4) + " " + iso.substr(11, 8) + " GMT";
  }();
  transport.answer(200, stock_ok(0, ""), {{"date", date}});
  EXPECT_TRUE(controller.state().clock_offset_measured);
  EXPECT_NEAR(static_cast<double>(controller.state().clock_offset_ms), 120000.0, 1600.0);
  controller.query_stock();
  const std::string stamp = FakeTransport::form_value(transport.sent.back().body, "Timestamp");
  EXPECT_EQ(stamp, format_iso8601_utc(controller.corrected_now_ms() / 1000));
}

TEST_F(ConsoleTest, CredentialsExpiryStates) {
  const std::int64_t pasted = controller.credentials_pasted_at();
  CredentialsState& creds = controller.state().credentials;
  EXPECT_EQ(credentials_life(creds, pasted, clock.now / 1000).status, CredentialsStatus::kValid);
  EXPECT_EQ(credentials_life(creds, pasted, clock.now / 1000 + 3600 - 599).status,
            CredentialsStatus::kExpiringSoon);
  clock.now += std::int64_t{3601} * 1000;
  EXPECT_EQ(credentials_life(creds, pasted, clock.now / 1000).status, CredentialsStatus::kExpired);
  // Expired: nothing is signed or sent, and the person is told what to do.
  const std::size_t before = transport.sent.size();
  controller.query_stock();
  EXPECT_EQ(transport.sent.size(), before);
  EXPECT_EQ(controller.state().status.level, StatusLevel::kError);
  EXPECT_NE(controller.state().status.text.en.find("expired"), std::string::npos);
  EXPECT_FALSE(controller.submit_purchase());
}

TEST_F(ConsoleTest, RememberIsOptInAndForgetWipesEverything) {
  EXPECT_TRUE(storage.values.empty()) << "nothing is stored unless asked";
  controller.set_remember_in_tab(true);
  ASSERT_EQ(storage.values.count(kRememberKey), 1u);
  // A new controller in the same tab picks it up.
  FakeTransport other_transport;
  Controller reloaded(other_transport, clock, nonces, storage, durable, lock);
  reloaded.start();
  EXPECT_TRUE(reloaded.state().credentials.active.has_value());
  controller.forget_credentials();
  EXPECT_TRUE(storage.values.empty());
  EXPECT_FALSE(controller.state().credentials.active.has_value());
  EXPECT_FALSE(controller.state().credentials.remember_in_tab);
}

TEST_F(ConsoleTest, ProfilesSwitchCredentialsAndForgetRemovesThem) {
  ASSERT_TRUE(controller.save_profile("buyer"));
  const std::string other =
      "export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tOtherAccount01\n"
      "export ALIBABA_CLOUD_ACCESS_KEY_SECRET=other-secret-0123456789\n";
  ASSERT_TRUE(controller.paste_credentials(other));
  EXPECT_EQ(controller.state().credentials.active_profile, "");
  ASSERT_TRUE(controller.save_profile("  other "));
  EXPECT_EQ(controller.state().credentials.profiles.size(), 2u);
  EXPECT_EQ(controller.state().credentials.active->key.id, "LTAI5tOtherAccount01");

  ASSERT_TRUE(controller.use_profile("buyer"));
  EXPECT_EQ(controller.state().credentials.active->key.id, "STS.NUgYrLnoCtestKeyId01");
  controller.query_stock();
  EXPECT_EQ(FakeTransport::form_value(transport.sent.back().body, "AccessKeyId"),
            "STS.NUgYrLnoCtestKeyId01");
  EXPECT_FALSE(controller.use_profile("nobody"));
  EXPECT_TRUE(storage.values.empty()) << "profiles are memory only";

  const std::string json =
      state_json(controller.state(), controller.credentials_pasted_at(), clock.now);
  EXPECT_NE(json.find("\"profiles\":[\"buyer\",\"other\"]"), std::string::npos) << json;
  EXPECT_EQ(json.find("other-secret"), std::string::npos);

  controller.delete_profile("other");
  EXPECT_EQ(controller.state().credentials.profiles.size(), 1u);
  controller.forget_credentials();
  EXPECT_TRUE(controller.state().credentials.profiles.empty());
}

TEST_F(ConsoleTest, ARefusedPasteSaysWhy) {
  EXPECT_FALSE(controller.paste_credentials("hello"));
  EXPECT_FALSE(controller.state().credentials.last_error.en.empty());
  EXPECT_TRUE(controller.state().credentials.active.has_value()) << "the old ones stay";
}

TEST_F(ConsoleTest, CredentialsExpiredMinutesAgoAreRefusedOnPaste) {
  // Ten minutes past their expiry: refused when pasted, not only later when something is signed.
  const std::int64_t pasted = controller.credentials_pasted_at();
  clock.now += 60 * 1000;
  EXPECT_FALSE(controller.paste_credentials(assume_role(clock.now, -600)));
  EXPECT_NE(controller.state().credentials.last_error.en.find("expired"), std::string::npos);
  EXPECT_EQ(controller.credentials_pasted_at(), pasted) << "the old ones stay";
}

TEST_F(ConsoleTest, ReleaseNeedsTheNumberTypedAndLookupAddsKnownNumbers) {
  controller.lookup_number("FC100000000000001", "17000000001");
  transport.answer(
      200,
      ok_body(
          R"(,"SecretNoInfoDTO":{"PurchaseTime":"2026-11-01 10:00:00","Vendor":1,"Province":"浙江","City":"杭州","SecretStatus":0})"));
  ASSERT_NE(controller.find_number("17000000001"), nullptr);
  EXPECT_EQ(controller.find_number("17000000001")->origin, NumberOrigin::kLookedUp);

  controller.lookup_number("FC100000000000001", "17000000002");
  transport.answer(200, R"({"Code":"isv.NO_NOT_EXIST","Message":"no","RequestId":"R"})");
  EXPECT_EQ(controller.find_number("17000000002"), nullptr) << "unknown numbers are not listed";

  const std::size_t before = transport.sent.size();
  EXPECT_FALSE(controller.release_number("17000000001", "1700000000"));
  EXPECT_EQ(transport.sent.size(), before);
  EXPECT_TRUE(controller.release_number("17000000001", "17000000001"));
  EXPECT_FALSE(controller.release_number("17000000001", "17000000001")) << "one at a time";
  transport.answer(200, ok_body());
  EXPECT_TRUE(controller.find_number("17000000001")->released);
  EXPECT_EQ(transport.count("ReleaseSecretNo"), 1);
}

TEST_F(ConsoleTest, LockAndUnlockUpdateTheStatus) {
  controller.lookup_number("FC100000000000001", "17000000001");
  transport.answer(200,
                   ok_body(R"(,"SecretNoInfoDTO":{"Vendor":1,"City":"杭州","SecretStatus":0})"));
  controller.lock_number("17000000001", true);
  transport.answer(200, ok_body());
  EXPECT_EQ(controller.find_number("17000000001")->detail->status, NumberStatus::kLocked);
  controller.lock_number("17000000001", false);
  transport.answer(200, ok_body());
  EXPECT_EQ(controller.find_number("17000000001")->detail->status, NumberStatus::kUnbound);
}

TEST_F(ConsoleTest, StateJsonCarriesNoSecret) {
  controller.query_stock();
  transport.answer(200, stock_ok(1, R"({"City":"杭州","Amount":1})"));
  const std::string json =
      state_json(controller.state(), controller.credentials_pasted_at(), clock.now);
  EXPECT_EQ(json.find(kSecret), std::string::npos);
  EXPECT_EQ(json.find(kToken), std::string::npos);
  EXPECT_EQ(json.find(controller.state().log.entries().back().signature), std::string::npos);
  EXPECT_NE(json.find("\"status\":\"valid\""), std::string::npos);
}

}  // namespace
}  // namespace dypls::console::testing
