#pragma once
/// Reads a result file written by write_results back into plain arrays, validating that
/// it is one (format, version, shapes) so that callers can trust the numbers.
#include <cstdint>
#include <string>
#include <vector>

namespace osteosim::output {

/// The run-level attributes of a result file.
struct ResultHeader {
  std::string scenario;
  std::string model;
  std::string population_kind;  ///< "cohort", "cross_section", ...
  std::int64_t agents = 0;
  double persons_per_agent = 1;
  std::int64_t seed = 0;
  int start_year = 0;
  int years = 0;
  int time_step_months = 12;
  std::string osteosim_version;
  std::string git_commit;
  std::string created;
  std::string command_line;
};

/// One strategy's arrays, row-major as in engine::Tallies: [year][sex][age_band](site).
struct StrategyArrays {
  std::string name;
  std::vector<std::int64_t> fractures;
  std::vector<std::int64_t> first_fractures;
  std::vector<std::int64_t> first_any_fracture;
  std::vector<std::int64_t> deaths;
  std::vector<std::int64_t> deaths_after_fracture;
  std::vector<std::int64_t> population;
  std::vector<std::int64_t> falls;
  std::vector<double> person_years;
};

/// The contents of a result file that the summary needs.
struct ResultFile {
  ResultHeader header;
  std::vector<StrategyArrays> strategies;
};

/// Opens `path` read-only and reads it. Throws InputError when the file is missing, not
/// HDF5, truncated or damaged, not an osteosim result file, or of an unsupported version.
ResultFile read_result_file(const std::string& path);

}  // namespace osteosim::output
