#include "output/hdf5_writer.hpp"

#include <array>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/version.hpp"
#include "output/declared_group.hpp"
#include "output/economics_writer.hpp"
#include "output/file_seal.hpp"
#include "output/hdf5_file.hpp"
#include "output/microdata_writer.hpp"
#include "output/output_path.hpp"
#include "output/paired_interval.hpp"
#include "output/result_format.hpp"
#include "output/sha256.hpp"

namespace osteosim::output {

namespace {

using engine::RunInfo;
using engine::RunResult;
using engine::Tallies;

static_assert(h5::kUserBlockBytes == kSealBytes, "the seal fills the HDF5 user block");

// To add a dataset: declare it once in result_variables.cpp (dims, type, units, meaning),
// then write it here through DeclaredGroup; `osteosim describe` and docs/outputs.md follow.

std::vector<std::string> labels(std::span<const std::string_view> names) {
  return {names.begin(), names.end()};
}

/// The coordinate variables of one strategy group: real HDF5 dimension scales named
/// like their dimension, so each group opens standalone in xarray and ncdump.
void write_coordinates(DeclaredGroup& group, const RunInfo& info) {
  std::vector<std::int32_t> years(static_cast<std::size_t>(info.years));
  for (std::size_t i = 0; i < years.size(); ++i) {
    years[i] = info.start_year + static_cast<std::int32_t>(i);
  }
  std::vector<std::string> bands;
  std::vector<std::int32_t> band_starts;
  for (int band = 0; band < model::kAgeBands; ++band) {
    bands.push_back(age_band_label(band));
    band_starts.push_back(age_band_start(band));
  }
  group.coordinate("year", years);
  group.coordinate("sex", labels(model::kSexNames));
  group.coordinate("age_band", bands);
  group.coordinate("site", labels(model::kSiteNames));
  group.coordinate("drug", labels(model::kDrugNames));
  group.coordinate("programme", labels(model::kProgrammeNames));
  group.coordinate("outcome", labels(engine::kOutcomeNames));
  group.auxiliary_coordinate("age", band_starts);
}

std::vector<double> ticks_to_years(const std::vector<std::int64_t>& ticks) {
  std::vector<double> years(ticks.size());
  for (std::size_t i = 0; i < years.size(); ++i) {
    years[i] = static_cast<double>(ticks[i]) / engine::kTicksPerYear;
  }
  return years;
}

/// Screening, treatment and programme counts, and the paired comparison with the first
/// strategy with its Monte Carlo interval.
void write_interventions(DeclaredGroup& group, const Tallies& t) {
  group.attribute("blocks", t.blocks.at(0));
  group.variable("screened", t.screened);
  group.variable("persons_screened", t.persons_screened);
  group.variable("dxa_scans", t.dxa_scans);
  group.variable("persons_treated", t.persons_treated);
  group.variable("treatment_starts", t.treatment_starts);
  group.variable("treated_person_years", ticks_to_years(t.treated_time_ticks));
  group.variable("adverse_events", t.adverse_events);
  group.variable("programme_starts", t.programme_starts);
  group.variable("block_fractures_sum", t.block_fractures_sum);
  group.variable("block_fractures_sum_squares", t.block_fractures_sum_squares);
  group.variable("paired_difference_sum", t.paired_difference_sum);
  group.variable("paired_difference_sum_squares", t.paired_difference_sum_squares);
  std::vector<double> averted(engine::kOutcomes), low(engine::kOutcomes), high(engine::kOutcomes);
  for (int k = 0; k < engine::kOutcomes; ++k) {
    // Averted = minus the paired difference (strategy - comparator).
    const McInterval d = block_total_interval(t.paired_difference_sum[k],
                                              t.paired_difference_sum_squares[k], t.blocks[0]);
    averted[k] = -d.total;
    low[k] = -d.high;
    high[k] = -d.low;
  }
  group.variable("fractures_averted", averted);
  group.variable("fractures_averted_low", low);
  group.variable("fractures_averted_high", high);
}

void write_strategy(hid_t strategies, const engine::StrategyResult& strategy, const RunInfo& info,
                    const std::string& currency) {
  const Tallies& t = strategy.tallies;
  const h5::Handle handle = h5::create_group(strategies, strategy.name);
  DeclaredGroup group(handle.get(), std::string(kStrategyGroupPattern), currency);
  group.attribute("strategy", strategy.name);
  write_coordinates(group, info);

  group.variable("fractures", t.fractures);
  group.variable("first_fractures", t.first_fractures);
  group.variable("first_any_fracture", t.first_any_fracture);
  group.variable("deaths", t.deaths);
  group.variable("deaths_after_fracture", t.deaths_after_fracture);
  group.variable("population", t.population);
  group.variable("falls", t.falls);

  std::vector<double> person_years(t.person_time_ticks.size());
  for (std::size_t i = 0; i < person_years.size(); ++i) {
    person_years[i] = static_cast<double>(t.person_time_ticks[i]) / engine::kTicksPerYear;
  }
  group.variable("person_years", person_years);

  std::vector<double> scaled(t.fractures.size());
  std::vector<double> incidence(t.fractures.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < t.fractures.size(); ++i) {
    const auto count = static_cast<double>(t.fractures[i]);
    const double py = person_years[i / model::kSites];
    scaled[i] = count * info.persons_per_agent;
    // No person-time, no rate: NaN (the _FillValue) rather than a made-up zero.
    incidence[i] = py > 0 ? count / py * 1e5 : nan;
  }
  group.variable("fractures_scaled", scaled);
  group.variable("incidence_per_100k", incidence, &nan);
  write_interventions(group, t);
  write_strategy_economics(group, t);
  group.check_complete();
}

void write_config(hid_t file, const RunInfo& info) {
  std::vector<std::string> checksums = info.input_checksums;
  if (checksums.empty()) {
    for (const std::string& input : info.input_files) checksums.push_back(sha256_file_hex(input));
  }
  if (checksums.size() != info.input_files.size()) {
    throw std::logic_error("write_results: input_checksums and input_files differ in length");
  }
  const h5::Handle handle = h5::create_group(file, kConfigGroup);
  DeclaredGroup config(handle.get(), std::string("/") + kConfigGroup);
  config.strings("scenario_yaml", {info.resolved_yaml});
  config.coordinate("input_files", info.input_files);
  config.strings("input_sha256", checksums);
  config.check_complete();
}

void write_root_attributes(hid_t file, const RunInfo& info) {
  DeclaredGroup root(file, "/");
  root.attribute("format", std::string_view(kFormatName));
  root.attribute("format_version", std::int32_t{kFormatVersion});
  root.attribute("osteosim_version", version());
  root.attribute("git_commit", git_commit());
  root.attribute("compiler", compiler());
  root.attribute("created", utc_now_iso8601());
  root.attribute("command_line", info.command_line);
  // The seed is unsigned 32-bit; int64 keeps its value and reads as an integer in R too.
  root.attribute("seed", std::int64_t{info.seed});
  root.attribute("agents", std::int64_t{info.agents});
  root.attribute("persons_per_agent", info.persons_per_agent);
  root.attribute("scenario", info.scenario_name);
  root.attribute("model", info.model_name);
  root.attribute("population_kind", info.population_kind);
  root.attribute("start_year", std::int32_t{info.start_year});
  root.attribute("years", std::int32_t{info.years});
  root.attribute("time_step_months", std::int32_t{info.time_step_months});
  root.check_complete();
}

// The engine's contract with us; a mismatch is a programming error, not bad input.
void check_shapes(const RunResult& result) {
  if (result.info.years < 0) throw std::logic_error("write_results: negative number of years");
  for (const engine::StrategyResult& s : result.strategies) {
    if (s.tallies.years != result.info.years) {
      throw std::logic_error("write_results: strategy '" + s.name + "' has " +
                             std::to_string(s.tallies.years) + " years of tallies, run has " +
                             std::to_string(result.info.years));
    }
    if (s.name.empty() || s.name == "." || s.name.find('/') != std::string::npos) {
      throw InputError("strategy name '" + s.name +
                       "' cannot name a group in the result file (empty, '.' or contains '/')");
    }
  }
}

}  // namespace

void write_results(const std::string& path, const RunResult& result, bool force) {
  check_shapes(result);
  check_output_path(path, force);
  // Declared before the file handle, so the file is closed before the guard removes it.
  TemporaryOutput temporary(path);
  h5::Handle file = h5::create_file(temporary.path());
  write_root_attributes(file.get(), result.info);
  write_config(file.get(), result.info);
  {
    const h5::Handle strategies = h5::create_group(file.get(), kStrategiesGroup);
    for (std::size_t s = 0; s < result.strategies.size(); ++s) {
      write_strategy(strategies.get(), result.strategies[s], result.info,
                     result.economics.currency);
      if (!result.microdata_spool.empty()) {
        const h5::Handle group = h5::open_group(strategies.get(), result.strategies[s].name);
        write_microdata(group.get(), result.microdata_spool, s);
      }
    }
  }
  write_analysis(file.get(), result);
  file.close("'" + temporary.path() + "'");
  seal_file(temporary.path());
  temporary.commit();
}

}  // namespace osteosim::output
