#pragma once
/// Probabilistic sensitivity analysis: for each draw, parameters sampled from their declared
/// distributions (a pure function of the seed, the draw and the parameter's position) and
/// every strategy simulated on the same `agents_per_draw` agents with the same random
/// numbers (key = seed, draw). Runs outside simulate(), one simulate() call per draw, so the
/// checkpoint and MPI logic of a single run is untouched.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "engine/tallies.hpp"

namespace osteosim::engine {

/// Per-person outcomes of one strategy's tallies (discounted unless named otherwise).
struct EconomicTotals {
  double cost_usd = 0;
  double qalys = 0;
  double life_years = 0;
  double clinical_fractures = 0;
  /// Monte Carlo standard error of this strategy's cost and QALYs minus the first
  /// strategy's, per person (from the paired block statistics).
  double incremental_cost_se_usd = 0;
  double incremental_qaly_se = 0;
};

/// Per person: totals divided by `agents`.
EconomicTotals economic_totals(const Tallies& tallies, std::int64_t agents);

struct PsaResult {
  std::int64_t draws = 0;
  std::int64_t agents_per_draw = 0;
  std::vector<std::string> parameter_names;  ///< the uncertain parameters, file order
  std::vector<double> parameter_values;      ///< [draw][parameter]
  std::vector<EconomicTotals> totals;        ///< [draw][strategy]
};

/// The economics parameters of one draw: each uncertain parameter at its quantile for a
/// uniform from Stream::psa_parameters (a fixed one at its value).
model::EconomicsParameters sample_economics(const config::Scenario& scenario,
                                            std::uint32_t draw, std::vector<double>* values);

/// Runs the PSA of `scenario.psa`. `progress` gets the fraction of draws done.
PsaResult run_psa(const config::Scenario& scenario, int threads,
                  const std::function<void(double)>& progress);

}  // namespace osteosim::engine
