// Time-step invariance: a 12-month and a 1-month run must agree on lifetime risk and life
// expectancy within Monte Carlo error. The two runs use different random numbers (the
// step is part of every counter), so they are independent: the standard error of a
// difference of two proportions p estimated from n agents each is sqrt(2 p (1 - p) / n);
// we allow 4 of them (a false alarm about 1 time in 16,000 per comparison).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "../unit/model_fixture.hpp"
#include "engine/simulation.hpp"

namespace osteosim::engine {

namespace {

struct CohortSummary {
  std::array<double, model::kSites> lifetime_risk{};
  double any_clinical_risk = 0;
  double life_expectancy_years = 0;
  double died = 0;
};

CohortSummary summarise(const Tallies& t, double n) {
  CohortSummary s;
  for (std::size_t c = 0; c < t.first_fractures.size(); ++c) {
    s.lifetime_risk[c % model::kSites] += static_cast<double>(t.first_fractures[c]) / n;
  }
  for (auto x : t.first_any_fracture) s.any_clinical_risk += static_cast<double>(x) / n;
  for (auto x : t.person_time_ticks) s.life_expectancy_years += static_cast<double>(x) / kTicksPerYear / n;
  for (auto x : t.deaths) s.died += static_cast<double>(x) / n;
  return s;
}

}  // namespace

TEST(StepLength, TwelveAndOneMonthStepsAgreeWithinMonteCarloError) {
  const std::int64_t n = 100000;
  const int years = 45;
  const auto yearly = summarise(simulate(testing::simple_scenario(n, years, 12), {})[0], n);
  const auto monthly = summarise(simulate(testing::simple_scenario(n, years, 1), {})[0], n);
  auto tolerance = [&](double p) { return 4 * std::sqrt(2 * p * (1 - p) / n); };
  for (int s = 0; s < model::kSites; ++s) {
    const double p = 0.5 * (yearly.lifetime_risk[s] + monthly.lifetime_risk[s]);
    EXPECT_NEAR(yearly.lifetime_risk[s], monthly.lifetime_risk[s], tolerance(p))
        << model::kSiteNames[s] << ": 12-month " << yearly.lifetime_risk[s] << ", 1-month "
        << monthly.lifetime_risk[s];
  }
  const double p_any = 0.5 * (yearly.any_clinical_risk + monthly.any_clinical_risk);
  EXPECT_NEAR(yearly.any_clinical_risk, monthly.any_clinical_risk, tolerance(p_any));
  const double p_died = 0.5 * (yearly.died + monthly.died);
  EXPECT_NEAR(yearly.died, monthly.died, tolerance(p_died));
  // Remaining life expectancy: SD of lifetime about 10 years at 50, so the SE of the
  // difference of two means is about 10 * sqrt(2 / n).
  EXPECT_NEAR(yearly.life_expectancy_years, monthly.life_expectancy_years, 4 * 10 * std::sqrt(2.0 / n));
}

}  // namespace osteosim::engine
