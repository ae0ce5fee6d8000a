#pragma once
// A small, fully specified model for unit tests: constant or simple tables, so that
// expected values can be computed by hand. Not the shipped model (models/us-2025).
#include "config/scenario.hpp"
#include "model/parameters.hpp"
#include "model/step.hpp"

namespace osteosim::testing {

/// An event recorder that ignores everything: tests and benchmarks derive from it and
/// override only the events they count.
struct SilentRecorder : model::EventRecorder {
  void person_time(double, double) override {}
  void fall(double) override {}
  void fracture(model::Site, double, bool, bool) override {}
  void death(double, bool) override {}
};

inline model::AgeTable constant_table(double female, double male, double key = 0) {
  model::AgeTable t;
  t.keys = {key};
  t.values = {std::vector<double>{female}, std::vector<double>{male}};
  return t;
}

inline model::AgeTable table(std::vector<double> keys, std::vector<double> female,
                             std::vector<double> male) {
  model::AgeTable t;
  t.keys = std::move(keys);
  t.values = {std::move(female), std::move(male)};
  return t;
}

inline model::ModelParameters simple_parameters() {
  using namespace model;
  ModelParameters p;
  p.name = "unit-test";
  p.demography.population = table({50, 60, 70, 80}, {400, 300, 200, 100}, {380, 270, 160, 60});
  auto& bone = p.bone;
  bone.reference_mean_g_cm2 = 0.858;
  bone.reference_sd_g_cm2 = 0.120;
  bone.mean_bmd_g_cm2 = table({50, 60, 70, 80}, {0.76, 0.71, 0.66, 0.60}, {0.85, 0.81, 0.77, 0.73});
  bone.sd_bmd_g_cm2 = constant_table(0.12, 0.13);
  bone.annual_loss_fraction = table({50, 70}, {0.005, 0.01}, {0.004, 0.007});
  bone.loss_individual_cv = 0.3;
  bone.menopause_age_mean_years = 51;
  bone.menopause_age_sd_years = 3;
  bone.menopause_extra_loss_fraction_per_year = 0.02;
  bone.menopause_extra_loss_start_years = -1;
  bone.menopause_extra_loss_end_years = 2;
  for (auto& factor : p.risk_factors) {
    factor.prevalence = {0.1, 0.05};
    factor.rr = {1.5, 1.2, 1.1};
  }
  p.falls.annual_rate = table({50, 70}, {0.3, 0.5}, {0.25, 0.4});
  p.falls.annual_rate_scale = 1;
  p.falls.rr_after_fall_in_last_year = 2;
  auto& fx = p.fractures;
  fx.site[0] = {table({50, 70, 80}, {2e-4, 3e-3, 1.5e-2}, {1e-4, 1.5e-3, 8e-3}), 2.6, 0.95, {}};
  fx.site[1] = {table({50, 70}, {1e-3, 4e-3}, {5e-4, 2e-3}), 1.8, 0.45, {}};
  fx.site[2] = {table({50, 70}, {3e-3, 5e-3}, {8e-4, 1e-3}), 1.4, 0.9, {}};
  fx.vertebral_clinical_fraction = 0.33;
  fx.prior_fracture_prevalence = table({50, 70}, {0.1, 0.25}, {0.05, 0.12});
  fx.rr_by_years_since_fracture = table({0, 1, 2}, {2.7, 2.2, 1.8}, {2.7, 2.2, 1.8});
  auto& m = p.mortality;
  m.annual_death_probability = table({50, 60, 70, 80, 90, 100}, {0.003, 0.007, 0.017, 0.045, 0.13, 0.35},
                                     {0.005, 0.011, 0.025, 0.06, 0.16, 0.4});
  m.rr_after_hip_fracture = table({0, 0.25, 1, 2}, {5.75, 3.0, 1.9, 1.6}, {7.95, 4.0, 2.2, 1.8});
  m.rr_after_vertebral_fracture = table({0, 1}, {2.0, 1.5}, {2.5, 1.6});
  return p;
}

/// A scenario over the simple model (no files involved).
inline config::Scenario simple_scenario(std::int64_t agents, int years, int step_months,
                                        std::optional<model::Sex> sex = model::Sex::female) {
  config::Scenario s;
  s.name = "unit";
  s.model_name = "unit-test";
  s.population.kind = config::PopulationKind::cohort;
  s.population.sex = sex;
  s.population.age_years = 50;
  s.population.agents = agents;
  s.years = years;
  s.time_step_months = step_months;
  s.seed = 12345;
  s.strategies.push_back({"natural-history", simple_parameters(), {}, {}});
  return s;
}

}  // namespace osteosim::testing
