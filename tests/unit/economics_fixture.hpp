#pragma once
// Economics for tests: round costs and utilities on the fixture model, and uncertain numbers
// declared the way the loader declares them. Not the shipped economics
// (models/us-2025/economics.yaml).
#include <functional>
#include <string>

#include "config/scenario.hpp"
#include "model/economics.hpp"
#include "model/uncertainty.hpp"

namespace osteosim::testing {

inline model::EconomicsParameters simple_economics() {
  model::EconomicsParameters p;
  for (auto& by_sex : p.baseline_utility) by_sex = {0.84, 0.82, 0.79, 0.74};
  const auto hip = static_cast<std::size_t>(model::Site::hip);
  const auto wrist = static_cast<std::size_t>(model::Site::wrist);
  p.utility_first_year[hip] = 0.78;
  p.utility_later_years[hip] = 0.87;
  p.utility_first_year[wrist] = 0.96;
  p.fracture_first_year_usd[hip] = 20000;
  p.fracture_later_years_usd_per_year[hip] = 3000;
  p.later_years_cost_duration_years = 1;
  return p;
}

/// Declares a fixed number in the scenario and in each strategy (as the loader does).
inline void add_uncertain(config::Scenario& scenario, const std::string& name, double value,
                          std::function<double&(model::ModelParameters&)> ref) {
  model::UncertainParameter u;
  u.name = name;
  u.value = value;
  u.ref = std::move(ref);
  scenario.uncertainty.push_back(u);
  for (auto& s : scenario.strategies) s.uncertainty.push_back(u);
}

/// Gives the k-th number this distribution with this SE, in the scenario and every strategy.
inline void set_distribution(config::Scenario& scenario, std::size_t k,
                             model::Distribution distribution, double se) {
  auto set = [&](std::vector<model::UncertainParameter>& list) {
    list[k].distribution = distribution;
    list[k].se = se;
  };
  set(scenario.uncertainty);
  for (auto& s : scenario.strategies) set(s.uncertainty);
}

}  // namespace osteosim::testing
