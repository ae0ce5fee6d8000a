#pragma once
/// What a run will cost, estimated before it starts: memory, time and the size of what it
/// writes. `osteosim check` prints it; `osteosim run` refuses absurd requests up front with
/// guidance instead of failing hours later (issue 9).
#include <cstdint>
#include <string>

#include "config/scenario.hpp"

namespace osteosim::engine {

struct RunEstimate {
  int threads = 1;
  double agent_years = 0;      ///< agents x years x strategies
  double memory_bytes = 0;     ///< peak: per-thread block state and tallies, totals, checkpoint
  double tally_bytes = 0;      ///< one copy of every strategy's tallies (= a checkpoint)
  /// What the result file takes at least: its text plus the tallies compressed (deflate
  /// rarely does better than 10:1 on count tables). Refusing below this is never wrong.
  double min_result_bytes = 0;
  double wall_seconds = 0;     ///< at a conservative per-thread throughput
};

/// Memory an agent's state takes in a block (all columns of model::Agents, with room to
/// grow as processes add columns): an upper bound, not a measurement.
inline constexpr double kBytesPerAgentState = 512;
/// Agent-years simulated per second by one thread, on the slow side (the natural-history
/// model runs ~5 million on a 2020s core; interventions add work). Times are upper bounds.
inline constexpr double kAgentYearsPerThreadSecond = 1e6;
/// Longest run osteosim starts: 7 days of wall time by the conservative estimate (which is
/// itself several times the typical time). Beyond that a run is better split or made smaller.
inline constexpr double kMaxWallSeconds = 7 * 24 * 3600.0;

/// Estimates a run of `scenario` on `threads` threads (0 = all cores).
RunEstimate estimate_run(const config::Scenario& scenario, int threads, std::int64_t block_size);

/// Human-readable summary, e.g. "memory ~12 MB, time up to ~3 min on 8 threads".
std::string describe(const RunEstimate& estimate);

/// Throws InputError, with what to change, when the run would need more memory than
/// `memory_available_bytes` or longer than kMaxWallSeconds.
void check_limits(const RunEstimate& estimate, double memory_available_bytes);

/// Physical memory of this machine, in bytes.
double physical_memory_bytes();

}  // namespace osteosim::engine
