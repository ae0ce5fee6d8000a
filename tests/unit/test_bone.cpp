// Bone process: T-score, BMD relative risk and bone loss.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "model/bone.hpp"
#include "model_fixture.hpp"

namespace osteosim::model {

TEST(Bone, TScoreIsDistanceFromYoungReferenceInSds) {
  const auto p = testing::simple_parameters();
  EXPECT_DOUBLE_EQ(t_score(0.858, p.bone), 0.0);
  EXPECT_NEAR(t_score(0.858 - 2.5 * 0.120, p.bone), -2.5, 1e-12);
}

TEST(Bone, RelativeRiskHasGradientPerSdAndPopulationMeanOne) {
  const double mean = 0.7, sd = 0.12, gradient = 2.6;
  // One SD lower BMD multiplies risk by the gradient.
  EXPECT_NEAR(bmd_relative_risk(mean - sd, gradient, mean, sd) /
                  bmd_relative_risk(mean, gradient, mean, sd),
              gradient, 1e-12);
  // Mean over N(mean, sd) is 1 (Gauss-Hermite-free check: midpoint rule over +-10 SD).
  double integral = 0;
  const int n = 20000;
  for (int k = 0; k < n; ++k) {
    const double z = -10 + 20.0 * (k + 0.5) / n;
    const double density = std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi);
    integral += bmd_relative_risk(mean + sd * z, gradient, mean, sd) * density * 20.0 / n;
  }
  EXPECT_NEAR(integral, 1.0, 1e-9);
}

TEST(Bone, PopulationMeanIsInterpolatedBetweenBandMidpoints) {
  const auto p = testing::simple_parameters();
  // Bands 50-59 (0.76) and 60-69 (0.71): midpoints 55 and 65.
  EXPECT_DOUBLE_EQ(population_mean_bmd_g_cm2(p.bone, Sex::female, 55), 0.76);
  EXPECT_NEAR(population_mean_bmd_g_cm2(p.bone, Sex::female, 60), 0.735, 1e-12);
  EXPECT_DOUBLE_EQ(population_mean_bmd_g_cm2(p.bone, Sex::female, 50), 0.76);
}

TEST(Bone, LossRateOutsideMenopauseIsTheTableTimesTheMultiplier) {
  const auto p = testing::simple_parameters();
  const double rate = bone_loss_rate_per_year(p.bone, Sex::female, 60, 61, 1.5, 51);
  EXPECT_NEAR(rate, -std::log(1 - 0.005 * 1.5), 1e-12);
  EXPECT_NEAR(bone_loss_rate_per_year(p.bone, Sex::male, 75, 76, 1.0, 51), -std::log(1 - 0.007),
              1e-12);
}

TEST(Bone, MenopauseLossCountsOnlyTheOverlapWithItsWindow) {
  const auto p = testing::simple_parameters();
  // Window [FMP - 1, FMP + 2) = [50, 53) for FMP at 51: a year inside gets the full extra
  // loss, a year half inside half of it; men never.
  EXPECT_NEAR(bone_loss_rate_per_year(p.bone, Sex::female, 51, 52, 1, 51), -std::log(1 - 0.025), 1e-12);
  EXPECT_NEAR(bone_loss_rate_per_year(p.bone, Sex::female, 52.5, 53.5, 1, 51), -std::log(1 - 0.015), 1e-12);
  EXPECT_NEAR(bone_loss_rate_per_year(p.bone, Sex::male, 51, 52, 1, 51), -std::log(1 - 0.004), 1e-12);
}

TEST(Bone, TwelveMonthlyStepsLoseAsMuchAsOneYearlyStepWithinTheMenopauseWindow) {
  const auto p = testing::simple_parameters();
  double monthly = 1;
  for (int m = 0; m < 12; ++m) {
    const double from = 52.5 + m / 12.0;
    monthly *= std::exp(-bone_loss_rate_per_year(p.bone, Sex::female, from, from + 1 / 12.0, 1, 51) / 12);
  }
  const double yearly = std::exp(-bone_loss_rate_per_year(p.bone, Sex::female, 52.5, 53.5, 1, 51));
  // Equal up to the linearisation of fractions into rates (second order).
  EXPECT_NEAR(monthly, yearly, 2e-4);
}

}  // namespace osteosim::model
