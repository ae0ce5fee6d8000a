#pragma once
/// The engine: streams blocks of agents through every strategy and time step, in parallel
/// over blocks, and returns one tally per strategy.
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "config/scenario.hpp"
#include "engine/microdata.hpp"
#include "engine/tallies.hpp"

namespace osteosim::engine {

/// Agents per block: a fixed size (never derived from the thread count), small enough
/// for a block's columns to stay in cache, large enough to amortise scheduling.
inline constexpr std::int64_t kDefaultBlockSize = 4096;

struct RunOptions {
  int threads = 0;  ///< 0 = all available
  /// If set, receives the number of Philox blocks the model consumed (scripts/bench uses it
  /// to measure the random-number floor of the same run).
  std::atomic<std::int64_t>* random_quads = nullptr;
  std::int64_t block_size = kDefaultBlockSize;
  /// Takes most agent-steps in SIMD lanes (engine/step_lanes.hpp) instead of the general
  /// step (model::simulate_step_after_start), with the same results bit for bit
  /// (tests/regression/test_engine_equivalence.cpp). Off by default: on this machine kind
  /// the lanes are 6-10 % slower over a whole run, since every agent's step-constant
  /// hazards are still computed scalar (docs/performance.md).
  bool step_lanes = false;
  std::uint32_t psa_draw = 0;
  /// Called (from one thread at a time) with the fraction of work done, after each block.
  std::function<void(double)> progress;

  // Hooks for interruption and checkpoints. The engine stays ignorant of signals and files:
  // the caller decides what a stop request is and where finished work is kept.

  /// Polled before each block; once it returns true no new block starts, running blocks
  /// finish (and are reported to on_block_done), and simulate() throws Interrupted.
  std::function<bool()> should_stop;
  /// True for blocks finished by an earlier run (restored from a checkpoint): not simulated,
  /// and not part of the returned tallies.
  std::function<bool(std::int64_t block)> skip_block;
  /// Called (from one thread at a time) after each block with that block's tallies alone,
  /// one per strategy. Exceptions it throws stop the run and are rethrown by simulate().
  std::function<void(std::int64_t block, const std::vector<Tallies>& block_tallies)>
      on_block_done;

  /// Event histories of the agents with id < microdata_agents (0 = none). The blocks holding
  /// them are handed, one per call, to on_block_microdata (one Microdata per strategy) in
  /// block order whatever the thread count, from one thread at a time; at most a few
  /// finished blocks per thread wait for an earlier one, so memory stays bounded. Skipped
  /// blocks are not reported. Exceptions it throws stop the run.
  std::int64_t microdata_agents = 0;
  std::function<void(std::int64_t block, const std::vector<Microdata>& per_strategy)>
      on_block_microdata;
};

/// Number of blocks a run of `agents` agents is cut into (block b holds agents
/// [b * block_size, (b + 1) * block_size)).
std::int64_t block_count(std::int64_t agents, std::int64_t block_size);

/// Who enters a block: the scenario's population at the start, or (open populations) the
/// new 50-year-olds of one sex in a later calendar year.
enum class EntryGroup { start, female_age50, male_age50 };

/// One block of a run: agents with ids [first_id, first_id + size) entering at `entry_step`.
struct BlockSpec {
  std::uint64_t first_id = 0;
  std::int64_t size = 0;
  int entry_step = 0;
  EntryGroup group = EntryGroup::start;
};

/// The blocks of a run, in index order: the starting population's blocks, then (open
/// populations) for each later calendar year its female then male entrants' blocks. Ids
/// and indices depend only on the scenario and block size, so checkpoints, MPI ranges and
/// random numbers are the same for any thread or rank count.
std::vector<BlockSpec> block_plan(const config::Scenario& scenario, std::int64_t block_size);

/// Number of blocks of the run (the size of block_plan), for checkpoints and MPI ranges.
std::int64_t block_count(const config::Scenario& scenario, std::int64_t block_size);

/// Agents that enter an open population at 50 in calendar year `year` (> start_year), of
/// one sex: the model's projection over persons_per_agent, rounded (deterministic).
std::int64_t entrant_agents(const config::Scenario& scenario, model::Sex sex, int year);

/// Real persons each agent stands for: the population the scenario describes (the model's
/// population table: the cohort's age and sex, or everyone 50+) over the number of agents.
double persons_per_agent(const config::Scenario& scenario);

/// Runs the scenario. All strategies see the same agents and random numbers (common random
/// numbers); the result is bit-identical for any thread count. Returns the tallies of the
/// blocks simulated by this call (all blocks unless skip_block says otherwise); throws
/// Interrupted when should_stop asked to stop.
std::vector<Tallies> simulate(const config::Scenario& scenario, const RunOptions& options);

}  // namespace osteosim::engine
