// `osteosim calibrate`'s fit (engine::calibrate) recovers multipliers that are known by
// construction.
//
// Construction. calibrate fits m per (quantity, sex, 5-year band) so that a simulation whose
// hazards are table x m reproduces the table; it reads its targets from the same tables that
// set the hazards, so the right answer is not simply m* for any one table. Instead:
//   1. "Truth": the fixture model's tables T with known multipliers m* (0.7, 1 or 1.4, differing
//      by band, sex and quantity) is simulated as a cross-section (seed A). Its simulated rates
//      S per cell (fractures of each calibrated site, deaths, per person-year) become:
//   2. the targets of a second model, identical except that its incidence tables are S and its
//      life table is qx = 1 - exp(-S) (so that the cross-section's target death rate,
//      life_table_band_rate, is S exactly), calibrated from multipliers 1 with seed B.
// In this model the hazard of a cell is S x m. The model's behaviour depends on its tables only
// through these products (checked below: entry histories, which read the incidence tables
// directly, are switched off), so m = T x m* / S gives the truth's process exactly, whose
// expected rates are the targets S up to the truth run's noise: calibrate must return it.
// The test reads that back as m* = m x S / T.
//
// Tolerance. Per cell, ln(m x S / T) - ln m* = e_A - e_B + r: e_A, e_B the relative Monte Carlo
// errors of the truth's and the fit's event counts (Poisson, var 1/events, times an
// overdispersion allowance for one agent's repeat fractures), r the residual the fit may leave
// (engine::cell_fitted: |r| <= tolerance or (1 + sqrt(expected) / 2) / expected). For a
// fracture cell the simulated rate moves at least in proportion to m (repeat fractures add to
// it), so the error of m is at most that of the rate; for a mortality cell only the background
// share b of deaths moves with m (the post-fracture excess does not), so the error is divided by
// b, measured in the truth's run (the fit runs the same process). Each cell with enough events
// (normal approximation) is checked at the Bonferroni z for a false-failure rate of 1e-4 over the
// checked cells.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <set>

#include "../unit/model_fixture.hpp"
#include "../unit/monte_carlo_tolerance.hpp"
#include "engine/calibration.hpp"
#include "engine/simulation.hpp"
#include "engine/tallies.hpp"

namespace osteosim {
namespace {

using engine::CalibratedQuantity;
using engine::kCalibratedQuantities;
using engine::Tallies;

constexpr std::int64_t kAgents = 400000;
constexpr int kYears = 3;
/// The fixture's incidence times this, so that a short run has enough fractures per cell.
constexpr double kIncidenceScale = 8;
/// Every cell of the fit is kept at this many expected events or more: a cell that simulates
/// none keeps its multiplier (calibrate's update has no ratio to apply), so a cell expecting a
/// few events that happened to get none would stay unfitted and the fit would not converge.
/// At 20, P(no events) = e^-20 ~ 2e-9 per cell and run.
constexpr double kMinExpectedEvents = 20;
constexpr std::uint32_t kTruthSeed = 2024;
constexpr std::uint32_t kFitSeed = 77;
/// Cells with fewer events (in either run) are not checked: the normal approximation of the
/// log rate at the tail of a Bonferroni z needs about this many.
constexpr std::int64_t kMinEvents = 100;

/// The known multipliers: 0.7, 1 or 1.4 by band, shifted by quantity and by sex, so that a fit
/// that swapped bands, sexes or quantities would recover the wrong ones.
double true_multiplier(int quantity, model::Sex sex, int band) {
  constexpr std::array<double, 3> kLevels{0.7, 1.0, 1.4};
  return kLevels[(band + quantity + 2 * static_cast<int>(sex)) % 3];
}

model::AgeTable band_table(const std::function<double(model::Sex, int band)>& value) {
  model::AgeTable t;
  for (int b = 0; b < model::kAgeBands; ++b) {
    t.keys.push_back(model::kMinAge + b * model::kAgeBandYears);
    for (int s = 0; s < model::kSexes; ++s)
      t.values[s].push_back(value(static_cast<model::Sex>(s), b));
  }
  return t;
}

/// Events and person-years of one quantity in one cell, summed over the run's years.
struct CellCount {
  std::int64_t events = 0;
  double person_years = 0;
  double rate() const { return person_years > 0 ? static_cast<double>(events) / person_years : 0; }
};

CellCount count(const Tallies& t, int quantity, model::Sex sex, int band) {
  CellCount c;
  std::int64_t ticks = 0;
  for (int year = 0; year < t.years; ++year) {
    ticks += t.person_time_ticks[Tallies::index(year, sex, band)];
    c.events +=
        quantity == static_cast<int>(CalibratedQuantity::mortality)
            ? t.deaths[Tallies::index(year, sex, band)]
            : t.fractures[Tallies::index(year, sex, band, model::calibrated_site(quantity))];
  }
  c.person_years = static_cast<double>(ticks) / engine::kTicksPerYear;
  return c;
}

/// The fixture model as a cross-section of ages 50-104, about as many in each band (every
/// 5-year band holds single-year rows of the population table, so life_table_band_rate weights
/// within each band), without
/// entry histories: the prior fracture and unrecognised vertebral fracture dated at entry read
/// the incidence tables themselves, not table x multiplier, so they would differ between the
/// truth and the fitted model.
config::Scenario cross_section() {
  auto scenario = testing::simple_scenario(kAgents, kYears, 12, std::nullopt);
  scenario.population.kind = config::PopulationKind::cross_section;
  auto& p = scenario.strategies.front().parameters;
  p.demography.population = {};
  for (int age = 50; age < 105; ++age) {
    p.demography.population.keys.push_back(age);
    p.demography.population.values[0].push_back(1000 * std::exp(-0.01 * (age - 50)));
    p.demography.population.values[1].push_back(900 * std::exp(-0.01 * (age - 50)));
  }
  for (auto& site : p.fractures.site) {
    for (auto& by_sex : site.incidence_per_person_year.values)
      for (auto& v : by_sex) v *= kIncidenceScale;
  }
  p.fractures.prior_fracture_prevalence = testing::constant_table(0, 0);
  p.fractures.vertebral_clinical_fraction = 1;
  return scenario;
}

double hazard_table_value(const model::ModelParameters& p, int quantity, model::Sex sex, int band) {
  const double age = model::kMinAge + band * model::kAgeBandYears;
  if (quantity == static_cast<int>(CalibratedQuantity::mortality))
    return -std::log1p(-p.mortality.annual_death_probability.at(sex, age));
  return p.fractures.site[quantity].incidence_per_person_year.at(sex, age);
}

TEST(Calibration, FitRecoversKnownMultipliersWithinMonteCarloError) {
  // 1. The truth: fixture tables with the known multipliers.
  auto truth = cross_section();
  truth.seed = kTruthSeed;
  auto& truth_params = truth.strategies.front().parameters;
  for (int q = 0; q < kCalibratedQuantities; ++q) {
    const auto m = band_table([q](model::Sex s, int b) { return true_multiplier(q, s, b); });
    if (q == static_cast<int>(CalibratedQuantity::mortality))
      truth_params.mortality.background_multiplier = m;
    else
      truth_params.fractures.site[q].calibration_multiplier = m;
  }
  const Tallies truth_tallies = engine::simulate(truth, {}).front();

  // 2. Its simulated rates as the targets of the model to calibrate.
  auto fit = cross_section();
  fit.seed = kFitSeed;
  auto& fit_params = fit.strategies.front().parameters;
  const auto rates = [&](int q) {
    return band_table([&, q](model::Sex s, int b) { return count(truth_tallies, q, s, b).rate(); });
  };
  for (int q = 0; q < model::kFractureProcesses; ++q)
    fit_params.fractures.site[q].incidence_per_person_year = rates(q);
  const int mortality = static_cast<int>(CalibratedQuantity::mortality);
  const auto death_rates = rates(mortality);
  fit_params.mortality.annual_death_probability = band_table([&](model::Sex s, int b) {
    return -std::expm1(-death_rates.values[static_cast<int>(s)][b]);
  });
  for (int s = 0; s < model::kSexes; ++s) {  // the construction: target = the truth's rate
    const auto sex = static_cast<model::Sex>(s);
    for (int b = 0; b < model::kAgeBands; ++b) {
      const double from = model::kMinAge + b * model::kAgeBandYears;
      ASSERT_NEAR(engine::life_table_band_rate(fit_params.mortality.annual_death_probability, sex,
                                               from, from + model::kAgeBandYears,
                                               &fit_params.demography.population),
                  death_rates.values[s][b], 1e-12 * death_rates.values[s][b]);
    }
  }

  const engine::CalibrationSettings settings;
  const auto result = engine::calibrate(fit, {}, settings, nullptr);
  EXPECT_TRUE(result.converged);
  // Rates are about proportional to their multiplier and the cells are coupled only through the
  // imminent-risk feedback and post-fracture deaths, so each fixed-point step shrinks the largest
  // |ln(simulated / target)| by about the coupling (here 0.6 -> 0.16 -> 0.11 -> 0.10); then the
  // last few cells need a few more runs to land within half a Monte Carlo SE, their counts being
  // discrete (8 runs in all with these seeds). A map that does not contract (an inverted update,
  // a multiplier applied to the wrong cell) runs to the cap of 30.
  EXPECT_LE(result.iterations.size(), 12u);

  for (const auto& c : result.cells)
    EXPECT_GE(c.target_per_year * c.person_years, kMinExpectedEvents)
        << engine::kCalibratedQuantityNames[static_cast<int>(c.quantity)] << ' ' << c.age_from;
  // Cells checked: enough events in the fit's run and in the truth's.
  auto enough_events = [&](const engine::CalibrationCell& c) {
    return c.events >= kMinEvents &&
           count(truth_tallies, static_cast<int>(c.quantity), c.sex, model::age_band(c.age_from))
                   .events >= kMinEvents;
  };
  int checked = 0;
  for (const auto& c : result.cells) checked += enough_events(c);
  const double z = testing::bonferroni_z(checked);
  // Levels of m* checked per quantity and sex, to show the check is not vacuous.
  std::array<std::array<std::set<double>, model::kSexes>, kCalibratedQuantities> levels;
  for (const auto& c : result.cells) {
    const int q = static_cast<int>(c.quantity);
    const int band = model::age_band(c.age_from);
    const CellCount in_truth = count(truth_tallies, q, c.sex, band);
    if (!enough_events(c)) continue;
    const double truth_hazard = hazard_table_value(truth_params, q, c.sex, band);
    const double recovered = c.multiplier * c.target_per_year / truth_hazard;
    const double expected_events = c.target_per_year * c.person_years;
    const double residual = std::max(
        settings.tolerance, engine::fit_resolution_events(expected_events) / expected_events);
    double elasticity = 1;
    if (q == mortality) {  // the background share of deaths (the fit runs the truth's process)
      std::int64_t excess = 0;
      for (int year = 0; year < truth_tallies.years; ++year)
        excess += truth_tallies.deaths_after_fracture[Tallies::index(year, c.sex, band)];
      elasticity = 1 - static_cast<double>(excess) / static_cast<double>(in_truth.events);
    }
    const double se =
        std::sqrt(testing::kEventCountOverdispersion * (1.0 / in_truth.events + 1.0 / c.events));
    const double tolerance = (z * se + residual) / elasticity;
    const double m_star = true_multiplier(q, c.sex, band);
    levels[q][static_cast<int>(c.sex)].insert(m_star);
    EXPECT_NEAR(std::log(recovered), std::log(m_star), tolerance)
        << engine::kCalibratedQuantityNames[q] << ' ' << model::kSexNames[static_cast<int>(c.sex)]
        << ' ' << c.age_from << ": recovered " << recovered << ", true " << m_star << " (events "
        << in_truth.events << " / " << c.events << ")";
  }
  std::printf("  %d cells checked at z = %.2f; %zu iterations\n", checked, z,
              result.iterations.size());
  // Not vacuous: every quantity of each sex has cells checked at two levels of m* at least.
  for (int q = 0; q < kCalibratedQuantities; ++q) {
    for (int s = 0; s < model::kSexes; ++s) {
      EXPECT_GE(levels[q][s].size(), 2u)
          << engine::kCalibratedQuantityNames[q] << ' ' << model::kSexNames[s];
    }
  }
}

}  // namespace
}  // namespace osteosim
