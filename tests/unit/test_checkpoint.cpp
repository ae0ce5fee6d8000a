// Interruption and checkpoints: the engine's hooks, and the checkpoint file round trip.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "common/error.hpp"
#include "engine/simulation.hpp"
#include "model_fixture.hpp"
#include "output/checkpoint.hpp"

namespace osteosim {

namespace {

constexpr std::int64_t kBlockSize = 512;

config::Scenario small_scenario() {
  auto scenario = testing::simple_scenario(5000, 10, 12);
  scenario.strategies.push_back({"copy", scenario.strategies[0].parameters, {}, {}});
  return scenario;
}

engine::RunOptions options(int threads) {
  engine::RunOptions o;
  o.threads = threads;
  o.block_size = kBlockSize;
  return o;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("osteosim-ckpt-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

void expect_same(const std::vector<engine::Tallies>& a, const std::vector<engine::Tallies>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t s = 0; s < a.size(); ++s) {
    const auto ca = a[s].columns();
    const auto cb = b[s].columns();
    for (std::size_t c = 0; c < ca.size(); ++c) EXPECT_EQ(*ca[c], *cb[c]) << "column " << c;
  }
}

}  // namespace

TEST(Interruption, StopRequestThrowsInterruptedAndReportsOnlyFinishedBlocks) {
  const auto scenario = small_scenario();
  auto o = options(2);
  std::set<std::int64_t> reported;
  o.on_block_done = [&](std::int64_t b, const std::vector<engine::Tallies>&) {
    reported.insert(b);
  };
  o.should_stop = [&] { return reported.size() >= 3; };
  EXPECT_THROW(engine::simulate(scenario, o), Interrupted);
  EXPECT_GE(reported.size(), 3u);
  EXPECT_LT(reported.size(), static_cast<std::size_t>(engine::block_count(5000, kBlockSize)));
}

TEST(Interruption, AFailingBlockHookStopsTheRunWithItsException) {
  auto o = options(2);
  o.on_block_done = [](std::int64_t, const std::vector<engine::Tallies>&) {
    throw IoError("disk full");
  };
  EXPECT_THROW(engine::simulate(small_scenario(), o), IoError);
}

TEST(Checkpoint, SkippedBlocksPlusTheirSavedTalliesEqualAnUninterruptedRun) {
  const auto scenario = small_scenario();
  const auto full = engine::simulate(scenario, options(1));
  const std::int64_t blocks = engine::block_count(5000, kBlockSize);

  // First run: stopped after some blocks, which go into a checkpoint saved to disk.
  const std::string path = temp_path("resume");
  output::Checkpoint first(path, "run-1", blocks, scenario.strategies.size(), scenario.years);
  auto o = options(2);
  o.on_block_done = [&](std::int64_t b, const std::vector<engine::Tallies>& t) { first.add(b, t); };
  o.should_stop = [&] { return first.blocks_done() >= 4; };
  EXPECT_THROW(engine::simulate(scenario, o), Interrupted);
  first.save();

  // Resumed run: loads it, simulates only the other blocks, in another thread count.
  auto resumed = output::Checkpoint::load(path, "run-1", blocks, scenario.strategies.size(),
                                          scenario.years);
  EXPECT_EQ(resumed.blocks_done(), first.blocks_done());
  auto r = options(1);
  std::int64_t simulated = 0;
  r.skip_block = [&](std::int64_t b) { return resumed.done(b); };
  r.on_block_done = [&](std::int64_t b, const std::vector<engine::Tallies>& t) {
    resumed.add(b, t);
    ++simulated;
  };
  engine::simulate(scenario, r);
  EXPECT_EQ(simulated, blocks - first.blocks_done());
  EXPECT_EQ(resumed.blocks_done(), blocks);
  expect_same(resumed.totals(), full);
  resumed.remove();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Checkpoint, ADifferentRunOrADamagedFileIsRefusedAsBadInput) {
  const std::string path = temp_path("refuse");
  output::Checkpoint checkpoint(path, "run-1", 10, 1, 5);
  checkpoint.add(3, {engine::Tallies(5)});
  checkpoint.save();
  EXPECT_NO_THROW(output::Checkpoint::load(path, "run-1", 10, 1, 5));
  EXPECT_THROW(output::Checkpoint::load(path, "run-2", 10, 1, 5), InputError);
  EXPECT_THROW(output::Checkpoint::load(path, "run-1", 11, 1, 5), InputError);

  // Every truncation and a flipped byte anywhere are caught by the checksum.
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (std::size_t keep : {std::size_t{0}, std::size_t{10}, bytes.size() / 2, bytes.size() - 1}) {
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(keep));
    EXPECT_THROW(output::Checkpoint::load(path, "run-1", 10, 1, 5), InputError) << keep;
  }
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x01;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(flipped.data(), static_cast<std::streamsize>(flipped.size()));
  EXPECT_THROW(output::Checkpoint::load(path, "run-1", 10, 1, 5), InputError);
  checkpoint.remove();
}

}  // namespace osteosim
