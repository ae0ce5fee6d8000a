// Time-step invariance: a 12-month and a 1-month run must agree on lifetime risk and life
// expectancy within Monte Carlo error. The two runs use different random numbers (the
// step is part of every counter), so they are independent: the standard error of a
// difference of two proportions p estimated from n agents each is sqrt(2 p (1 - p) / n);
// we allow z of them, z for a false-failure rate of 1e-4 over a test's comparisons.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "../unit/model_fixture.hpp"
#include "../unit/monte_carlo_tolerance.hpp"
#include "analysis/block_variance.hpp"
#include "config/scenario.hpp"
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
  for (auto x : t.person_time_ticks)
    s.life_expectancy_years += static_cast<double>(x) / kTicksPerYear / n;
  for (auto x : t.deaths) s.died += static_cast<double>(x) / n;
  return s;
}

}  // namespace

TEST(StepLength, TwelveAndOneMonthStepsAgreeWithinMonteCarloError) {
  const std::int64_t n = 100000;
  const int years = 45;
  const auto yearly = summarise(simulate(testing::simple_scenario(n, years, 12), {})[0], n);
  const auto monthly = summarise(simulate(testing::simple_scenario(n, years, 1), {})[0], n);
  // z over the kSites + 3 comparisons below, 1e-4 false failures in all.
  const double z = testing::bonferroni_z(model::kSites + 3);
  auto tolerance = [&](double p) { return z * std::sqrt(2 * p * (1 - p) / n); };
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
  EXPECT_NEAR(yearly.life_expectancy_years, monthly.life_expectancy_years,
              z * 10 * std::sqrt(2.0 / n));
}

namespace {

/// The shipped policy comparison (us-2025 women from 50) with the comparator, USPSTF-style
/// screening and the combination (screening, fracture liaison, fall prevention), run with
/// steps of `step_months`: the step is part of every random-number counter, so runs with
/// different steps are independent.
std::vector<Tallies> policies_with_step(int step_months, std::int64_t agents, int years) {
  config::Overrides overrides;
  overrides.agents = agents;
  overrides.set = {"years=" + std::to_string(years),
                   "time_step_months=" + std::to_string(step_months)};
  auto scenario = config::load_scenario(
      std::string(OSTEOSIM_SOURCE_DIR) + "/scenarios/us-women-screening-policies.yaml", overrides);
  std::erase_if(scenario.strategies, [](const config::Strategy& s) {
    return s.name != "no-screening" && s.name != "uspstf" && s.name != "combination";
  });
  RunOptions options;
  options.block_size = 250;  // blocks are the replicates of the SEs below
  return simulate(scenario, options);
}

std::int64_t total(const std::vector<std::int64_t>& v) {
  return std::accumulate(v.begin(), v.end(), std::int64_t{0});
}

/// One outcome of one run with its Monte Carlo SE.
struct Estimate {
  std::string name;
  double value = 0;
  double se = 0;
};

/// What must not depend on the step: fractures by outcome (SE between blocks), deaths and the
/// persons screened and treated (at most one per agent: binomial SE), years on a drug (at most
/// `years` per agent, so Var <= years x mean: a bound), and for an intervention its effect,
/// the paired difference from the comparator in clinical fractures and discounted QALYs
/// (SE between blocks of the paired differences).
std::vector<Estimate> step_invariants(const Tallies& t, double agents, int years) {
  std::vector<Estimate> out;
  const std::int64_t blocks = t.blocks[0];
  for (int o = 0; o < kOutcomes; ++o) {
    out.push_back({"fractures " + std::string(kOutcomeNames[o]),
                   static_cast<double>(t.block_fractures_sum[o]),
                   analysis::block_total_se(t.block_fractures_sum[o],
                                            t.block_fractures_sum_squares[o], blocks)});
  }
  const auto binomial = [&](std::string name, std::int64_t count) {
    const double p = static_cast<double>(count) / agents;
    out.push_back({std::move(name), static_cast<double>(count), std::sqrt(agents * p * (1 - p))});
  };
  binomial("deaths", total(t.deaths));
  binomial("persons screened", total(t.persons_screened));
  binomial("persons treated", total(t.persons_treated));
  const double treated_years = static_cast<double>(total(t.treated_time_ticks)) / kTicksPerYear;
  out.push_back({"years on a drug", treated_years, std::sqrt(years * treated_years)});
  out.push_back(
      {"clinical fractures, paired difference from the comparator",
       static_cast<double>(t.paired_difference_sum[kAllClinicalOutcome]),
       analysis::block_total_se(t.paired_difference_sum[kAllClinicalOutcome],
                                t.paired_difference_sum_squares[kAllClinicalOutcome], blocks)});
  out.push_back({"discounted QALYs, paired difference (block units)",
                 static_cast<double>(t.paired_qaly_difference_sum[0]),
                 analysis::block_total_se(t.paired_qaly_difference_sum[0],
                                          t.paired_qaly_difference_sum_squares[0], blocks)});
  return out;
}

}  // namespace

TEST(StepLength, ScreeningPoliciesOnTheShippedModelAgreeAt12And6And3MonthSteps) {
  // Screening invitations, treatment courses, fracture liaison and fall prevention must mean
  // the same whatever the step: every outcome of 6- and 3-month runs within Monte Carlo error
  // of the 12-month run's. Independent runs, so the SE of a difference is the two SEs'
  // hypotenuse; z from a 1e-4 false-failure rate over every comparison, Student's t for SEs
  // estimated from the blocks (the smallest block count's degrees of freedom, conservative).
  constexpr std::int64_t kAgents = 30000;
  constexpr int kYears = 30;  // ages 50-80: every policy has started, treatment courses run out
  const double agents = static_cast<double>(kAgents);
  const auto yearly = policies_with_step(12, kAgents, kYears);
  const std::array<int, 2> steps{6, 3};
  std::array<std::vector<Tallies>, 2> finer;
  for (std::size_t i = 0; i < steps.size(); ++i)
    finer[i] = policies_with_step(steps[i], kAgents, kYears);
  ASSERT_EQ(yearly.size(), 3u);
  const auto per_run = step_invariants(yearly[0], agents, kYears).size();
  const int comparisons = static_cast<int>(steps.size() * yearly.size() * per_run);
  const double z = testing::student_t_two_sided(testing::kFalseFailureRate / comparisons,
                                                static_cast<int>(yearly[0].blocks[0]) - 1);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    for (std::size_t s = 0; s < yearly.size(); ++s) {
      const auto a = step_invariants(yearly[s], agents, kYears);
      const auto b = step_invariants(finer[i][s], agents, kYears);
      for (std::size_t k = 0; k < a.size(); ++k) {
        const double se = std::hypot(a[k].se, b[k].se);
        EXPECT_LE(std::abs(a[k].value - b[k].value), z * se)
            << "strategy " << s << ", " << a[k].name << ": 12-month " << a[k].value << ", "
            << steps[i] << "-month " << b[k].value << " (SE of the difference " << se << ")";
      }
    }
  }
  // The comparison has power: the interventions change what they should.
  EXPECT_GT(total(yearly[1].persons_screened), kAgents / 4);
  EXPECT_LT(yearly[2].paired_difference_sum[kAllClinicalOutcome], 0);  // fractures averted
}

}  // namespace osteosim::engine
