#include "frame_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <emscripten/heap.h>
#include <malloc.h>

#include "controller.h"
#endif

namespace dypls::console {

void FrameStats::record(double ms) {
  if (samples_.size() < kCapacity) {
    samples_.push_back(ms);
    return;
  }
  samples_[next_] = ms;
  next_ = (next_ + 1) % kCapacity;
}

void FrameStats::reset() {
  samples_.clear();
  next_ = 0;
}

double FrameStats::percentile(double p) const {
  if (samples_.empty()) return 0;
  std::vector<double> sorted = samples_;
  std::sort(sorted.begin(), sorted.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const auto index = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

double FrameStats::max() const {
  return samples_.empty() ? 0 : *std::max_element(samples_.begin(), samples_.end());
}

void add_synthetic_content(ConsoleState& state, int rows, int numbers) {
  static const char* const kCities[] = {"杭州", "武汉", "上海", "西安", "北京", "深圳"};
  constexpr std::int64_t kStartMs = 1795850000000;  // 2026-11-28, a fixed and plainly fake time
  char text[160];
  for (int i = 0; i < rows; ++i) {
    const char* city = kCities[i % 6];
    LogEntry entry;
    entry.sent_at_ms = kStartMs + std::int64_t{i} * 1000;
    entry.action = i % 3 == 0 ? "BuySecretNo" : "QuerySecretNoRemain";
    entry.style = i % 2 == 0 ? SignatureStyle::kV1 : SignatureStyle::kV3;
    entry.spec.action = entry.action;
    entry.spec.style = entry.style;
    entry.spec.params = {{"City", city}, {"SpecId", "1"}, {"PoolKey", "FC100000000001"}};
    (void)std::snprintf(text, sizeof text,
                        "AccessKeyId=STS.NSynthetic&Action=%s&City=%%E6%%9D%%AD&Format=JSON&"
                        "SignatureNonce=%08x&SpecId=1&Timestamp=2026-11-28T08%%3A00%%3A00Z",
                        entry.action.c_str(), static_cast<unsigned>(i));
    entry.canonical = text;
    entry.string_to_sign = "GET&%2F&" + entry.canonical;
    entry.signature = "c3ludGhldGljIHNpZ25hdHVyZQ==";
    entry.pending = false;
    const bool failed = i % 17 == 0;
    entry.http_status = failed ? 400 : 200;
    entry.code = failed ? "isv.NO_AVAILABLE_NUMBER" : "OK";
    (void)std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", i);
    entry.request_id = text;
    entry.latency_ms = 20 + i % 180;
    entry.response_body = std::string(R"({"RequestId":")") + text + R"(","Code":")" + entry.code +
                          R"(","Message":"OK"})";
    state.log.add(std::move(entry));
  }
  for (int i = 0; i < numbers; ++i) {
    NumberRecord record;
    (void)std::snprintf(text, sizeof text, "170%08d", i);
    record.secret_no = text;
    record.pool_key = "FC100000000001";
    record.city = kCities[i % 6];
    record.bought_at = "2026-11-28T08:00:00Z";
    NumberDetail detail;
    detail.purchase_time = record.bought_at;
    detail.vendor = 1 + i % 3;
    detail.city = record.city;
    detail.status = i % 4 == 0 ? NumberStatus::kBound : NumberStatus::kUnbound;
    record.detail = detail;
    state.numbers.records.push_back(std::move(record));
  }
}

}  // namespace dypls::console

#ifdef __EMSCRIPTEN__
namespace dypls::console {
namespace {

struct BenchHooks {
  FrameStats frames;
  Controller* controller = nullptr;
  std::string exported;  // the last JSON handed to JS
};

BenchHooks& hooks() {
  static BenchHooks instance;
  return instance;
}

}  // namespace

void attach_bench_hooks(Controller& controller) {
  hooks().controller = &controller;
}

FrameTimer::FrameTimer() : start_ms_(emscripten_get_now()) {}

FrameTimer::~FrameTimer() {
  hooks().frames.record(emscripten_get_now() - start_ms_);
}

}  // namespace dypls::console

using dypls::console::hooks;

extern "C" {

// {"frames","medianMs","p99Ms","maxMs","heapBytes","mallocBytes"}: CPU time of the frames held
// (the last 4096), the wasm memory's size and what malloc has handed out. Valid until next call.
EMSCRIPTEN_KEEPALIVE const char* dypls_frame_stats() {
  const dypls::console::FrameStats& frames = hooks().frames;
  const struct mallinfo info = mallinfo();
  char json[256];
  (void)std::snprintf(json, sizeof json,
                      R"({"frames":%zu,"medianMs":%.4f,"p99Ms":%.4f,"maxMs":%.4f,)"
                      R"("heapBytes":%zu,"mallocBytes":%d})",
                      frames.count(), frames.percentile(50), frames.percentile(99), frames.max(),
                      emscripten_get_heap_size(), info.uordblks);
  hooks().exported = json;
  return hooks().exported.c_str();
}

EMSCRIPTEN_KEEPALIVE void dypls_frame_stats_reset() {
  hooks().frames.reset();
}

// Test-only: adds `rows` synthetic history rows and `numbers` synthetic numbers; returns the
// history's size.
EMSCRIPTEN_KEEPALIVE int dypls_bench_fill(int rows, int numbers) {
  if (hooks().controller == nullptr || rows < 0 || numbers < 0) return -1;
  dypls::console::ConsoleState& state = hooks().controller->state();
  dypls::console::add_synthetic_content(state, rows, numbers);
  return static_cast<int>(state.log.size());
}

// Test-only: the sandbox's demo credentials, as the banner's button fetches them.
EMSCRIPTEN_KEEPALIVE void dypls_bench_use_demo() {
  if (hooks().controller != nullptr) hooks().controller->use_demo_credentials();
}

// Test-only: one stock query, as the Stock panel's button sends it. 1 when it is in flight.
EMSCRIPTEN_KEEPALIVE int dypls_bench_query_stock() {
  if (hooks().controller == nullptr) return 0;
  hooks().controller->query_stock();
  return hooks().controller->state().stock.busy ? 1 : 0;
}

}  // extern "C"
#endif  // __EMSCRIPTEN__
