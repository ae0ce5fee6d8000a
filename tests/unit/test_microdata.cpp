// Event histories: block-order delivery whatever order threads finish in, and the recorder
// that forwards every event while writing it down.
#include <gtest/gtest.h>
#include <omp.h>

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>
#include <vector>

#include "engine/block_order.hpp"
#include "engine/microdata.hpp"

namespace osteosim::engine {
namespace {

TEST(BlockOrder, DeliversInBlockOrderWhenLaterBlocksFinishFirst) {
  constexpr std::int64_t kBlocks = 24;
  std::vector<std::int64_t> seen;
  BlockOrder<std::int64_t> order(kBlocks, 4, [&](std::int64_t b, const std::int64_t& data) {
    EXPECT_EQ(b, data);
    seen.push_back(b);
  });
#pragma omp parallel for schedule(dynamic, 1) num_threads(4)
  for (std::int64_t b = 0; b < kBlocks; ++b) {
    // Early blocks take longest, so later ones are ready first and must wait their turn.
    std::this_thread::sleep_for(std::chrono::milliseconds(2 * (kBlocks - b) % 7));
    order.deliver(b, std::int64_t{b});
  }
  std::vector<std::int64_t> expected(kBlocks);
  for (std::int64_t b = 0; b < kBlocks; ++b) expected[static_cast<std::size_t>(b)] = b;
  EXPECT_EQ(seen, expected);
}

TEST(BlockOrder, AbandonReleasesAThreadWaitingForAnEarlierBlock) {
  int delivered = 0;
  BlockOrder<int> order(10, 2, [&](std::int64_t, const int&) { ++delivered; });
  std::thread late([&] { order.deliver(5, 5); });  // waits: 5 is 2 or more ahead of 0
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  order.abandon();
  late.join();
  EXPECT_EQ(delivered, 0);
}

TEST(BlockOrder, ConsumerExceptionPropagatesAndAbandons) {
  BlockOrder<int> order(3, 2,
                        [](std::int64_t, const int&) { throw std::runtime_error("disk full"); });
  EXPECT_THROW(order.deliver(0, 0), std::runtime_error);
  EXPECT_NO_THROW(order.deliver(1, 1));  // abandoned: dropped, no wait, no consumer call
}

/// Counts what reaches the wrapped recorder.
struct CountingRecorder : model::EventRecorder {
  int falls = 0, fractures = 0, deaths = 0;
  double person_years = 0;
  void person_time(double, double years) override { person_years += years; }
  void fall(double) override { ++falls; }
  void fracture(model::Site, double, bool, bool) override { ++fractures; }
  void death(double, bool) override { ++deaths; }
};

TEST(MicrodataRecorder, ForwardsEveryEventAndWritesItDown) {
  CountingRecorder inner;
  std::vector<EventRow> rows;
  // Entered at 62 at time 2: time = age - 60.
  MicrodataRecorder recorder(inner, 7, 2.0 - 62.0, rows);
  recorder.person_time(62.0, 0.5);
  recorder.fall(62.25);
  recorder.fracture(model::Site::hip, 62.5, true, true);
  recorder.dxa_result(62.6, -2.7);
  recorder.death(63.0, true);
  EXPECT_EQ(inner.falls, 1);
  EXPECT_EQ(inner.fractures, 1);
  EXPECT_EQ(inner.deaths, 1);
  EXPECT_DOUBLE_EQ(inner.person_years, 0.5);
  ASSERT_EQ(rows.size(), 4u);  // person-time is not an event
  EXPECT_EQ(rows[0].event, EventKind::fall);
  EXPECT_DOUBLE_EQ(rows[0].time_years, 2.25);
  EXPECT_TRUE(std::isnan(rows[0].value));
  EXPECT_EQ(rows[1].event, EventKind::fracture);
  EXPECT_EQ(rows[1].site, static_cast<std::int8_t>(model::Site::hip));
  EXPECT_EQ(rows[1].value, 1.0);
  EXPECT_EQ(rows[2].event, EventKind::dxa);
  EXPECT_EQ(rows[2].value, -2.7);
  EXPECT_EQ(rows[3].event, EventKind::death_after_fracture);
  EXPECT_EQ(rows[3].agent, 7);
}

TEST(Microdata, SortByAgentKeepsEachAgentsEventsInTimeOrder) {
  Microdata block;
  for (double t : {0.0, 1.0, 2.0}) {
    block.events.push_back({1, t, 50 + t, EventKind::fall, kNoSite, 0});
    block.events.push_back({0, t, 60 + t, EventKind::fall, kNoSite, 0});
  }
  sort_by_agent(block);
  const std::vector<std::pair<std::int64_t, double>> expected{{0, 0}, {0, 1}, {0, 2},
                                                              {1, 0}, {1, 1}, {1, 2}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(block.events[i].agent, expected[i].first);
    EXPECT_EQ(block.events[i].time_years, expected[i].second);
  }
}

}  // namespace
}  // namespace osteosim::engine
