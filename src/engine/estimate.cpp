#include "engine/estimate.hpp"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/error.hpp"
#include "engine/microdata.hpp"
#include "engine/psa.hpp"
#include "engine/simulation.hpp"
#include "engine/tallies.hpp"

namespace osteosim::engine {

namespace {

std::string bytes_text(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  int u = 0;
  while (bytes >= 1024 && u < 5) {
    bytes /= 1024;
    ++u;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.0f %s", std::ceil(bytes), units[u]);
  return text;
}

std::string duration_text(double seconds) {
  char text[48];
  if (seconds < 120)
    std::snprintf(text, sizeof text, "%.0f s", std::ceil(seconds));
  else if (seconds < 7200)
    std::snprintf(text, sizeof text, "%.0f min", std::ceil(seconds / 60));
  else if (seconds < 172800)
    std::snprintf(text, sizeof text, "%.0f h", std::ceil(seconds / 3600));
  else
    std::snprintf(text, sizeof text, "%.0f days", std::ceil(seconds / 86400));
  return text;
}

/// The PSA draws and one-way runs simulate every strategy on agents_per_draw agents each;
/// for the shipped CEA they are over 20 times the base run's work, so leaving them out made
/// `check` promise seconds for a run of many minutes and let `run` start absurd PSAs.
void add_sensitivity_analyses(const config::Scenario& scenario, double years_per_agent,
                              RunEstimate& e) {
  if (scenario.psa.draws <= 0) return;  // command_run runs the one-way analysis with the PSA
  const double per_run = static_cast<double>(scenario.psa.agents_per_draw) * years_per_agent *
                         static_cast<double>(scenario.strategies.size());
  // A PSA sized for psa.noise_share first runs its pilot; the sized PSA is counted at the
  // pilot's size (its own size is known only after the pilot).
  const auto draws =
      scenario.psa.draws + (scenario.psa.noise_share > 0 ? scenario.psa.pilot_draws : 0);
  e.psa_agent_years = static_cast<double>(draws) * per_run;
  e.one_way_agent_years = static_cast<double>(one_way_runs(scenario)) * per_run;
  e.agent_years += e.psa_agent_years + e.one_way_agent_years;
}

constexpr double kCellBytes = 8;  // every tally and dataset value: int64 or float64

double tally_cells(const Tallies& shape) {
  double cells = 0;
  for (const auto* column : shape.columns()) cells += static_cast<double>(column->size());
  return cells;
}

// HDF5 overhead of the result file's objects, measured 2026-12-02 with h5stat on files of
// the current format (HDF5 1.10 bounds, a 512-byte seal): a one-strategy cohort file of 600
// agents is 126 KB (59 KB of metadata, 48 KB unaccounted - mostly the global heap of the
// string coordinates - and 19 KB of compressed data); each further strategy adds about
// 62 KB (us-women-screening-policies: 6 strategies, 415 KB). The constants below take
// about twice that. (The 1.8 format's v1 B-trees took 150 KB a strategy.)
constexpr double kFileOverheadBytes = 64e3;
constexpr double kStrategyOverheadBytes = 128e3;
constexpr double kAnalysisOverheadBytes = 128e3;   // /analysis/{psa,one_way,cea,evppi}
constexpr double kEventTableOverheadBytes = 64e3;  // the events and baseline groups
/// A string in a variable-length dataset: its bytes plus the global heap's record.
constexpr double kStringOverheadBytes = 64;
/// The result's event and baseline rows as stored: measured 2026-12-02 at 16-18 bytes an
/// event row (two float64 columns that barely compress, the others that do: agent ids in
/// order, 24-byte labels) and about 60 a baseline row, here with a margin of 2.5-3 (96 and
/// 208 uncompressed: a true bound would be 5 times the file). With the event rate below
/// (itself an estimate), this part of max_result_bytes is an estimate, not a bound.
constexpr double kEventRowBytes = 48;
constexpr double kBaselineRowBytes = 160;
/// ... and the spool's raw rows (sizeof EventRow, BaselineRow).
constexpr double kSpoolEventRowBytes = sizeof(EventRow);
constexpr double kSpoolBaselineRowBytes = sizeof(BaselineRow);
/// Points of the willingness-to-pay grid of /analysis/cea and /analysis/evppi (61 today).
constexpr double kMaxWtpPoints = 128;
constexpr double kLabelBytes = 128 + kStringOverheadBytes;  // a strategy or parameter name

/// The text of the file: the resolved scenario, input file names and their SHA-256.
double text_bytes(const config::Scenario& scenario) {
  double bytes = static_cast<double>(scenario.resolved_yaml.size()) + kStringOverheadBytes;
  for (const auto& file : scenario.input_files) {
    bytes += static_cast<double>(file.size()) + 64 + 2 * kStringOverheadBytes;
  }
  return bytes;
}

/// One strategy group: each tally column as one dataset, fractures twice more (scaled and
/// per 100,000) and its HDF5 overhead.
double strategy_bytes(const Tallies& shape) {
  return (tally_cells(shape) + 2 * static_cast<double>(shape.fractures.size())) * kCellBytes +
         kStrategyOverheadBytes;
}

/// /analysis: per PSA draw and one-way run a handful of numbers per strategy and the drawn
/// values; per willingness-to-pay point the CEAC, NMB and EVPPI curves.
double analysis_bytes(const config::Scenario& scenario) {
  if (scenario.psa.draws <= 0) return 0;
  const auto strategies = static_cast<double>(scenario.strategies.size());
  double parameters = 0;
  for (const auto& u : scenario.uncertainty) parameters += static_cast<double>(u.size());
  const auto runs = static_cast<double>(scenario.psa.draws + one_way_runs(scenario));
  const double values = runs * (8 * strategies + parameters + 4) +
                        kMaxWtpPoints * (4 * strategies + 2 * parameters + 4) + 32 * strategies;
  return values * kCellBytes + (strategies + parameters) * kLabelBytes + kAnalysisOverheadBytes;
}

/// The checkpoint: every tally with its length, a flag per block, a small header.
double checkpoint_bytes(const Tallies& shape, double strategies, std::int64_t blocks) {
  const double columns = static_cast<double>(shape.columns().size());
  return (tally_cells(shape) + columns) * kCellBytes * strategies + static_cast<double>(blocks) +
         1024;
}

/// Result, checkpoint and event spool sizes (see RunEstimate).
void add_file_sizes(const config::Scenario& scenario, const Tallies& shape, std::int64_t block_size,
                    RunEstimate& e) {
  const auto strategies = static_cast<double>(scenario.strategies.size());
  e.max_result_bytes = kFileOverheadBytes + text_bytes(scenario) +
                       strategies * strategy_bytes(shape) + analysis_bytes(scenario);
  e.checkpoint_bytes = checkpoint_bytes(shape, strategies, block_count(scenario, block_size));
  const auto sampled =
      static_cast<double>(std::min(scenario.microdata_agents, scenario.population.agents));
  if (sampled <= 0) return;
  // An entry row per agent, then events through follow-up (at most `years` for anyone).
  const double events = sampled * (1 + kMaxEventsPerAgentYear * scenario.years);
  e.max_result_bytes += strategies * (events * kEventRowBytes + sampled * kBaselineRowBytes +
                                      kEventTableOverheadBytes);
  e.largest_spool_file_bytes =
      std::max(events * kSpoolEventRowBytes, sampled * kSpoolBaselineRowBytes);
  e.spool_bytes = strategies * (events * kSpoolEventRowBytes + sampled * kSpoolBaselineRowBytes);
}

}  // namespace

double RunEstimate::max_file_bytes() const {
  return std::max({max_result_bytes, checkpoint_bytes, largest_spool_file_bytes});
}

RunEstimate estimate_run(const config::Scenario& scenario, int threads, std::int64_t block_size) {
  RunEstimate e;
  e.threads = threads > 0 ? threads : omp_get_max_threads();
  const double strategies = static_cast<double>(scenario.strategies.size());
  // Open populations: each year's entrants add agents followed for the rest of the run.
  const int steps_per_year = 12 / scenario.time_step_months;
  double agent_years = 0;
  for (const auto& block : block_plan(scenario, block_size)) {
    agent_years += static_cast<double>(block.size) *
                   (scenario.years - static_cast<double>(block.entry_step) / steps_per_year);
  }
  e.agent_years = agent_years * strategies;
  // The PSA and one-way runs follow agents_per_draw agents as the base run follows its own.
  const auto agents = static_cast<double>(std::max<std::int64_t>(1, scenario.population.agents));
  add_sensitivity_analyses(scenario, agent_years / agents, e);
  const Tallies shape(scenario.years);  // named: a temporary would die before its columns are read
  e.tally_bytes = tally_cells(shape) * kCellBytes * strategies;
  add_file_sizes(scenario, shape, block_size, e);
  // Each thread: one block of agents, its own tallies and the block's tallies; the run:
  // totals, the checkpoint's copy and the result being written.
  e.memory_bytes =
      e.threads * (static_cast<double>(block_size) * kBytesPerAgentState + 2 * e.tally_bytes) +
      3 * e.tally_bytes;
  e.wall_seconds = e.agent_years / (kAgentYearsPerThreadSecond * e.threads);
  return e;
}

std::string describe(const RunEstimate& e) {
  char agent_years[32];
  std::snprintf(agent_years, sizeof agent_years, "%.3g", e.agent_years);
  std::string text = std::string(agent_years) + " agent-years";
  if (e.psa_agent_years > 0) {
    char analyses[96];
    std::snprintf(analyses, sizeof analyses, " (PSA %.3g, one-way %.3g)", e.psa_agent_years,
                  e.one_way_agent_years);
    text += analyses;
  }
  return text + "; memory ~" + bytes_text(e.memory_bytes) + "; time up to ~" +
         duration_text(e.wall_seconds) + " on " + std::to_string(e.threads) + " thread" +
         (e.threads == 1 ? "" : "s") + "; result data ~" + bytes_text(e.tally_bytes);
}

void check_limits(const RunEstimate& e, double memory_available_bytes) {
  if (e.memory_bytes > memory_available_bytes) {
    throw InputError("this run needs about " + bytes_text(e.memory_bytes) + " of memory but " +
                     bytes_text(memory_available_bytes) +
                     " is available: run fewer strategies per file or fewer years, or use "
                     "fewer --threads (each thread keeps its own tallies)");
  }
  if (e.wall_seconds > kMaxWallSeconds) {
    throw InputError("this run would take up to ~" + duration_text(e.wall_seconds) + " (" +
                     describe(e) +
                     "), more than the 7 days osteosim starts: use fewer --agents (the Monte "
                     "Carlo error falls only with their square root), fewer psa.draws or "
                     "psa.agents_per_draw, fewer strategies or years, or more threads");
  }
}

double physical_memory_bytes() {
  return static_cast<double>(::sysconf(_SC_PHYS_PAGES)) *
         static_cast<double>(::sysconf(_SC_PAGESIZE));
}

}  // namespace osteosim::engine
