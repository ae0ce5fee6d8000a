#pragma once
/// The engine: streams blocks of agents through every strategy and time step, in parallel
/// over blocks, and returns one tally per strategy.
#include <cstdint>
#include <functional>
#include <vector>

#include "config/scenario.hpp"
#include "engine/tallies.hpp"

namespace osteosim::engine {

/// Agents per block: a fixed size (never derived from the thread count), small enough
/// for a block's columns to stay in cache, large enough to amortise scheduling.
inline constexpr std::int64_t kDefaultBlockSize = 4096;

struct RunOptions {
  int threads = 0;  ///< 0 = all available
  std::int64_t block_size = kDefaultBlockSize;
  std::uint32_t psa_draw = 0;
  /// Called (from one thread at a time) with the fraction of work done, after each block.
  std::function<void(double)> progress;
};

/// Real persons each agent stands for: the population the scenario describes (the model's
/// population table: the cohort's age and sex, or everyone 50+) over the number of agents.
double persons_per_agent(const config::Scenario& scenario);

/// Runs the scenario. All strategies see the same agents and random numbers (common random
/// numbers); the result is bit-identical for any thread count.
std::vector<Tallies> simulate(const config::Scenario& scenario, const RunOptions& options);

}  // namespace osteosim::engine
