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
  double agent_years = 0;          ///< all simulated: base run, PSA draws and one-way runs
  double psa_agent_years = 0;      ///< of which PSA: draws x agents_per_draw x strategies x years
  double one_way_agent_years = 0;  ///< of which one-way runs (as many agents as a draw)
  double memory_bytes = 0;     ///< peak: per-thread block state and tallies, totals, checkpoint
  double tally_bytes = 0;      ///< one copy of every strategy's tallies (= a checkpoint)
  /// What the result file takes at least: its text plus the tallies compressed (deflate
  /// rarely does better than 10:1 on count tables). Refusing below this is never wrong.
  double min_result_bytes = 0;
  double wall_seconds = 0;  ///< all of agent_years at a conservative per-thread throughput
};

/// Memory an agent's state takes in a block (all columns of model::Agents, with room to
/// grow as processes add columns): an upper bound, not a measurement.
inline constexpr double kBytesPerAgentState = 512;
/// Agent-years simulated per second by one thread, on the slow side. Measured 2026-12-02 on
/// the 2-core CI machine kind, `osteosim run` of a copy of scenarios/us-women-screening-cea.yaml
/// (3 PSA draws, 2048 agents, 1 thread; 4.0e7 agent-years): 7.4 s of CPU time on an idle
/// machine (5.4e6 a second), 11.3 s under load 8 (3.6e6). 4e6 sits between them, a little
/// slow for a machine of one's own; a shared machine stretches the wall time further, which
/// no constant can know. tests/cli/estimate_psa.sh compares it with the CPU time of that
/// run (within 2x). It was 1e6 until then, 3.6 times slow, which no test compared with a
/// real run.
inline constexpr double kAgentYearsPerThreadSecond = 4e6;
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
