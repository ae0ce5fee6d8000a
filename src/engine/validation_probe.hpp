#pragma once
/// Validation probe: follows a cohort agent by agent and counts what the run tallies cannot
/// give (they aggregate by year, sex, age band and site): death after a first hip fracture,
/// a new clinical fracture after a first one, and femoral-neck osteoporosis by age. Integer
/// counts only, so the result is identical for any thread count. Used by the validation
/// tests (tests/validation) and by `osteosim validate-probe` (scripts/validate).
#include <array>
#include <cstdint>

#include "config/scenario.hpp"

namespace osteosim::engine {

/// Osteoporosis prevalence age groups: 50-59, 60-69, 70-79, 80+ (NHANES reporting bands).
inline constexpr int kProbeAgeGroups = 4;

struct ProbeCounts {
  /// First hip fractures at age >= 65 with a full year of follow-up left in the run, and
  /// deaths within 0.5 and 1 year of them (Medicare-age comparators). By sex.
  std::array<std::int64_t, 2> hip_fractures_65_plus{};
  std::array<std::int64_t, 2> deaths_within_half_year_of_hip{};
  std::array<std::int64_t, 2> deaths_within_year_of_hip{};
  /// First clinical fractures at age >= 65 with 5 years of follow-up left, and those with a
  /// new clinical fracture from 30 days to 1, 2 and 5 years after (Balasubramanian 2019
  /// design: cumulative incidence, death a competing risk). By sex.
  std::array<std::int64_t, 2> first_clinical_65_plus{};
  std::array<std::array<std::int64_t, 3>, 2> subsequent_within{};  ///< [sex][1 y, 2 y, 5 y]
  /// Women alive at the start of each simulated year, by age group, and those with a
  /// femoral-neck T-score <= -2.5 (person-year weighted prevalence).
  std::array<std::int64_t, kProbeAgeGroups> women_observed{};
  std::array<std::int64_t, kProbeAgeGroups> women_osteoporotic{};

  void merge(const ProbeCounts& other);
};

/// Runs the probe on `scenario` (a cohort; the first strategy). Same agents and random
/// numbers as `osteosim run`.
ProbeCounts run_validation_probe(const config::Scenario& scenario, int threads);

}  // namespace osteosim::engine
