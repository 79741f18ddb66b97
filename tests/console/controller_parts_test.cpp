// The pieces cut out of the controller that need no transport: the relay's /relay/config answer,
// the clock offset from a Date header, and the tab's activity kept across a reload.
#include "activity_store.h"
#include "fakes.h"
#include "http_date.h"
#include "relay_config.h"

namespace dypls::console::testing {
namespace {

HttpResponse response_of(int status, const std::string& body) {
  HttpResponse response;
  response.status = status;
  response.body = body;
  return response;
}

TEST(RelayConfig, ReadsWhatItKnowsAndSkipsFieldsOfTheWrongType) {
  const RelayConfig relay = read_relay_config(response_of(
      200, R"({"sandbox":true,"signHost":"127.0.0.1:9","actions":["A",7,"B"],"version":3})"));
  EXPECT_TRUE(relay.loaded);
  EXPECT_FALSE(relay.failed);
  EXPECT_TRUE(relay.sandbox);
  EXPECT_EQ(relay.sign_host, "127.0.0.1:9");
  EXPECT_EQ(relay.actions, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(relay.version, "") << "a number is not a version string";

  const RelayConfig bare = read_relay_config(response_of(200, "{}"));
  EXPECT_TRUE(bare.loaded);
  EXPECT_EQ(bare.sign_host, kApiHost) << "V3 signs for the API's own host unless told";

  for (const HttpResponse& bad : {response_of(404, "{}"), response_of(200, "[]"),
                                  response_of(200, "<html>"), response_of(0, "")}) {
    const RelayConfig failed = read_relay_config(bad);
    EXPECT_TRUE(failed.failed) << bad.status << " " << bad.body;
    EXPECT_FALSE(failed.loaded);
  }
}

TEST(ClockOffset, IsMeasuredFromTheMiddleOfTheExchangeAndIgnoresSubSecondNoise) {
  const std::string date = "Sat, 28 Nov 2026 07:12:17 GMT";  // 1795849937 s
  const std::int64_t server_ms = std::int64_t{1795849937} * 1000 + 500;
  EXPECT_EQ(clock_offset_ms(date, server_ms - 100, server_ms + 100), 0);
  EXPECT_EQ(clock_offset_ms(date, server_ms - 1400, server_ms - 1400), 0);
  EXPECT_EQ(clock_offset_ms(date, server_ms - 120000 - 50, server_ms - 120000 + 50), 120000);
  EXPECT_EQ(clock_offset_ms(date, server_ms + 5000, server_ms + 5000), -5000);
  EXPECT_FALSE(clock_offset_ms("yesterday", 0, 0).has_value());
}

TEST(ActivityStore, FinishedEntriesComeBackAfterAReloadWithoutSigningStages) {
  MemoryStorage storage;
  RequestLog log;
  LogEntry done;
  done.pending = false;
  done.action = "QuerySecretNoRemain";
  done.sent_at_ms = 1000;
  done.http_status = 200;
  done.code = "OK";
  done.request_id = "REQ-1";
  done.latency_ms = 42;
  done.spec.params = {{"City", "杭州"}};
  done.canonical = "signed text";
  done.signature = "sig";
  log.add(done);
  LogEntry pending = done;
  pending.pending = true;
  pending.action = "BuySecretNo";
  log.add(pending);
  save_activity(log, storage);

  RequestLog reloaded;
  restore_activity(storage, reloaded);
  ASSERT_EQ(reloaded.entries().size(), 1u) << "an entry still waiting is not kept";
  const LogEntry& back = reloaded.entries().front();
  EXPECT_EQ(back.action, "QuerySecretNoRemain");
  EXPECT_EQ(back.http_status, 200);
  EXPECT_EQ(back.request_id, "REQ-1");
  EXPECT_EQ(back.latency_ms, 42);
  ASSERT_EQ(back.spec.params.size(), 1u);
  EXPECT_EQ(back.spec.params[0].value, "杭州");
  EXPECT_TRUE(back.canonical.empty()) << "signing stages are not kept";
  EXPECT_TRUE(back.signature.empty());
  EXPECT_EQ(storage.values[kActivityKey].find("sig\""), std::string::npos);
}

TEST(ActivityStore, KeepsOnlyTheLastEntriesAndSurvivesGarbage) {
  MemoryStorage storage;
  RequestLog log;
  for (std::size_t i = 0; i < kActivityKept + 5; ++i) {
    LogEntry entry;
    entry.pending = false;
    entry.action = "A" + std::to_string(i);
    log.add(entry);
  }
  save_activity(log, storage);
  RequestLog reloaded;
  restore_activity(storage, reloaded);
  ASSERT_EQ(reloaded.entries().size(), kActivityKept);
  EXPECT_EQ(reloaded.entries().front().action, "A5");

  for (const char* garbage : {"not json", "{}", R"([1,{"action":7},{"params":"x"}])"}) {
    storage.values[kActivityKey] = garbage;
    RequestLog fresh;
    restore_activity(storage, fresh);
    EXPECT_TRUE(fresh.entries().empty()) << garbage;
  }
  MemoryStorage empty;
  RequestLog none;
  restore_activity(empty, none);
  EXPECT_TRUE(none.entries().empty());
}

}  // namespace
}  // namespace dypls::console::testing
