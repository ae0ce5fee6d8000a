#include "engine/calibration.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"

namespace osteosim::engine {

namespace {

constexpr double kOpenBand = 1e9;

/// The tallied site a fracture quantity is compared on (the registry's calibrated site):
/// vertebral incidence tables count clinically recognised fractures, so only those are
/// compared.
model::Site tallied_site(CalibratedQuantity q) {
  return model::calibrated_site(static_cast<int>(q));
}

model::AgeTable& multiplier_table(model::ModelParameters& p, CalibratedQuantity q) {
  if (q == CalibratedQuantity::mortality) return p.mortality.background_multiplier;
  return p.fractures.site[static_cast<int>(q)].calibration_multiplier;
}

/// Cells of one quantity: the rows of its target table, which must start on the tallies'
/// 5-year age bands so that simulated rates can be read from the tallies exactly.
std::vector<CalibrationCell> cells_of(const model::ModelParameters& p, CalibratedQuantity q,
                                      bool cross_section) {
  std::vector<CalibrationCell> cells;
  std::vector<double> from;
  if (q == CalibratedQuantity::mortality) {
    for (int b = 0; b < model::kAgeBands; ++b)
      from.push_back(model::kMinAge + b * model::kAgeBandYears);
  } else {
    const auto& table = p.fractures.site[static_cast<int>(q)].incidence_per_person_year;
    for (double key : table.keys) {
      const double lo = std::max<double>(key, model::kMinAge);
      if (!from.empty() && lo <= from.back()) continue;
      if (std::fmod(lo - model::kMinAge, model::kAgeBandYears) != 0) {
        throw InputError(table.source_file + ": age " + std::to_string(key) +
                         " is not the start of a 5-year band from 50; calibration compares "
                         "incidence on the tallies' 5-year age bands");
      }
      from.push_back(lo);
    }
  }
  for (int s = 0; s < model::kSexes; ++s) {
    const auto sex = static_cast<model::Sex>(s);
    for (std::size_t r = 0; r < from.size(); ++r) {
      CalibrationCell c{q, sex, from[r], r + 1 < from.size() ? from[r + 1] : kOpenBand};
      if (q == CalibratedQuantity::mortality) {
        c.target_per_year =
            life_table_band_rate(p.mortality.annual_death_probability, sex, c.age_from, c.age_to,
                                 cross_section ? &p.demography.population : nullptr);
      } else {
        c.target_per_year =
            p.fractures.site[static_cast<int>(q)].incidence_per_person_year.at(sex, c.age_from);
      }
      cells.push_back(c);
    }
  }
  return cells;
}

void fill_simulated(const Tallies& t, CalibrationCell& c) {
  std::int64_t events = 0;
  std::int64_t ticks = 0;
  for (int year = 0; year < t.years; ++year) {
    for (int band = 0; band < model::kAgeBands; ++band) {
      const double band_from = model::kMinAge + band * model::kAgeBandYears;
      if (band_from < c.age_from || band_from >= c.age_to) continue;
      ticks += t.person_time_ticks[Tallies::index(year, c.sex, band)];
      events += c.quantity == CalibratedQuantity::mortality
                    ? t.deaths[Tallies::index(year, c.sex, band)]
                    : t.fractures[Tallies::index(year, c.sex, band, tallied_site(c.quantity))];
    }
  }
  c.events = events;
  c.person_years = static_cast<double>(ticks) / kTicksPerYear;
  c.simulated_per_year = c.person_years > 0 ? static_cast<double>(events) / c.person_years : 0;
}

model::AgeTable table_of(const std::vector<CalibrationCell>& cells, CalibratedQuantity q) {
  model::AgeTable table;
  table.source_file = "calibration/" + std::string(kCalibratedQuantityNames[static_cast<int>(q)]);
  for (const auto& c : cells) {
    if (c.quantity != q) continue;
    if (c.sex == model::Sex::female) table.keys.push_back(c.age_from);
    table.values[static_cast<int>(c.sex)].push_back(c.multiplier);
  }
  return table;
}

}  // namespace

// Within tolerance, or within half a Monte Carlo standard error (Poisson, sqrt(expected))
// plus one event of the expected count: a change of any multiplier changes the histories
// (and so the events of every other cell) by about that much, so a small cell cannot be
// fitted more finely with one fixed seed; iterating further only moves it about.
double fit_resolution_events(double expected_events) {
  return 1.0 + 0.5 * std::sqrt(expected_events);
}

bool cell_fitted(const CalibrationCell& c, double tolerance) {
  const double expected = c.target_per_year * c.person_years;
  if (std::abs(static_cast<double>(c.events) - expected) <= fit_resolution_events(expected)) {
    return true;
  }
  if (c.target_per_year <= 0 || c.simulated_per_year <= 0) return false;
  return std::abs(c.simulated_per_year / c.target_per_year - 1) <= tolerance;
}

double life_table_band_rate(const model::AgeTable& qx, model::Sex sex, double age_from,
                            double age_to, const model::AgeTable* population) {
  if (population != nullptr) {
    // A cross-section: the life-table hazards weighted by the persons at each age.
    double persons = 0;
    double deaths = 0;
    for (std::size_t r = 0; r < population->keys.size(); ++r) {
      const double x = population->keys[r];
      if (x < age_from || x >= age_to) continue;
      const double n = population->values[static_cast<int>(sex)][r];
      persons += n;
      deaths += n * -std::log1p(-std::min(qx.at(sex, x + 0.5), 0.999999));
    }
    if (persons > 0) return deaths / persons;
  }
  // Beyond 120 no one of a cohort from 50 survives in any life table used here.
  constexpr int kLastAge = 120;
  const int first_age = static_cast<int>(qx.keys.front());
  double alive = 1;
  double deaths = 0;
  double person_years = 0;
  for (int x = first_age; x < kLastAge && x < age_to; ++x) {
    const double q = std::min(qx.at(sex, x), 1.0);
    const double d = alive * q;
    if (x >= age_from) {
      deaths += d;
      person_years += alive - d / 2;
    }
    alive -= d;
  }
  return person_years > 0 ? deaths / person_years : 0;
}

CalibrationResult calibrate(
    const config::Scenario& scenario, const RunOptions& options,
    const CalibrationSettings& settings,
    const std::function<void(int, const CalibrationIteration&)>& on_iteration) {
  if (scenario.strategies.size() != 1) {
    throw InputError(scenario.source_file +
                     ": calibration needs exactly one strategy (the "
                     "natural history), found " +
                     std::to_string(scenario.strategies.size()));
  }
  config::Scenario run = scenario;
  auto& params = run.strategies.front().parameters;
  std::vector<CalibrationCell> cells;
  for (int q = 0; q < kCalibratedQuantities; ++q) {
    const auto more = cells_of(params, static_cast<CalibratedQuantity>(q),
                               scenario.population.kind != config::PopulationKind::cohort);
    cells.insert(cells.end(), more.begin(), more.end());
  }
  CalibrationResult result;
  for (int it = 0; it < settings.max_iterations; ++it) {
    for (int q = 0; q < kCalibratedQuantities; ++q) {
      multiplier_table(params, static_cast<CalibratedQuantity>(q)) =
          table_of(cells, static_cast<CalibratedQuantity>(q));
    }
    const Tallies tallies = simulate(run, options).front();
    CalibrationIteration summary;
    for (auto& c : cells) {
      fill_simulated(tallies, c);
      c.fitted = cell_fitted(c, settings.tolerance);
      if (!c.fitted) ++summary.cells_not_fitted;
      if (c.events > 0 && c.target_per_year > 0) {
        summary.max_abs_log_ratio =
            std::max(summary.max_abs_log_ratio,
                     std::abs(std::log(c.simulated_per_year / c.target_per_year)));
      }
    }
    result.iterations.push_back(summary);
    if (on_iteration) on_iteration(it + 1, summary);
    if (summary.cells_not_fitted == 0) {
      result.converged = true;
      break;
    }
    if (it + 1 == settings.max_iterations) break;
    for (auto& c : cells) {
      // A cell without events carries no information: its multiplier stays.
      if (c.events == 0 || c.target_per_year <= 0) continue;
      c.multiplier = std::clamp(c.multiplier * c.target_per_year / c.simulated_per_year,
                                1 / settings.multiplier_limit, settings.multiplier_limit);
    }
  }
  for (int q = 0; q < kCalibratedQuantities; ++q) {
    result.multipliers[q] = table_of(cells, static_cast<CalibratedQuantity>(q));
  }
  result.cells = std::move(cells);
  return result;
}

}  // namespace osteosim::engine
