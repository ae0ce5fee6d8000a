#pragma once
/// Calibration of the baseline hazards: multipliers by age band and sex, fitted so that a
/// simulated population reproduces the model's own target tables —
///   - fracture incidence of each process, compared on its calibrated site of the site
///     registry (hip, clinical vertebral, wrist): the incidence tables;
///   - all-cause mortality: the life table (which already contains the deaths of people who
///     fractured, so background + post-fracture excess must add up to it, not exceed it).
/// The fit is a fixed-point iteration m <- m * target / simulated on one fixed-seed run per
/// iteration (common random numbers make the map smooth enough to converge to within the
/// discreteness of the event counts).
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "engine/simulation.hpp"
#include "model/age_table.hpp"

namespace osteosim::engine {

/// Quantities fitted, in the order of CalibrationResult::multipliers: one per fracture
/// process (quantity k = process k, named after its calibrated site), then mortality.
enum class CalibratedQuantity : int { mortality = model::kFractureProcesses };
inline constexpr int kCalibratedQuantities = model::kFractureProcesses + 1;
constexpr CalibratedQuantity fracture_quantity(int process) {
  return static_cast<CalibratedQuantity>(process);
}
inline constexpr std::array<std::string_view, kCalibratedQuantities> kCalibratedQuantityNames = [] {
  std::array<std::string_view, kCalibratedQuantities> names{};
  for (int k = 0; k < model::kFractureProcesses; ++k) {
    names[k] = model::site_entry(model::calibrated_site(k)).name;
  }
  names[model::kFractureProcesses] = "mortality";
  return names;
}();

struct CalibrationSettings {
  int max_iterations = 30;
  /// A cell is fitted when |simulated / target - 1| <= tolerance, or when simulated and
  /// expected event counts differ by at most 1 + sqrt(expected) / 2 events (half a Monte
  /// Carlo SE: the resolution of one fixed seed, since every multiplier moves every cell).
  double tolerance = 0.005;
  /// Multipliers are kept within [1/limit, limit]: a cell that needs more signals a model
  /// that cannot reproduce its target, which the record reports instead of hiding.
  double multiplier_limit = 20;
};

/// One fitted cell: a site (or mortality), sex and age band [age_from, age_to).
struct CalibrationCell {
  CalibratedQuantity quantity;
  model::Sex sex;
  double age_from = 0;
  double age_to = 0;           ///< 1e9 for an open band
  double target_per_year = 0;  ///< incidence or death rate per person-year
  double simulated_per_year = 0;
  std::int64_t events = 0;
  double person_years = 0;
  double multiplier = 1;  ///< used in the run that gave simulated_per_year
  bool fitted = false;    ///< within CalibrationSettings::tolerance (or one event)
};

struct CalibrationIteration {
  double max_abs_log_ratio = 0;  ///< over cells with events
  int cells_not_fitted = 0;
};

struct CalibrationResult {
  /// Fitted multiplier tables (keys = band lower bounds), by CalibratedQuantity.
  std::array<model::AgeTable, kCalibratedQuantities> multipliers;
  std::vector<CalibrationCell> cells;  ///< the final fit (simulated with the final multipliers)
  std::vector<CalibrationIteration> iterations;
  bool converged = false;
};

/// The fit's resolution in events for a cell expecting `expected_events`: half a Monte Carlo
/// SE (Poisson, sqrt(expected)) plus one event.
double fit_resolution_events(double expected_events);

/// The fit's convergence criterion for one cell: |simulated / target - 1| <= tolerance, or the
/// simulated and expected event counts within fit_resolution_events. The validation tests
/// assert it on the shipped tables.
bool cell_fitted(const CalibrationCell& cell, double tolerance);

/// Target death rate per person-year in [age_from, age_to): for a cross-section, the
/// life-table hazards -ln(1 - qx) weighted by `population` (persons by single year); for a
/// cohort (population == nullptr) followed from the life table's first age, deaths d_x over
/// person-years L_x = l_x - d_x / 2.
double life_table_band_rate(const model::AgeTable& qx, model::Sex sex, double age_from,
                            double age_to, const model::AgeTable* population);

/// Fits the multipliers on `scenario` (which must have one strategy). Every multiplier
/// starts at 1, whatever tables the model already has, so the result depends only on the
/// targets, the model, the seed and the number of agents: re-running reproduces it.
/// `on_iteration` is called after each run.
CalibrationResult calibrate(
    const config::Scenario& scenario, const RunOptions& options,
    const CalibrationSettings& settings,
    const std::function<void(int, const CalibrationIteration&)>& on_iteration);

}  // namespace osteosim::engine
