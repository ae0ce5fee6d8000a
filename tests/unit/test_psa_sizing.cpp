// Sizing a PSA from its pilot (engine/psa_sizing.hpp): the agents per draw that bring the
// noise share of every incremental net benefit to the target, on pilots whose variances are
// known by hand, and the same size for any thread count on a simulated pilot.
#include <gtest/gtest.h>

#include <cmath>

#include "economics_fixture.hpp"
#include "engine/psa_sizing.hpp"
#include "model_fixture.hpp"

namespace osteosim::engine {
namespace {

/// A pilot of 4 draws of 1000 agents and 3 strategies. Against strategy 0, strategy 1's
/// incremental QALYs are 0, 0.02, 0, 0.02 (sample variance 4e-4 / 3) with SE 0.01 (noise
/// variance 1e-4, so parameter variance 1e-4 / 3 and noise share 3/4); its costs equal
/// strategy 0's. Strategy 2 differs in cost by `cost_step` x (0, 1, 0, 1) with SE
/// `cost_se`, and in nothing else.
PsaResult pilot(double cost_step, double cost_se) {
  PsaResult p;
  p.draws = 4;
  p.agents_per_draw = 1000;
  for (int d = 0; d < 4; ++d) {
    const double odd = d % 2;
    p.totals.push_back({1000, 10, 0, 0, 0, 0, 0});
    p.totals.push_back({1000, 10 + 0.02 * odd, 0, 0, 0, 0.01, 0});
    p.totals.push_back({1000 + cost_step * odd, 10, 0, 0, cost_se, 0, 0});
  }
  return p;
}

const std::vector<std::string> kNames{"none", "a", "b"};
// At 1 per QALY the net benefit of 'a' is its QALYs and that of 'b' minus its cost (no
// covariance in these pilots), so the shares below are those of the QALYs and the cost.
const std::vector<double> kWtp{1.0};

// Agents = pilot agents x noise x (1 - target) / (target x parameter variance), rounded up
// (analysis::agents_for_noise_share); the sizes below are worked by hand, +-1 for rounding.
TEST(PsaSizing, AgentsPerDrawIsTheLargestThatAnyIncrementalOutcomeNeeds) {
  // Strategy b's cost with a step of 100: sample variance 4 x 50^2 / 3 = 3333.3; SE 10 gives
  // noise 100, share 0.03, and needs 1000 x 100 x 0.9 / (0.1 x 3233.3) = 279 agents.
  const PsaSizing s = size_from_pilot(pilot(100, 10), kNames, kWtp, 0.1);
  ASSERT_EQ(s.strategies, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(s.net_benefit.size(), 2u);
  // (The net benefits are differences of numbers near 1000: 1e-9 for their rounding.)
  EXPECT_NEAR(s.net_benefit[0][0].noise_share, 0.75, 1e-9);
  EXPECT_NEAR(s.net_benefit[1][0].noise_share, 0.03, 1e-9);
  // QALYs of 'a': noise must fall from 3 x the parameter variance to 1/9 of it: 27 times.
  EXPECT_NEAR(s.agents_per_draw, 27000, 1);
  EXPECT_EQ(s.pilot_draws, 4);
  EXPECT_EQ(s.pilot_agents_per_draw, 1000);
  EXPECT_EQ(s.target_noise_share, 0.1);
  // A noisier cost of 'b' (SE 100: noise 1e4 above the total 3333.3, no parameter variance
  // left) cannot be measured and 'a' still sets the size; SE 50 (noise 2500, parameter
  // variance 833.3) needs 1000 x 2500 x 0.9 / 83.33 = 27000 too; SE 55 (noise 3025,
  // parameter 308.3) needs 88298 and sets the size.
  EXPECT_NEAR(size_from_pilot(pilot(100, 100), kNames, kWtp, 0.1).agents_per_draw, 27000, 1);
  EXPECT_NEAR(size_from_pilot(pilot(100, 50), kNames, kWtp, 0.1).agents_per_draw, 27000, 1);
  EXPECT_NEAR(size_from_pilot(pilot(100, 55), kNames, kWtp, 0.1).agents_per_draw, 88298, 1);
}

// Net benefit w x QALYs - cost: its noise variance is w^2 se_q^2 + se_c^2 - 2 w cov. Costs
// and QALYs whose noise moves together (a fracture prevented costs less and gains QALYs in
// the same agents) cancel in the net benefit at the right w, and add up at -w.
TEST(PsaSizing, NetBenefitNoiseCountsTheCovarianceOfCostAndQalyNoise) {
  std::vector<EconomicTotals> totals;
  for (int d = 0; d < 4; ++d) {
    totals.push_back({1000, 10, 0, 0, 0, 0, 0});
    totals.push_back({1000.0 + 100 * (d % 2), 10.0 + 0.01 * d, 0, 0, 100, 0.01, 1.0});
  }
  // At 10,000 per QALY: 1e8 x 1e-4 + 1e4 - 2 x 1e4 x 1 = 0.
  EXPECT_NEAR(incremental_net_benefit_noise(totals, 2, 1, 10000).noise_variance, 0, 1e-6);
  // At 0: the cost's alone; at -10,000 (no threshold is negative, but the algebra): 4e4.
  EXPECT_NEAR(incremental_net_benefit_noise(totals, 2, 1, 0).noise_variance, 1e4, 1e-6);
  EXPECT_NEAR(incremental_net_benefit_noise(totals, 2, 1, -10000).noise_variance, 4e4, 1e-6);
}

TEST(PsaSizing, NeverBelowTheBlockMinimumAndThePilotSizeWhenNothingIsMeasurable) {
  // Target 0.9: 'a' needs 1000 x 3 x 0.1 / 0.9 = 334 agents; the floor is 2048.
  EXPECT_EQ(size_from_pilot(pilot(100, 10), kNames, kWtp, 0.9).agents_per_draw,
            kMinimumSizedAgentsPerDraw);
  // Two strategies alike in every draw: nothing to measure, the pilot's size stays.
  PsaResult same;
  same.draws = 3;
  same.agents_per_draw = 1000;
  for (int d = 0; d < 6; ++d) same.totals.push_back({1000.0 + d / 2, 10, 0, 0, 1, 0.01, 0});
  EXPECT_EQ(size_from_pilot(same, {"none", "b"}, kWtp, 0.1).agents_per_draw, 1000);
}

TEST(PsaSizing, APilotSimulatedOnOneOrTwoThreadsGivesTheSameSize) {
  auto scenario = testing::simple_scenario(1000, 10, 12);
  scenario.strategies[0].parameters.economics = testing::simple_economics();
  scenario.strategies[0].parameters.economics.willingness_to_pay.thresholds_per_qaly = {50000};
  scenario.strategies.push_back(scenario.strategies[0]);
  scenario.strategies[1].name = "dearer";
  // The later-years hip cost is uncertain in 'dearer' only, so its incremental cost has a
  // parameter part (the draws) and a noise part (its hip fractures).
  testing::add_uncertain(scenario, "costs.hip_later_usd", 6000,
                         [](model::ModelParameters& p) -> double& {
                           return p.economics.fracture_later_years_usd_per_year[0];
                         });
  testing::set_distribution(scenario, 0, model::Distribution::gamma, 2000);
  scenario.strategies[0].uncertainty.clear();
  scenario.psa = {10, 1000, 0.1, 6};
  const PsaSizing one = size_psa(scenario, 1, nullptr);
  const PsaSizing two = size_psa(scenario, 2, nullptr);
  EXPECT_EQ(one.pilot_draws, 6);
  ASSERT_EQ(one.net_benefit.size(), 1u);
  ASSERT_EQ(one.net_benefit[0].size(), 1u);
  EXPECT_GT(one.net_benefit[0][0].parameter_variance, 0);
  EXPECT_GT(one.agents_per_draw, 0);
  EXPECT_EQ(one.agents_per_draw, two.agents_per_draw);
  EXPECT_EQ(one.net_benefit[0][0].noise_share, two.net_benefit[0][0].noise_share);
}

}  // namespace
}  // namespace osteosim::engine
