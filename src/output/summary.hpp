#pragma once
/// `osteosim summary`: the headline numbers of a result file, as a struct (for tests and
/// other tools) and as compact text tables.
#include <array>
#include <ostream>
#include <string>
#include <vector>

#include "model/types.hpp"
#include "output/result_reader.hpp"

namespace osteosim::output {

using BySex = std::array<double, model::kSexes>;
using BySexSite = std::array<std::array<double, model::kSites>, model::kSexes>;

/// One strategy's totals over the run and the measures derived from them. Ratios with a
/// zero denominator are NaN.
struct StrategySummary {
  std::string name;
  BySexSite fractures{};              ///< simulated fractures over the run
  BySexSite fractures_scaled{};       ///< fractures x persons_per_agent
  BySex initial_population{};         ///< agents alive at the start of the first year
  std::string entry_age_bands;        ///< age bands populated then, e.g. "50-54" or "50-100+"
  BySex survivors{};                  ///< agents alive at the end of the last year
  BySex person_years{};
  BySex deaths{};
  BySex deaths_after_fracture{};
  /// Cohorts: 100 x sum over years of first fractures / initial population. This is the
  /// remaining lifetime risk from entry once the cohort has died out, else the risk over
  /// the follow-up.
  BySexSite first_fracture_risk_percent{};
  BySex any_clinical_risk_percent{};  ///< same, for a first clinical fracture at any site
  /// By process: upper bound of the risk of any fracture of the process, its sites'
  /// first-fracture risks added (for vertebral, clinical + silent: an agent with both counts
  /// twice; exact for a process with one site).
  std::array<BySex, model::kFractureProcesses> process_risk_upper_bound_percent{};
  /// Cohorts: sum of person-years / initial population, truncated at the follow-up.
  BySex life_expectancy_years{};
  BySexSite incidence_per_100k{};             ///< over the whole run
  BySexSite incidence_first_year_per_100k{};  ///< in the first simulated year
};

/// The header of a result file and the summary of each strategy, in file order.
struct SummaryNumbers {
  ResultHeader header;
  std::vector<StrategySummary> strategies;
};

/// Computes the summary measures of an already-read result file.
SummaryNumbers summarize(const ResultFile& file);

/// Reads `path` (see read_result_file for the errors) and summarizes it.
SummaryNumbers read_summary_numbers(const std::string& path);

/// Prints the run header and, per strategy, fractures by site and sex (simulated and
/// population estimate), cohort risks and life expectancy or cross-section incidence,
/// and deaths. Throws InputError for a file that is not a readable result file.
void print_summary(const std::string& path, std::ostream& out);

}  // namespace osteosim::output
