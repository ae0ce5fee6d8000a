#pragma once
/// Sizing a PSA for its noise (`psa: {noise_share: S}`, `osteosim check --noise-share S`):
/// a pilot PSA measures, for each strategy against the first, how much of the between-draw
/// variance of the incremental net benefit at each willingness-to-pay threshold is
/// simulation noise (the ANOVA of analysis/psa_noise.hpp, O'Hagan, Stevenson and Madan 2007:
/// the net benefit is what the CEAC and EVPI rank), and the agents per draw that bring every
/// share to S follow from the noise variance falling as 1/agents. The pilot is
/// a pure function of the scenario, so the size it gives is the same for any thread and
/// rank count.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/psa_noise.hpp"
#include "config/scenario.hpp"
#include "engine/distributed.hpp"
#include "engine/psa.hpp"

namespace osteosim::engine {

/// Fewest agents per draw a sized PSA uses: 32 blocks of 64 agents, the block statistics
/// behind each draw's Monte Carlo error (engine/psa.cpp) need no fewer.
inline constexpr std::int64_t kMinimumSizedAgentsPerDraw = 2048;

struct PsaSizing {
  double target_noise_share = 0;
  std::int64_t pilot_draws = 0;
  std::int64_t pilot_agents_per_draw = 0;
  std::vector<std::string> strategies;  ///< after the first, which they are compared with
  std::vector<double> thresholds_per_qaly;  ///< willingness to pay the net benefits are at
  /// [strategy after the first][threshold]: the incremental net benefit at the pilot's size
  std::vector<std::vector<analysis::NoiseDecomposition>> net_benefit;
  /// The agents per draw that bring every net-benefit share to the target (at least
  /// kMinimumSizedAgentsPerDraw); the pilot's own size where no share can be measured
  /// (no parameter variance between the pilot's draws).
  std::int64_t agents_per_draw = 0;
};

/// The ANOVA of `value` of strategy `s` minus the first strategy's over the draws of
/// `totals` (draws x strategies, row-major), with the draws' paired Monte Carlo SEs
/// `standard_error`. Needs two draws or more.
analysis::NoiseDecomposition incremental_noise(const std::vector<EconomicTotals>& totals,
                                               std::size_t strategies, std::size_t s,
                                               double EconomicTotals::*value,
                                               double EconomicTotals::*standard_error);

/// The same for the incremental net benefit at `wtp_per_qaly`, wtp x QALYs - cost, whose
/// Monte Carlo variance in a draw is wtp^2 se_qaly^2 + se_cost^2 - 2 wtp cov (the paired
/// covariance of the two, EconomicTotals::incremental_cost_qaly_covariance).
analysis::NoiseDecomposition incremental_net_benefit_noise(
    const std::vector<EconomicTotals>& totals, std::size_t strategies, std::size_t s,
    double wtp_per_qaly);

/// The sizing from a pilot PSA's result (rank 0's; pure, no simulation).
PsaSizing size_from_pilot(const PsaResult& pilot, const std::vector<std::string>& strategies,
                          const std::vector<double>& thresholds_per_qaly,
                          double target_noise_share);

/// Runs the pilot of `scenario.psa` (pilot_draws draws of agents_per_draw agents; draws keyed
/// as the PSA's own, so a pilot draw is the PSA's draw at another size) and sizes the PSA.
/// Every rank returns the same agents_per_draw (the decompositions are rank 0's alone).
/// `finished` restores the pilot draws an interrupted run saved.
PsaSizing size_psa(const config::Scenario& scenario, int threads,
                   const std::function<void(double)>& progress, const RankInfo& ranks = {},
                   const std::function<bool()>& should_stop = nullptr,
                   const FinishedRuns& finished = {});

}  // namespace osteosim::engine
