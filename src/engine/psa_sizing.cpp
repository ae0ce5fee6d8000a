#include "engine/psa_sizing.hpp"

#include <algorithm>

namespace osteosim::engine {

analysis::NoiseDecomposition incremental_noise(const std::vector<EconomicTotals>& totals,
                                               std::size_t strategies, std::size_t s,
                                               double EconomicTotals::*value,
                                               double EconomicTotals::*standard_error) {
  std::vector<double> differences, errors;
  for (std::size_t first = 0; first + strategies <= totals.size(); first += strategies) {
    differences.push_back(totals[first + s].*value - totals[first].*value);
    errors.push_back(totals[first + s].*standard_error);
  }
  return analysis::decompose_psa_variance(differences, errors);
}

PsaSizing size_from_pilot(const PsaResult& pilot, const std::vector<std::string>& strategies,
                          double target_noise_share) {
  PsaSizing sizing;
  sizing.target_noise_share = target_noise_share;
  sizing.pilot_draws = pilot.draws;
  sizing.pilot_agents_per_draw = pilot.agents_per_draw;
  std::int64_t needed = 0;
  for (std::size_t s = 1; s < strategies.size(); ++s) {
    sizing.strategies.push_back(strategies[s]);
    sizing.cost.push_back(incremental_noise(pilot.totals, strategies.size(), s,
                                            &EconomicTotals::cost_usd,
                                            &EconomicTotals::incremental_cost_se_usd));
    sizing.qaly.push_back(incremental_noise(pilot.totals, strategies.size(), s,
                                            &EconomicTotals::qalys,
                                            &EconomicTotals::incremental_qaly_se));
    for (const auto* d : {&sizing.cost.back(), &sizing.qaly.back()}) {
      needed = std::max(
          needed, analysis::agents_for_noise_share(*d, pilot.agents_per_draw, target_noise_share));
    }
  }
  sizing.agents_per_draw =
      needed > 0 ? std::max(needed, kMinimumSizedAgentsPerDraw) : pilot.agents_per_draw;
  return sizing;
}

PsaSizing size_psa(const config::Scenario& scenario, int threads,
                   const std::function<void(double)>& progress, const RankInfo& ranks,
                   const std::function<bool()>& should_stop, const FinishedRuns& finished) {
  config::Scenario pilot_scenario = scenario;
  pilot_scenario.psa.draws = scenario.psa.pilot_draws;
  const PsaResult pilot = run_psa(pilot_scenario, threads, progress, ranks, should_stop, finished);
  std::vector<std::string> names;
  for (const auto& strategy : scenario.strategies) names.push_back(strategy.name);
  PsaSizing sizing;
  if (ranks.rank == 0) sizing = size_from_pilot(pilot, names, scenario.psa.noise_share);
  sizing.agents_per_draw = rank0_value(sizing.agents_per_draw, ranks);
  return sizing;
}

}  // namespace osteosim::engine
