// Fake ports for driving the Controller in tests: the transport keeps every request until the
// test answers it, the clock moves only when told, nonces count up.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "controller.h"
#include "core/encoding.h"
#include "core/time_format.h"

namespace dypls::console::testing {

struct Pending {
  HttpRequest request;
  ResponseHandler done;
};

class FakeTransport final : public Transport {
 public:
  void send(HttpRequest request, ResponseHandler done) override {
    if (on_send) on_send(request);
    sent.push_back(request);
    pending.push_back({std::move(request), std::move(done)});
  }
  // Answers the oldest pending request.
  void answer(int status, const std::string& body, HeaderList headers = {}) {
    ASSERT_FALSE(pending.empty()) << "no request to answer";
    Pending next = std::move(pending.front());
    pending.pop_front();
    HttpResponse response;
    response.status = status;
    response.body = body;
    response.headers = std::move(headers);
    if (status == 0) response.transport_error = "timeout";
    next.done(response);
  }
  // The Action of a request (V1 form body or V3 header).
  static std::string action_of(const HttpRequest& request) {
    for (const auto& [name, value] : request.headers) {
      if (name == "x-acs-action") return value;
    }
    return form_value(request.body, "Action");
  }
  static std::string form_value(const std::string& body, const std::string& name) {
    const std::string key = name + "=";
    std::size_t at = 0;
    while (at < body.size()) {
      std::size_t end = body.find('&', at);
      if (end == std::string::npos) end = body.size();
      if (body.compare(at, key.size(), key) == 0) {
        std::string out;
        percent_decode(body.substr(at + key.size(), end - at - key.size()), out, true);
        return out;
      }
      at = end + 1;
    }
    return {};
  }
  int count(const std::string& action) const {
    int n = 0;
    for (const HttpRequest& request : sent) n += action_of(request) == action ? 1 : 0;
    return n;
  }
  std::deque<HttpRequest> sent;
  std::deque<Pending> pending;
  std::function<void(const HttpRequest&)> on_send;  // sees each request as it leaves
};

class FakeClock final : public Clock {
 public:
  std::int64_t now_ms() const override { return now; }
  std::int64_t now = 1795849937000;  // 2026-11-28T07:12:17Z
};

class CountingNonces final : public NonceSource {
 public:
  std::string next() override { return "nonce-" + std::to_string(++count); }
  int count = 0;
};

class MemoryStorage final : public Storage {
 public:
  std::optional<std::string> get(const std::string& key) override {
    auto it = values.find(key);
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  void set(const std::string& key, const std::string& value) override { values[key] = value; }
  void remove(const std::string& key) override { values.erase(key); }
  std::map<std::string, std::string> values;
};

// One browser profile's localStorage, shared by the tabs made with tab(): a write by one tab is a
// change "elsewhere" for every other tab, as a storage event would say.
class SharedStorage {
 public:
  std::map<std::string, std::string> values;
  std::map<int, std::uint64_t> changes_seen_by_tab;
  bool refuse_writes = false;  // storage full
  int next_tab = 0;
};

class TabDurableStorage final : public DurableStorage {
 public:
  explicit TabDurableStorage(SharedStorage& shared) : shared_(shared), tab_(shared.next_tab++) {}
  std::optional<std::string> get(const std::string& key) override {
    auto it = shared_.values.find(key);
    if (it == shared_.values.end()) return std::nullopt;
    return it->second;
  }
  bool set(const std::string& key, const std::string& value) override {
    if (shared_.refuse_writes) return false;
    shared_.values[key] = value;
    notify_others();
    return true;
  }
  void remove(const std::string& key) override {
    shared_.values.erase(key);
    notify_others();
  }
  std::vector<std::pair<std::string, std::string>> entries(const std::string& prefix) override {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, value] : shared_.values) {
      if (key.compare(0, prefix.size(), prefix) == 0) out.emplace_back(key, value);
    }
    return out;
  }
  std::uint64_t outside_changes() override { return shared_.changes_seen_by_tab[tab_]; }

 private:
  void notify_others() {
    for (int t = 0; t < shared_.next_tab; ++t) {
      if (t != tab_) ++shared_.changes_seen_by_tab[t];
    }
  }
  SharedStorage& shared_;
  int tab_;
};

// navigator.locks for one profile: the first to ask holds a name until it releases it.
class SharedLocks {
 public:
  std::map<std::string, const void*> holders;
  // For peek(): when each name last changed hands (by `clock`), and whether tabs can see the
  // locks at all (navigator.locks has not answered yet: kNotKnown).
  const FakeClock* clock = nullptr;
  std::map<std::string, std::int64_t> changed_ms;
  bool visible = true;
  void changed(const std::string& name) { changed_ms[name] = clock ? clock->now : 0; }
  // A tab closed: the browser lets go of every lock it held.
  void close_tab() {
    for (const auto& [name, holder] : holders) changed(name);
    holders.clear();
  }
};

class TabLock final : public PurchaseLock {
 public:
  explicit TabLock(SharedLocks& shared) : shared_(shared) {}
  LockState acquire(const std::string& name) override {
    ++asks;
    auto it = shared_.holders.find(name);
    if (it == shared_.holders.end()) {
      if (grants_later && asked_.insert(name).second) return LockState::kAsked;
      asked_.erase(name);
      shared_.holders[name] = this;
      shared_.changed(name);
      return LockState::kHeld;
    }
    return it->second == this ? LockState::kHeld : LockState::kWaiting;
  }
  void release(const std::string& name) override {
    auto it = shared_.holders.find(name);
    if (it != shared_.holders.end() && it->second == this) {
      shared_.holders.erase(it);
      shared_.changed(name);
    }
  }
  LockView peek(const std::string& name) override {
    if (!shared_.visible) return {};
    auto it = shared_.holders.find(name);
    const std::int64_t since = shared_.changed_ms.count(name) ? shared_.changed_ms[name] : 0;
    if (it != shared_.holders.end() && it->second != this) {
      return {LockPeek::kHeldElsewhere, since};
    }
    return {LockPeek::kFree, since};
  }
  int asks = 0;
  // Like navigator.locks: a free lock is granted at the next ask, not at the first.
  bool grants_later = false;

 private:
  SharedLocks& shared_;
  std::set<std::string> asked_;
};

inline constexpr const char* kSecret = "TopSecret0123456789abcdefghijk";
inline constexpr const char* kToken = "CAIStokenTOKENtoken+/=secretish";

// An AssumeRole answer expiring `lifetime_s` after the fake clock's now.
inline std::string assume_role(std::int64_t now_ms, std::int64_t lifetime_s) {
  return std::string(R"({"RequestId":"R1","AssumedRoleUser":{"Arn":"acs:ram::1:role/buyer/a",)") +
         R"("AssumedRoleId":"1:a"},"Credentials":{"AccessKeyId":"STS.NUgYrLnoCtestKeyId01",)" +
         R"("AccessKeySecret":")" + kSecret + R"(","SecurityToken":")" + kToken +
         R"(","Expiration":")" + format_iso8601_utc(now_ms / 1000 + lifetime_s) + R"("}})";
}

inline std::string ok_body(const std::string& extra = "") {
  return R"({"Code":"OK","Message":"OK","RequestId":"REQ-1")" + extra + "}";
}
inline std::string buy_ok(const std::string& number) {
  return ok_body(R"(,"SecretBuyInfoDTO":{"SecretNo":")" + number + R"("})");
}
inline std::string stock_ok(std::int64_t total, const std::string& rows_json) {
  return ok_body(R"(,"SecretRemainDTO":{"Amount":)" + std::to_string(total) +
                 R"(,"City":"全国列表","RemainDTOList":{"remainDTO":[)" + rows_json + "]}}");
}

// A second tab (or the same tab after a reload) of the same browser profile.
struct Tab {
  Tab(SharedStorage& profile, SharedLocks& locks, FakeClock& clock, bool with_credentials = true)
      : durable(profile),
        lock(locks),
        controller(transport, clock, nonces, session, durable, lock) {
    controller.start();
    transport.answer(200, R"({"sandbox":true,"signHost":"127.0.0.1:9","actions":[]})");
    if (with_credentials) {
      EXPECT_TRUE(controller.paste_credentials(assume_role(clock.now, 3600)));
    }
    BuyForm& form = controller.state().buy;
    form.pool_key = "FC100000000000001";
    form.city = "杭州";
    form.quantity = 1;
  }
  FakeTransport transport;
  CountingNonces nonces;
  MemoryStorage session;
  TabDurableStorage durable;
  TabLock lock;
  Controller controller;
};

// A controller with valid credentials, a loaded (sandbox) relay config and a filled buy form.
class ConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    locks.clock = &clock;
    controller.start();
    transport.answer(
        200, R"({"sandbox":true,"signHost":"127.0.0.1:9","actions":[],"version":"2017-05-25"})");
    ASSERT_TRUE(controller.paste_credentials(assume_role(clock.now, 3600)));
    BuyForm& form = controller.state().buy;
    form.pool_key = "FC100000000000001";
    form.spec_id = 1;
    form.city = "杭州";
    form.quantity = 1;
  }
  // The stock as a query for `city` (type 1, no prefix) answered it, as the Stock panel would.
  void read_stock(const std::string& city, std::int64_t amount) {
    StockState& stock = controller.state().stock;
    stock.spec_id = 1;
    stock.city = city;
    stock.prefix.clear();
    controller.query_stock();
    transport.answer(200, ok_body(R"(,"SecretRemainDTO":{"Amount":)" + std::to_string(amount) +
                                  R"(,"City":")" + city + R"("})"));
  }
  FakeTransport transport;
  FakeClock clock;
  CountingNonces nonces;
  MemoryStorage storage;
  SharedStorage profile;
  SharedLocks locks;
  TabDurableStorage durable{profile};
  TabLock lock{locks};
  Controller controller{transport, clock, nonces, storage, durable, lock};
};

}  // namespace dypls::console::testing
