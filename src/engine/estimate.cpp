#include "engine/estimate.hpp"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/error.hpp"
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
  if (seconds < 120) std::snprintf(text, sizeof text, "%.0f s", std::ceil(seconds));
  else if (seconds < 7200) std::snprintf(text, sizeof text, "%.0f min", std::ceil(seconds / 60));
  else if (seconds < 172800) std::snprintf(text, sizeof text, "%.0f h", std::ceil(seconds / 3600));
  else std::snprintf(text, sizeof text, "%.0f days", std::ceil(seconds / 86400));
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
  e.psa_agent_years = static_cast<double>(scenario.psa.draws) * per_run;
  e.one_way_agent_years = static_cast<double>(one_way_runs(scenario)) * per_run;
  e.agent_years += e.psa_agent_years + e.one_way_agent_years;
}

}  // namespace

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
  double cells = 0;
  // A named object: in a range-for, a temporary Tallies would die before its columns are read.
  const Tallies shape(scenario.years);
  for (const auto* column : shape.columns()) cells += static_cast<double>(column->size());
  e.tally_bytes = cells * sizeof(std::int64_t) * strategies;
  e.min_result_bytes = static_cast<double>(scenario.resolved_yaml.size()) + e.tally_bytes / 10;
  // Event histories: an entry row per sampled agent and strategy, and events at about 0.5
  // a year in the default model (falls mostly): 0.1 row per year is a safe floor. Each row
  // takes 40 bytes in the spool, which exists next to the result until it is copied.
  const double sampled = static_cast<double>(
      std::min(scenario.microdata_agents, scenario.population.agents));
  e.min_result_bytes += sampled * strategies * (1 + 0.1 * scenario.years) * 40;
  // Each thread: one block of agents, its own tallies and the block's tallies; the run:
  // totals, the checkpoint's copy and the result being written.
  e.memory_bytes = e.threads * (static_cast<double>(block_size) * kBytesPerAgentState + 2 * e.tally_bytes) +
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
  return static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

}  // namespace osteosim::engine
