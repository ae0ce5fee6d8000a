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
  double memory_bytes = 0;         ///< peak: per-thread block state and tallies, totals, checkpoint
  double tally_bytes = 0;          ///< one copy of every strategy's tallies (= a checkpoint)
  /// What the result file takes at most: every dataset uncompressed (deflate never makes
  /// data much larger, but may not shrink it), each object's HDF5 overhead, the text, and
  /// the event histories at kMaxEventsPerAgentYear (an estimate with a margin, see there).
  /// tests/unit/test_estimate_files.cpp compares it with real files of every kind of run.
  double max_result_bytes = 0;
  /// What the checkpoint takes at most (it holds every tally uncompressed, and it exists
  /// next to the result while the result is written).
  double checkpoint_bytes = 0;
  /// The event spool files next to the result until it is written (raw rows), and the
  /// largest of them (one per strategy and table).
  double spool_bytes = 0;
  double largest_spool_file_bytes = 0;
  /// Disk space the run needs at its peak: result, checkpoint and spools together.
  double max_disk_bytes() const { return max_result_bytes + checkpoint_bytes + spool_bytes; }
  /// The largest single file it writes (what a file-size limit, ulimit -f, must allow).
  double max_file_bytes() const;
  double wall_seconds = 0;  ///< all of agent_years at a conservative per-thread throughput
};

/// Event rows per agent and year of follow-up the event-history sizes assume: measured
/// 0.46 (natural history, us-women-cohort-50), 0.62 (us-women-screening-policies, entry
/// rows included) and 0.53 (us-population-2025), 2026-12-02. Events are random, so event
/// histories are the one part of max_result_bytes that is an estimate with a margin (this
/// one and the stored row size's), not a bound.
inline constexpr double kMaxEventsPerAgentYear = 1.0;

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
