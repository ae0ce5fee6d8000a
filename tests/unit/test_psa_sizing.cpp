// Sizing a PSA from its pilot (engine/psa_sizing.hpp): the agents per draw that bring the
// noise share of every incremental cost and QALY to the target, on pilots whose variances
// are known by hand, and the same size for any thread count on a simulated pilot.
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
    p.totals.push_back({1000, 10, 0, 0, 0, 0});
    p.totals.push_back({1000, 10 + 0.02 * odd, 0, 0, 0, 0.01});
    p.totals.push_back({1000 + cost_step * odd, 10, 0, 0, cost_se, 0});
  }
  return p;
}

const std::vector<std::string> kNames{"none", "a", "b"};

// Agents = pilot agents x noise x (1 - target) / (target x parameter variance), rounded up
// (analysis::agents_for_noise_share); the sizes below are worked by hand, +-1 for rounding.
TEST(PsaSizing, AgentsPerDrawIsTheLargestThatAnyIncrementalOutcomeNeeds) {
  // Strategy b's cost with a step of 100: sample variance 4 x 50^2 / 3 = 3333.3; SE 10 gives
  // noise 100, share 0.03, and needs 1000 x 100 x 0.9 / (0.1 x 3233.3) = 279 agents.
  const PsaSizing s = size_from_pilot(pilot(100, 10), kNames, 0.1);
  ASSERT_EQ(s.strategies, (std::vector<std::string>{"a", "b"}));
  EXPECT_NEAR(s.qaly[0].noise_share, 0.75, 1e-12);
  EXPECT_NEAR(s.cost[1].noise_share, 0.03, 1e-12);
  EXPECT_TRUE(std::isnan(s.cost[0].noise_share));  // no difference at all
  // QALYs of 'a': noise must fall from 3 x the parameter variance to 1/9 of it: 27 times.
  EXPECT_NEAR(s.agents_per_draw, 27000, 1);
  EXPECT_EQ(s.pilot_draws, 4);
  EXPECT_EQ(s.pilot_agents_per_draw, 1000);
  EXPECT_EQ(s.target_noise_share, 0.1);
  // A noisier cost of 'b' (SE 100: noise 1e4 above the total 3333.3, no parameter variance
  // left) cannot be measured and 'a' still sets the size; SE 50 (noise 2500, parameter
  // variance 833.3) needs 1000 x 2500 x 0.9 / 83.33 = 27000 too; SE 55 (noise 3025,
  // parameter 308.3) needs 88298 and sets the size.
  EXPECT_NEAR(size_from_pilot(pilot(100, 100), kNames, 0.1).agents_per_draw, 27000, 1);
  EXPECT_NEAR(size_from_pilot(pilot(100, 50), kNames, 0.1).agents_per_draw, 27000, 1);
  EXPECT_NEAR(size_from_pilot(pilot(100, 55), kNames, 0.1).agents_per_draw, 88298, 1);
}

TEST(PsaSizing, NeverBelowTheBlockMinimumAndThePilotSizeWhenNothingIsMeasurable) {
  // Target 0.9: 'a' needs 1000 x 3 x 0.1 / 0.9 = 334 agents; the floor is 2048.
  EXPECT_EQ(size_from_pilot(pilot(100, 10), kNames, 0.9).agents_per_draw,
            kMinimumSizedAgentsPerDraw);
  // Two strategies alike in every draw: nothing to measure, the pilot's size stays.
  PsaResult same;
  same.draws = 3;
  same.agents_per_draw = 1000;
  for (int d = 0; d < 6; ++d) same.totals.push_back({1000.0 + d / 2, 10, 0, 0, 1, 0.01});
  EXPECT_EQ(size_from_pilot(same, {"none", "b"}, 0.1).agents_per_draw, 1000);
}

TEST(PsaSizing, APilotSimulatedOnOneOrTwoThreadsGivesTheSameSize) {
  auto scenario = testing::simple_scenario(1000, 10, 12);
  scenario.strategies[0].parameters.economics = testing::simple_economics();
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
  EXPECT_GT(one.cost[0].parameter_variance, 0);
  EXPECT_GT(one.agents_per_draw, 0);
  EXPECT_EQ(one.agents_per_draw, two.agents_per_draw);
  EXPECT_EQ(one.cost[0].noise_share, two.cost[0].noise_share);
}

}  // namespace
}  // namespace osteosim::engine
