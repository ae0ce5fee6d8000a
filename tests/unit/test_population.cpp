// Population synthesis: who enters, in which proportions, with which characteristics.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/rng.hpp"
#include "model/bone.hpp"
#include "model/population.hpp"
#include "model_fixture.hpp"
#include "monte_carlo_tolerance.hpp"

namespace osteosim::model {

namespace {
Agents enter_many(const ModelParameters& p, const EntrySpec& spec, int n) {
  const PopulationSynthesis synthesis(p, spec);
  Agents agents(n);
  for (int i = 0; i < n; ++i) {
    synthesis.enter(p, engine::AgentStepRandom(7, 0, static_cast<std::uint64_t>(i), 0), agents, i);
  }
  return agents;
}
}  // namespace

TEST(Population, CohortOfBothSexesFollowsTheTableSexRatioAtEntryAge) {
  const auto p = testing::simple_parameters();
  const int n = 100000;
  const auto agents = enter_many(p, {true, std::nullopt, 50}, n);
  const double female_share = 400.0 / (400 + 380);
  const double observed = (agents.sex == 0).cast<double>().sum() / n;
  EXPECT_NEAR(observed, female_share, 4 * std::sqrt(female_share * (1 - female_share) / n));
  EXPECT_TRUE((agents.age_years == 50).all());
  EXPECT_DOUBLE_EQ(PopulationSynthesis(p, {true, std::nullopt, 50}).persons_represented(), 780);
}

TEST(Population, CrossSectionFollowsTheAgeSexTable) {
  const auto p = testing::simple_parameters();
  const int n = 100000;
  const auto agents = enter_many(p, {false, std::nullopt, 0}, n);
  const double total = 1000 + 870;
  // Table rows are single "ages" 50, 60, 70, 80 here; an agent's age is the row plus a
  // uniform fraction of a year.
  const double z = testing::bonferroni_z(4);  // four rows, 1e-4 false failures in all
  for (int row = 0; row < 4; ++row) {
    const double expected =
        (p.demography.population.values[0][row] + p.demography.population.values[1][row]) / total;
    const double lo = 50 + 10 * row;
    const double observed =
        ((agents.age_years >= lo) && (agents.age_years < lo + 1)).cast<double>().sum() / n;
    EXPECT_NEAR(observed, expected, z * std::sqrt(expected * (1 - expected) / n)) << "row " << row;
  }
  EXPECT_DOUBLE_EQ(PopulationSynthesis(p, {false, std::nullopt, 0}).persons_represented(), total);
}

TEST(Population, EntryBmdHasThePopulationMeanAndSd) {
  const auto p = testing::simple_parameters();
  const int n = 100000;
  const auto agents = enter_many(p, {true, Sex::female, 50}, n);
  const double mean = agents.bmd_g_cm2.mean();
  const double sd = std::sqrt((agents.bmd_g_cm2 - mean).square().mean());
  const double z = testing::bonferroni_z(2);
  EXPECT_NEAR(mean, population_mean_bmd_g_cm2(p.bone, Sex::female, 50), z * 0.12 / std::sqrt(n));
  EXPECT_NEAR(sd, 0.12, z * 0.12 / std::sqrt(2.0 * n));
}

TEST(Population, RiskFactorsAndPriorFractureAtTheirPrevalence) {
  const auto p = testing::simple_parameters();
  const int n = 100000;
  const auto agents = enter_many(p, {true, Sex::female, 50}, n);
  const double z = testing::bonferroni_z(kRiskFactors + 1);
  for (int k = 0; k < kRiskFactors; ++k) {
    int count = 0;
    for (int i = 0; i < n; ++i) count += agents.has_risk_factor(i, k);
    EXPECT_NEAR(count / double(n), 0.1, z * std::sqrt(0.09 / n)) << kRiskFactorNames[k];
  }
  const double prior = (agents.time_of_last_fracture > kNever).cast<double>().sum() / n;
  EXPECT_NEAR(prior, 0.1, z * std::sqrt(0.09 / n));
}

TEST(Population, MenOnlyCohortHasNoMenopause) {
  const auto p = testing::simple_parameters();
  const auto agents = enter_many(p, {true, Sex::male, 60}, 1000);
  EXPECT_TRUE((agents.sex == 1).all());
  EXPECT_TRUE(agents.menopause_age_years.isInf().all());
}

}  // namespace osteosim::model

namespace osteosim::model {
namespace {

FractureParameters constant_incidence(double per_site_per_year) {
  FractureParameters f;
  for (auto& site : f.site) {
    site.incidence_per_person_year.keys = {50};
    site.incidence_per_person_year.values = {std::vector<double>{per_site_per_year},
                                             std::vector<double>{per_site_per_year}};
  }
  return f;
}

TEST(PriorFracture, DatedByTheBackwardRecurrenceTimeOfAConstantRate) {
  // Three sites at 0.02 / y: rate 0.06 / y over the 20 years since 50. The most recent
  // fracture is a truncated exponential: t = -log(1 - u (1 - exp(-0.06 x 20))) / 0.06.
  const auto f = constant_incidence(0.02);
  for (const double u : {0.01, 0.3, 0.5, 0.9, 0.999}) {
    const double expected = -std::log1p(-u * (1 - std::exp(-0.06 * 20))) / 0.06;
    EXPECT_NEAR(years_since_prior_fracture(f, Sex::female, 70.0, u), expected, 1e-9) << u;
  }
  // Within the span since 50, and recent fractures more likely than under a uniform date.
  EXPECT_LT(years_since_prior_fracture(f, Sex::male, 70.4, 0.999999), 20.4 + 1e-9);
  EXPECT_LT(years_since_prior_fracture(f, Sex::male, 70.4, 0.5), 10.2);
}

TEST(PriorFracture, RisingIncidenceMakesRecentFracturesMoreLikely) {
  auto f = constant_incidence(0.01);
  for (auto& site : f.site) {
    site.incidence_per_person_year.keys = {50, 70};
    site.incidence_per_person_year.values = {std::vector<double>{0.001, 0.03},
                                             std::vector<double>{0.001, 0.03}};
  }
  // 80 years old: 10 years at 0.09 / y and before that 20 years at 0.003 / y. The median
  // most recent fracture: 1 - exp(-H) = 0.5 (1 - exp(-(0.9 + 0.06))).
  const double h = -std::log1p(-0.5 * (1 - std::exp(-0.96)));
  EXPECT_NEAR(years_since_prior_fracture(f, Sex::female, 80.0, 0.5), h / 0.09, 1e-9);
  // At 50 there is no time since 50: a fracture before 50, dated long ago.
  EXPECT_GT(years_since_prior_fracture(f, Sex::female, 50.0, 0.5), 100);
}

TEST(PriorFracture, SilentVertebralHistoryFollowsThePoissonProcessTheModelImplies) {
  // Clinical vertebral 0.003 / y with 30% recognised: silent ones at 0.007 / y over the 30
  // years since 50, so P(at least one) = 1 - exp(-0.21).
  auto f = constant_incidence(0.003);
  f.vertebral_clinical_fraction = 0.3;
  const double p_any = 1 - std::exp(-0.007 * 30);
  EXPECT_FALSE(
      years_since_silent_vertebral_fracture(f, Sex::female, 80.0, p_any + 1e-9).has_value());
  const auto t = years_since_silent_vertebral_fracture(f, Sex::female, 80.0, p_any / 2);
  ASSERT_TRUE(t.has_value());
  EXPECT_NEAR(*t, -std::log1p(-0.5 * p_any) / 0.007, 1e-9);
  EXPECT_FALSE(years_since_silent_vertebral_fracture(f, Sex::female, 50.0, 1e-6).has_value());
}

}  // namespace
}  // namespace osteosim::model
