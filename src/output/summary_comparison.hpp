#pragma once
/// The policy comparison of `osteosim summary`: per strategy, screening and treatment
/// volumes, and versus the first strategy (the comparator) fractures averted with 95% Monte
/// Carlo intervals from the paired block differences, and numbers needed to screen/treat.
#include <array>
#include <ostream>
#include <string>
#include <vector>

#include "engine/tallies.hpp"
#include "output/paired_interval.hpp"

namespace osteosim::output {

struct StrategyComparison {
  std::string name;
  double persons_screened = 0;
  double screenings = 0;
  double dxa_scans = 0;
  double persons_treated = 0;
  std::array<double, model::kDrugs> treated_person_years{};
  std::array<double, model::kDrugs> adverse_events{};
  std::array<double, model::kProgrammes> programme_starts{};
  /// Fractures averted vs the comparator (simulated agents), by outcome.
  std::array<McInterval, engine::kOutcomes> averted{};
  /// Variance of the difference had the strategies been simulated with independent random
  /// numbers (sum of the two strategies' block variances) over its variance with common
  /// random numbers (the paired block variance), for all clinical fractures.
  double crn_variance_ratio = 0;
  /// Persons screened (treated) per clinical fracture averted; NaN if none averted.
  double number_needed_to_screen = 0;
  double number_needed_to_treat = 0;
};

/// Reads the comparison datasets of every strategy; empty for files written before
/// interventions existed (they lack the datasets).
std::vector<StrategyComparison> read_strategy_comparisons(const std::string& path);

/// Prints the comparison (nothing when the file has a single strategy or no datasets).
void print_comparison(const std::string& path, double persons_per_agent, std::ostream& out);

}  // namespace osteosim::output
