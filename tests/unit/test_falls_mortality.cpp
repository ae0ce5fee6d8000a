// Falls and mortality processes.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "model/falls.hpp"
#include "model/mortality.hpp"
#include "model_fixture.hpp"

namespace osteosim::model {

TEST(Falls, RateIsTheTableTimesItsScale) {
  auto p = testing::simple_parameters();
  EXPECT_DOUBLE_EQ(mean_fall_rate_per_year(p.falls, Sex::female, 72), 0.5);
  p.falls.annual_rate_scale = 1.1;
  EXPECT_DOUBLE_EQ(mean_fall_rate_per_year(p.falls, Sex::male, 60), 0.25 * 1.1);
}

TEST(Falls, HistoryMultiplierKeepsThePopulationMean) {
  const auto p = testing::simple_parameters();
  const double mean = 0.5;
  const double q = 1 - std::exp(-mean);  // share who fell in the past year
  const double with = fall_rate_per_year(p.falls, mean, true);
  const double without = fall_rate_per_year(p.falls, mean, false);
  EXPECT_DOUBLE_EQ(with / without, p.falls.rr_after_fall_in_last_year);
  EXPECT_NEAR(q * with + (1 - q) * without, mean, 1e-12);
}

TEST(Falls, NoHistoryEffectWhenRelativeRiskIsOne) {
  auto p = testing::simple_parameters();
  p.falls.rr_after_fall_in_last_year = 1;
  EXPECT_DOUBLE_EQ(fall_rate_per_year(p.falls, 0.4, true), 0.4);
  EXPECT_DOUBLE_EQ(fall_rate_per_year(p.falls, 0.4, false), 0.4);
}

TEST(Mortality, LifeTableProbabilityBecomesAHazard) {
  const auto p = testing::simple_parameters();
  EXPECT_NEAR(background_death_hazard_per_year(p.mortality, Sex::female, 80.5), -std::log(1 - 0.045), 1e-12);
  // 1 - exp(-hazard) recovers qx.
  EXPECT_NEAR(1 - std::exp(-background_death_hazard_per_year(p.mortality, Sex::male, 90)), 0.16, 1e-12);
}

TEST(Mortality, NoExcessWithoutFracture) {
  const auto p = testing::simple_parameters();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const auto h = death_hazards_per_year(p.mortality, Sex::female, 0.05, kInf, kInf);
  EXPECT_DOUBLE_EQ(h.background_per_year, 0.05);
  EXPECT_DOUBLE_EQ(h.after_fracture_per_year, 0.0);
}

TEST(Mortality, ExcessAfterHipFractureFollowsTimeSinceFractureAndUsesTheLargerRr) {
  const auto p = testing::simple_parameters();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  EXPECT_NEAR(death_hazards_per_year(p.mortality, Sex::female, 0.05, 0.1, kInf).after_fracture_per_year,
              0.05 * 4.75, 1e-12);
  EXPECT_NEAR(death_hazards_per_year(p.mortality, Sex::male, 0.05, 5, kInf).after_fracture_per_year,
              0.05 * 0.8, 1e-12);
  // Hip (RR 1.6 at 5 y) and vertebral (RR 2.0 in year 1): the larger applies, not the product.
  EXPECT_NEAR(death_hazards_per_year(p.mortality, Sex::female, 0.05, 5, 0.5).after_fracture_per_year,
              0.05 * 1.0, 1e-12);
}

}  // namespace osteosim::model
