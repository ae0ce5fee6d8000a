#include "engine/psa_sizing.hpp"

#include <algorithm>
#include <cmath>

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

analysis::NoiseDecomposition incremental_net_benefit_noise(
    const std::vector<EconomicTotals>& totals, std::size_t strategies, std::size_t s,
    double wtp_per_qaly) {
  std::vector<double> differences, errors;
  for (std::size_t first = 0; first + strategies <= totals.size(); first += strategies) {
    const EconomicTotals& e = totals[first + s];
    const auto net_benefit = [wtp_per_qaly](const EconomicTotals& t) {
      return wtp_per_qaly * t.qalys - t.cost_usd;
    };
    differences.push_back(net_benefit(e) - net_benefit(totals[first]));
    const double variance =
        wtp_per_qaly * wtp_per_qaly * e.incremental_qaly_se * e.incremental_qaly_se +
        e.incremental_cost_se_usd * e.incremental_cost_se_usd -
        2 * wtp_per_qaly * e.incremental_cost_qaly_covariance;
    errors.push_back(std::sqrt(std::max(0.0, variance)));  // >= 0 but for rounding
  }
  return analysis::decompose_psa_variance(differences, errors);
}

PsaSizing size_from_pilot(const PsaResult& pilot, const std::vector<std::string>& strategies,
                          const std::vector<double>& thresholds_per_qaly,
                          double target_noise_share) {
  PsaSizing sizing;
  sizing.target_noise_share = target_noise_share;
  sizing.pilot_draws = pilot.draws;
  sizing.pilot_agents_per_draw = pilot.agents_per_draw;
  sizing.thresholds_per_qaly = thresholds_per_qaly;
  std::int64_t needed = 0;
  for (std::size_t s = 1; s < strategies.size(); ++s) {
    sizing.strategies.push_back(strategies[s]);
    auto& by_threshold = sizing.net_benefit.emplace_back();
    for (const double wtp : thresholds_per_qaly) {
      by_threshold.push_back(
          incremental_net_benefit_noise(pilot.totals, strategies.size(), s, wtp));
      needed =
          std::max(needed, analysis::agents_for_noise_share(
                               by_threshold.back(), pilot.agents_per_draw, target_noise_share));
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
  if (ranks.rank == 0) {
    sizing = size_from_pilot(
        pilot, names,
        scenario.strategies.front().parameters.economics.willingness_to_pay.thresholds_per_qaly,
        scenario.psa.noise_share);
  }
  sizing.agents_per_draw = rank0_value(sizing.agents_per_draw, ranks);
  return sizing;
}

}  // namespace osteosim::engine
