// The PSA (engine::run_psa) is centred on the deterministic run when the outcome is linear in
// the uncertain numbers, with interventions in play.
//
// Design. Two strategies: the natural history and a fracture liaison service (zoledronic acid
// after a clinical fracture). The uncertain numbers are a hip fracture's first-year cost and
// the drug's annual cost (gamma) and the first-year hip utility multiplier (beta): none of them
// changes an event, and costs and QALYs are linear in each of them given the events. So for each
// strategy E[outcome of a draw] = outcome at the parameters' means, and the method of moments
// sets each distribution's mean to its value (Briggs, Claxton & Sculpher 2006, ch. 4): the mean
// over draws of each strategy's cost and QALYs, and of the incremental cost and QALYs, must
// equal the deterministic run's (all numbers at their values) within Monte Carlo error. A PSA
// that drew the wrong mean, dropped a strategy's interventions, or simulated the draws
// differently from `osteosim run` fails.
//
// And, since a mean can be right while the draws are ignored (every draw at the base values has
// the same mean), the per-draw incremental cost must move with the drawn drug cost: its slope
// over the draws equals the discounted drug-years per person of the deterministic run.
//
// Tolerances. Each check at the Bonferroni level for a false-failure rate of 1e-4 over the
// checks (Student's t quantile, as the SEs are estimated from the draws).
// The SE of a PSA mean is sd over draws / sqrt(draws). The deterministic run (another seed, so
// the two are independent) has its own Monte Carlo error: for an incremental outcome the paired
// block SE the engine reports; for one strategy's cost or QALYs a bound: its variance is that
// of one draw's agent noise scaled by agents_per_draw / agents, and one draw's agent noise is
// at most the whole variance over draws (which adds the parameters' share, and the expected
// noise variance is convex in the parameters, so never smaller). For the slope: the regression
// SE, and for the drug-years per person X in [0, kYears] of N agents Var <= kYears E[X] / N.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "../unit/economics_fixture.hpp"
#include "../unit/intervention_fixture.hpp"
#include "../unit/model_fixture.hpp"
#include "../unit/monte_carlo_tolerance.hpp"
#include "engine/psa.hpp"
#include "engine/simulation.hpp"

namespace osteosim {
namespace {

constexpr int kYears = 10;
constexpr std::int64_t kDraws = 400;
constexpr std::int64_t kAgentsPerDraw = 2000;
constexpr std::int64_t kDeterministicAgents = 400000;
constexpr auto kDrug = model::Drug::zoledronic_acid;
constexpr double kDrugUsdPerYear = 600;

/// Women of 65 followed for kYears; "fracture-liaison" treats every clinical fracture with
/// zoledronic acid for 3 years.
config::Scenario liaison_scenario() {
  auto scenario = testing::simple_scenario(kDeterministicAgents, kYears, 12);
  scenario.population.age_years = 65;
  auto& p = scenario.strategies.front().parameters;
  p.interventions = testing::simple_catalogue();
  p.economics = testing::simple_economics();
  p.economics.drug_usd_per_year[static_cast<int>(kDrug)] = kDrugUsdPerYear;
  auto liaison = scenario.strategies.front();
  liaison.name = "fracture-liaison";
  liaison.interventions.fracture_liaison.enabled = true;
  liaison.interventions.fracture_liaison.uptake = 1;
  liaison.interventions.fracture_liaison.regimen.courses = {{kDrug, 3}};
  scenario.strategies.push_back(liaison);
  const auto hip = static_cast<std::size_t>(model::Site::hip);
  testing::add_uncertain(scenario, "costs.hip_first_year", 20000,
                         [hip](model::ModelParameters& q) -> double& {
                           return q.economics.fracture_first_year_usd[hip];
                         });
  testing::set_distribution(scenario, 0, model::Distribution::gamma, 5000);
  testing::add_uncertain(scenario, "costs.zoledronic_acid_usd_per_year", kDrugUsdPerYear,
                         [](model::ModelParameters& q) -> double& {
                           return q.economics.drug_usd_per_year[static_cast<int>(kDrug)];
                         });
  testing::set_distribution(scenario, 1, model::Distribution::gamma, 200);
  testing::add_uncertain(
      scenario, "utilities.hip_first_year_multiplier", 0.78,
      [hip](model::ModelParameters& q) -> double& { return q.economics.utility_first_year[hip]; });
  testing::set_distribution(scenario, 2, model::Distribution::beta, 0.05);
  scenario.psa = {kDraws, kAgentsPerDraw};
  return scenario;
}

double discounted_drug_usd(const engine::Tallies& t) {
  std::int64_t ticks = 0;
  for (int year = 0; year < t.years; ++year)
    ticks += t.discounted_cost_ticks[static_cast<std::size_t>(year) * model::kCostCategories +
                                     static_cast<int>(model::CostCategory::drugs)];
  return static_cast<double>(ticks) / engine::kCostTicksPerUsd;
}

TEST(PsaMean, EqualsTheDeterministicRunForOutcomesLinearInTheUncertainNumbers) {
  const auto scenario = liaison_scenario();
  const auto psa = engine::run_psa(scenario, 0, nullptr);
  ASSERT_EQ(psa.totals.size(), static_cast<std::size_t>(2 * kDraws));

  // The deterministic run, on its own random numbers (another seed), with ~200 blocks for its
  // paired SE.
  auto deterministic_scenario = scenario;
  deterministic_scenario.seed += 1;
  engine::RunOptions options;
  options.block_size = kDeterministicAgents / 200;
  const auto tallies = engine::simulate(deterministic_scenario, options);
  std::vector<engine::EconomicTotals> deterministic;
  for (const auto& t : tallies)
    deterministic.push_back(engine::economic_totals(t, kDeterministicAgents));

  // Student's t rather than z: the SEs come from the draws' own spread (draws - 2 degrees of
  // freedom for the slope, the fewest of the checks).
  constexpr int kChecks = 7;  // cost and QALYs of 2 strategies, 2 incremental, 1 slope
  const double z = testing::student_t_two_sided(testing::kFalseFailureRate / kChecks, kDraws - 2);
  const double draws = static_cast<double>(kDraws);
  const double agent_ratio = static_cast<double>(kAgentsPerDraw) / kDeterministicAgents;
  auto per_draw = [&](auto outcome) {
    std::vector<double> x;
    for (std::int64_t d = 0; d < kDraws; ++d)
      x.push_back(outcome(psa.totals[2 * d], psa.totals[2 * d + 1]));
    return x;
  };
  auto check = [&](const char* what, const std::vector<double>& draws_of, double value,
                   double deterministic_se) {
    const auto m = testing::sample_moments(draws_of);
    const double se = std::sqrt(m.variance / draws + deterministic_se * deterministic_se);
    std::printf("  %-20s PSA mean %12.5f  deterministic %12.5f  SE %.5f\n", what, m.mean, value,
                se);
    EXPECT_NEAR(m.mean, value, z * se) << what;
  };
  for (int s = 0; s < 2; ++s) {
    const auto costs =
        per_draw([s](const auto& a, const auto& b) { return (s == 0 ? a : b).cost_usd; });
    const auto qalys =
        per_draw([s](const auto& a, const auto& b) { return (s == 0 ? a : b).qalys; });
    check(s == 0 ? "cost, natural" : "cost, liaison", costs, deterministic[s].cost_usd,
          std::sqrt(testing::sample_moments(costs).variance * agent_ratio));
    check(s == 0 ? "QALYs, natural" : "QALYs, liaison", qalys, deterministic[s].qalys,
          std::sqrt(testing::sample_moments(qalys).variance * agent_ratio));
  }
  const auto incremental_cost =
      per_draw([](const auto& a, const auto& b) { return b.cost_usd - a.cost_usd; });
  const auto incremental_qalys =
      per_draw([](const auto& a, const auto& b) { return b.qalys - a.qalys; });
  check("incremental cost", incremental_cost, deterministic[1].cost_usd - deterministic[0].cost_usd,
        deterministic[1].incremental_cost_se_usd);
  check("incremental QALYs", incremental_qalys, deterministic[1].qalys - deterministic[0].qalys,
        deterministic[1].incremental_qaly_se);

  // The intervention is in play: with these prices its drugs cost more than the fractures it
  // averts, and the natural history buys none.
  EXPECT_GT(testing::sample_moments(incremental_cost).mean, 0);
  EXPECT_EQ(discounted_drug_usd(tallies[0]), 0.0);

  // The drawn drug cost moves each draw's incremental cost, by the discounted drug-years per
  // person (least-squares slope over the draws).
  std::size_t drug_column = psa.parameter_names.size();
  for (std::size_t k = 0; k < psa.parameter_names.size(); ++k)
    if (psa.parameter_names[k] == "costs.zoledronic_acid_usd_per_year") drug_column = k;
  ASSERT_LT(drug_column, psa.parameter_names.size());
  std::vector<double> price;
  for (std::int64_t d = 0; d < kDraws; ++d)
    price.push_back(psa.parameter_values[static_cast<std::size_t>(d) * psa.parameter_names.size() +
                                         drug_column]);
  const auto p = testing::sample_moments(price);
  const auto y = testing::sample_moments(incremental_cost);
  double covariance = 0;
  for (std::int64_t d = 0; d < kDraws; ++d)
    covariance += (price[d] - p.mean) * (incremental_cost[d] - y.mean) / (draws - 1);
  const double slope = covariance / p.variance;
  const double residual_variance = (draws - 1) / (draws - 2) * (y.variance - slope * covariance);
  const double slope_se = std::sqrt(residual_variance / ((draws - 1) * p.variance));
  const double drug_years =
      discounted_drug_usd(tallies[1]) / kDrugUsdPerYear / kDeterministicAgents;
  const double drug_years_se = std::sqrt(kYears * drug_years / kDeterministicAgents);
  const double se = std::hypot(slope_se, drug_years_se);
  std::printf("  %-20s PSA slope %12.5f  drug-years    %12.5f  SE %.5f\n", "d(incr. cost)/d(drug)",
              slope, drug_years, se);
  EXPECT_GT(drug_years, 0.05);  // not vacuous: a visible share of the cohort is treated
  EXPECT_NEAR(slope, drug_years, z * se);
}

}  // namespace
}  // namespace osteosim
