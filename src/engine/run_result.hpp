#pragma once
/// Everything a finished run hands to output/: per-strategy tallies and provenance.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/psa.hpp"
#include "engine/psa_sizing.hpp"
#include "engine/tallies.hpp"

namespace osteosim::engine {

struct StrategyResult {
  std::string name;
  Tallies tallies;
};

/// Provenance and the facts needed to label the result (written as HDF5 attributes).
struct RunInfo {
  std::string scenario_name;
  std::string model_name;
  std::string population_kind;   ///< "cohort" or "cross_section"
  std::int64_t agents = 0;
  double persons_per_agent = 1;  ///< real people each agent stands for
  std::uint32_t seed = 0;
  int start_year = 0;            ///< calendar year of the first simulated year
  int years = 0;
  int time_step_months = 12;
  std::string resolved_yaml;     ///< resolved scenario(s) + model text
  std::string command_line;
  std::vector<std::string> input_files;      ///< every file read (scenarios, model, tables)
  std::vector<std::string> input_checksums;  ///< SHA-256 hex of each, same order
};

struct RunResult {
  RunInfo info;
  std::vector<StrategyResult> strategies;
  /// Base-case economics (perspective, currency, price year, rates) as run.
  model::EconomicsParameters economics;
  PsaResult psa;  ///< draws = 0 without a probabilistic sensitivity analysis
  PsaSizing psa_sizing;  ///< target_noise_share = 0 unless psa.noise_share sized the PSA
  OneWayResult one_way;  ///< run with the PSA; empty without one
  /// Base name of the finished spool of event histories (output::MicrodataSpool), or empty
  /// when the run recorded none.
  std::string microdata_spool;
};

}  // namespace osteosim::engine
