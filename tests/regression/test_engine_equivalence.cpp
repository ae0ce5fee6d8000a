// The engine with its SIMD lanes (RunOptions::step_lanes, engine/step_lanes.hpp) against
// the default engine, which takes every agent-step through the general step: on shipped
// scenarios -- a cohort of both sexes
// with economics, the six screening policies (interventions, treatment, programmes), a
// cross-section of mixed ages with 3-month steps -- every integer tally must be the
// same. The lanes use the general step's arithmetic, so equality is exact, not within a
// tolerance; agent-by-agent records are compared in tests/unit/test_step_lanes.cpp.
#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "engine/simulation.hpp"

namespace osteosim {
namespace {

void expect_same_tallies(const std::string& scenario_file, std::int64_t agents,
                         std::vector<std::string> settings) {
  config::Overrides overrides;
  overrides.agents = agents;
  overrides.set = std::move(settings);
  const auto scenario = config::load_scenario(
      std::string(OSTEOSIM_SOURCE_DIR) + "/scenarios/" + scenario_file, overrides);
  const auto expected = engine::simulate(scenario, {});
  engine::RunOptions lanes;
  lanes.step_lanes = true;
  const auto got = engine::simulate(scenario, lanes);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t s = 0; s < got.size(); ++s) {
    const auto got_columns = got[s].columns();
    const auto expected_columns = expected[s].columns();
    for (std::size_t c = 0; c < got_columns.size(); ++c) {
      EXPECT_EQ(*got_columns[c], *expected_columns[c])
          << scenario_file << ", strategy " << scenario.strategies[s].name << ", tally column "
          << c;
    }
  }
  // Not vacuous: the runs had events.
  const auto& falls = got.front().falls;
  EXPECT_GT(std::accumulate(falls.begin(), falls.end(), std::int64_t{0}), 1000);
}

TEST(EngineEquivalence, CohortWithEconomicsGivesTheGeneralStepsTallies) {
  expect_same_tallies("us-cohort-50-both-sexes.yaml", 20000, {});
}

TEST(EngineEquivalence, ScreeningPoliciesGiveTheGeneralStepsTallies) {
  expect_same_tallies("us-women-screening-policies.yaml", 6000, {"years=20"});
}

TEST(EngineEquivalence, CrossSectionWithQuarterYearStepsGivesTheGeneralStepsTallies) {
  expect_same_tallies("us-population-2025.yaml", 20000, {"years=5", "time_step_months=3"});
}

}  // namespace
}  // namespace osteosim
