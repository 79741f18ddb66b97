// FrameStats' percentiles and ring, and the synthetic content the console bench loads.
#include "frame_stats.h"

#include <gtest/gtest.h>

namespace dypls::console {
namespace {

TEST(FrameStats, EmptyReportsZero) {
  const FrameStats stats;
  EXPECT_EQ(stats.count(), 0u);
  EXPECT_EQ(stats.percentile(50), 0);
  EXPECT_EQ(stats.max(), 0);
}

TEST(FrameStats, NearestRankPercentiles) {
  FrameStats stats;
  for (int ms = 100; ms >= 1; --ms) stats.record(ms);  // 1..100, recorded out of order
  EXPECT_EQ(stats.count(), 100u);
  EXPECT_EQ(stats.percentile(50), 50);
  EXPECT_EQ(stats.percentile(99), 99);
  EXPECT_EQ(stats.percentile(100), 100);
  EXPECT_EQ(stats.percentile(0.1), 1);
  EXPECT_EQ(stats.max(), 100);
}

TEST(FrameStats, RingKeepsOnlyTheLatestFrames) {
  FrameStats stats;
  for (std::size_t i = 0; i < FrameStats::kCapacity; ++i) stats.record(1000);
  for (std::size_t i = 0; i < FrameStats::kCapacity; ++i) stats.record(2);
  EXPECT_EQ(stats.count(), FrameStats::kCapacity);
  EXPECT_EQ(stats.max(), 2);
  stats.reset();
  EXPECT_EQ(stats.count(), 0u);
}

TEST(SyntheticContent, AddsRowsAndNumbersWithoutSecrets) {
  ConsoleState state;
  add_synthetic_content(state, 250, 40);
  ASSERT_EQ(state.log.size(), 250u);
  ASSERT_EQ(state.numbers.records.size(), 40u);
  for (const LogEntry& entry : state.log.entries()) {
    EXPECT_FALSE(entry.pending);
    EXPECT_FALSE(entry.action.empty());
    EXPECT_EQ(entry.canonical.find("SecurityToken"), std::string::npos);
  }
  EXPECT_NE(state.numbers.records[0].secret_no, state.numbers.records[1].secret_no);
  add_synthetic_content(state, 10, 0);
  EXPECT_EQ(state.log.size(), 260u);
  EXPECT_EQ(state.log.entries().back().id, 259u);  // ids stay indices
}

}  // namespace
}  // namespace dypls::console
