// Engine: reproducibility across threads, common random numbers, limits of the step.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "analysis/block_variance.hpp"
#include "engine/simulation.hpp"
#include "model_fixture.hpp"
#include "monte_carlo_tolerance.hpp"

namespace osteosim::engine {

namespace {
std::int64_t sum(const std::vector<std::int64_t>& v) {
  return std::accumulate(v.begin(), v.end(), std::int64_t{0});
}

void expect_identical(const Tallies& a, const Tallies& b) {
  EXPECT_EQ(a.fractures, b.fractures);
  EXPECT_EQ(a.first_fractures, b.first_fractures);
  EXPECT_EQ(a.first_any_fracture, b.first_any_fracture);
  EXPECT_EQ(a.deaths, b.deaths);
  EXPECT_EQ(a.deaths_after_fracture, b.deaths_after_fracture);
  EXPECT_EQ(a.population, b.population);
  EXPECT_EQ(a.falls, b.falls);
  EXPECT_EQ(a.person_time_ticks, b.person_time_ticks);
}
}  // namespace

TEST(Tallies, RoundToTicksIsLlroundIncludingHalvesAndNegatives) {
  // Halves (away from zero), the doubles next to them, negatives, large tick counts and the
  // values the engine feeds it (years, money and QALYs times their tick sizes).
  std::vector<double> values{0.0,
                             -0.0,
                             0.5,
                             -0.5,
                             1.5,
                             -1.5,
                             2.5,
                             0.49999999999999994,
                             -0.49999999999999994,
                             4503599627370495.5,
                             1e15 + 0.5,
                             -7.5e12};
  for (double x : {0.5, 2.5, 1e6 + 0.5, 12345.5}) {
    values.push_back(std::nextafter(x, 0.0));
    values.push_back(std::nextafter(x, 1e300));
  }
  std::uint32_t state = 2463534242u;  // xorshift32 (Marsaglia 2003)
  for (int n = 0; n < 100000; ++n) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    const double u = state * 0x1p-32;
    values.push_back((u - 0.3) * kTicksPerYear * 3);
    values.push_back(u * 250000.0 * kCostTicksPerUsd);
  }
  for (double x : values) ASSERT_EQ(round_to_ticks(x), std::llround(x)) << x;
}

TEST(Engine, BitIdenticalForOneAndTwoThreadsAndAnyBlockSchedule) {
  const auto scenario = testing::simple_scenario(20000, 30, 3, std::nullopt);
  RunOptions one;
  one.threads = 1;
  one.block_size = 512;
  RunOptions two = one;
  two.threads = 2;
  const auto a = simulate(scenario, one);
  const auto b = simulate(scenario, two);
  ASSERT_EQ(a.size(), 1u);
  expect_identical(a[0], b[0]);
  EXPECT_GT(sum(a[0].fractures), 0);
}

TEST(Engine, IdenticalStrategiesGetIdenticalResults) {
  // Common random numbers: two strategies with the same parameters see the same people
  // and the same events.
  auto scenario = testing::simple_scenario(5000, 20, 12);
  scenario.strategies.push_back({"copy", scenario.strategies[0].parameters, {}, {}});
  const auto t = simulate(scenario, {});
  expect_identical(t[0], t[1]);
}

TEST(Engine, ScalingAllFallRatesChangesFallsButNotFractureIncidence) {
  // Fracture hazards use an agent's fall rate relative to the population mean (the
  // incidence tables are the anchor), so scaling every fall rate moves falls, not fractures.
  // Women from 70, so that ~6,000 hip fractures resolve a leak of a quarter of the extra
  // falls into the fall-related hip hazard (+12 %) at the test's z.
  auto scenario = testing::simple_scenario(40000, 20, 12);
  scenario.population.age_years = 70;
  auto more_falls = scenario.strategies[0].parameters;
  more_falls.falls.annual_rate_scale = 1.5;
  scenario.strategies.push_back({"more-falls", more_falls, {}, {}});
  RunOptions options;
  options.block_size = 500;  // 80 blocks: the paired SE below is estimated from them
  const auto t = simulate(scenario, options);
  EXPECT_GT(sum(t[1].falls), sum(t[0].falls) * 1.3);
  auto hip = [](const Tallies& x) {
    std::int64_t n = 0;
    for (std::size_t c = 0; c < x.fractures.size(); c += model::kSites) n += x.fractures[c];
    return n;
  };
  // The strategies share random numbers, so the difference is judged by its paired SE (block
  // by block, engine/block_statistics.hpp), not by that of two independent counts. (Here it is
  // only ~0.8 of the latter: the extra falls reorder each agent's events and so decorrelate
  // the fractures; the paired SE is the right one whatever the correlation.)
  const double a = static_cast<double>(hip(t[0])), b = static_cast<double>(hip(t[1]));
  const auto h = static_cast<std::size_t>(model::Site::hip);
  const double paired_se = analysis::block_total_se(
      t[1].paired_difference_sum[h], t[1].paired_difference_sum_squares[h], t[1].blocks[0]);
  EXPECT_GT(a, 0);
  EXPECT_GT(paired_se, 0);
  const int dof = static_cast<int>(t[1].blocks[0]) - 1;
  EXPECT_NEAR(a, b, testing::student_t_two_sided(testing::kFalseFailureRate, dof) * paired_se)
      << "paired SE " << paired_se << ", independent SE " << std::sqrt(a + b);
  // The same people enter both strategies.
  EXPECT_EQ(std::vector<std::int64_t>(t[0].population.begin(), t[0].population.begin() + 22),
            std::vector<std::int64_t>(t[1].population.begin(), t[1].population.begin() + 22));
}

TEST(Engine, NoFracturesWhenIncidenceIsZeroAndNoFallsWhenFallRateIsZero) {
  auto scenario = testing::simple_scenario(3000, 30, 12);
  auto& p = scenario.strategies[0].parameters;
  for (auto& site : p.fractures.site)
    site.incidence_per_person_year = testing::constant_table(0, 0);
  p.falls.annual_rate_scale = 0;
  const auto t = simulate(scenario, {});
  EXPECT_EQ(sum(t[0].fractures), 0);
  EXPECT_EQ(sum(t[0].falls), 0);
  EXPECT_EQ(sum(t[0].deaths_after_fracture), 0);
  EXPECT_GT(sum(t[0].deaths), 0);
}

TEST(Engine, OneYearSurvivalMatchesTheLifeTable) {
  // Without fractures, the share dying within a year of entry at 80 is qx(80) = 0.045
  // (women); tolerance 4 binomial standard errors.
  auto scenario = testing::simple_scenario(200000, 1, 1);
  scenario.population.age_years = 80;
  auto& p = scenario.strategies[0].parameters;
  for (auto& site : p.fractures.site)
    site.incidence_per_person_year = testing::constant_table(0, 0);
  const auto t = simulate(scenario, {});
  const double n = 200000;
  const double died = static_cast<double>(sum(t[0].deaths)) / n;
  EXPECT_NEAR(died, 0.045, 4 * std::sqrt(0.045 * 0.955 / n));
  // Person-time: survivors live the whole year, the dead on average about half of it.
  const double person_years = static_cast<double>(sum(t[0].person_time_ticks)) / kTicksPerYear;
  const double hazard = -std::log(1 - 0.045);
  EXPECT_NEAR(person_years / n, (1 - std::exp(-hazard)) / hazard, 1e-3);
}

TEST(Engine, EveryAgentIsCountedOnceAtEntryAndDeathsNeverExceedEntrants) {
  const auto scenario = testing::simple_scenario(4000, 60, 12, std::nullopt);
  const auto t = simulate(scenario, {});
  std::int64_t year0 = 0;
  for (std::size_t c = 0; c < Tallies::cells(1); ++c) year0 += t[0].population[c];
  EXPECT_EQ(year0, 4000);
  EXPECT_LE(sum(t[0].deaths), 4000);
  // By age 110 (60 years from 50) about 0.16% survive under the simple life table.
  EXPECT_GT(sum(t[0].deaths), 3975);  // expected ~3994; 3975 is > 7 SD below
}

}  // namespace osteosim::engine
