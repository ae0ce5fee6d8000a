// Fracture hazards: normalisation to the incidence tables, relative risks, fall share.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "model/fracture.hpp"
#include "model_fixture.hpp"

namespace osteosim::model {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

double total(const FractureHazards& h, int k) {
  return h.after_fall_per_year[k] + h.without_fall_per_year[k];
}

/// Population-average hazard at one age: risk factors and prior fracture enumerated with
/// their prevalences, BMD integrated over its normal distribution, fall ratio 1.
double population_average(const ModelParameters& p, Sex sex, double age, int k) {
  const auto baseline = fracture_baseline(p, sex, age);
  const double prior = p.fractures.prior_fracture_prevalence.at(sex, age);
  double average = 0;
  for (unsigned bits = 0; bits < (1u << kRiskFactors); ++bits) {
    double weight = 1;
    for (int f = 0; f < kRiskFactors; ++f) {
      const double prevalence = p.risk_factors[f].prevalence[static_cast<int>(sex)];
      weight *= (bits >> f) & 1u ? prevalence : 1 - prevalence;
    }
    for (int has_prior = 0; has_prior < 2; ++has_prior) {
      const double w = weight * (has_prior ? prior : 1 - prior);
      const int n = 4000;
      for (int q = 0; q < n; ++q) {
        const double z = -8 + 16.0 * (q + 0.5) / n;
        const double density = std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi) * 16.0 / n;
        const double bmd = baseline.bmd_mean_g_cm2 + baseline.bmd_sd_g_cm2 * z;
        const auto h = fracture_hazards_per_year(p, sex, baseline, bmd, static_cast<std::uint8_t>(bits),
                                                 has_prior ? 1000.0 : kInf, 1.0);
        average += w * density * total(h, k);
      }
    }
  }
  return average;
}
}  // namespace

TEST(Fracture, PopulationAverageHazardEqualsTheIncidenceTable) {
  const auto p = testing::simple_parameters();
  for (Sex sex : {Sex::female, Sex::male}) {
    for (double age : {55.0, 72.0, 85.0}) {
      EXPECT_NEAR(population_average(p, sex, age, 0) / p.fractures.site[0].incidence_per_person_year.at(sex, age),
                  1.0, 1e-6);
      // Vertebral: all deformities = clinical incidence / clinical fraction.
      EXPECT_NEAR(population_average(p, sex, age, 1) * p.fractures.vertebral_clinical_fraction /
                      p.fractures.site[1].incidence_per_person_year.at(sex, age),
                  1.0, 1e-6);
    }
  }
}

TEST(Fracture, FallShareSplitsTheHazard) {
  const auto p = testing::simple_parameters();
  const auto baseline = fracture_baseline(p, Sex::female, 75);
  const auto h = fracture_hazards_per_year(p, Sex::female, baseline, 0.6, 0, kInf, 1.0);
  for (int k = 0; k < kFractureProcesses; ++k) {
    EXPECT_NEAR(h.after_fall_per_year[k] / total(h, k), p.fractures.site[k].fall_share, 1e-12);
  }
  // Doubling the fall rate doubles only the fall-related part.
  const auto h2 = fracture_hazards_per_year(p, Sex::female, baseline, 0.6, 0, kInf, 2.0);
  EXPECT_NEAR(h2.after_fall_per_year[0], 2 * h.after_fall_per_year[0], 1e-15);
  EXPECT_DOUBLE_EQ(h2.without_fall_per_year[0], h.without_fall_per_year[0]);
}

TEST(Fracture, PriorFractureRiskIsHighestInTheFirstTwoYears) {
  const auto p = testing::simple_parameters();
  const auto baseline = fracture_baseline(p, Sex::female, 75);
  auto hip = [&](double since) {
    return total(fracture_hazards_per_year(p, Sex::female, baseline, 0.6, 0, since, 1.0), 0);
  };
  EXPECT_NEAR(hip(0.5) / hip(kInf), 2.7, 1e-12);
  EXPECT_NEAR(hip(1.5) / hip(kInf), 2.2, 1e-12);
  EXPECT_NEAR(hip(10) / hip(kInf), 1.8, 1e-12);
}

TEST(Fracture, RiskFactorsMultiplyTheirSiteRelativeRisks) {
  const auto p = testing::simple_parameters();
  const auto baseline = fracture_baseline(p, Sex::male, 75);
  const auto none = fracture_hazards_per_year(p, Sex::male, baseline, 0.7, 0, kInf, 1.0);
  const auto two = fracture_hazards_per_year(p, Sex::male, baseline, 0.7, 0b101, kInf, 1.0);
  EXPECT_NEAR(total(two, 0) / total(none, 0), 1.5 * 1.5, 1e-12);
  EXPECT_NEAR(total(two, 2) / total(none, 2), 1.1 * 1.1, 1e-12);
}

TEST(Fracture, ZeroIncidenceMeansZeroHazard) {
  auto p = testing::simple_parameters();
  p.fractures.site[2].incidence_per_person_year = testing::constant_table(0, 0);
  const auto baseline = fracture_baseline(p, Sex::female, 80);
  const auto h = fracture_hazards_per_year(p, Sex::female, baseline, 0.3, 0xFF >> 2, 0.1, 3.0);
  EXPECT_EQ(total(h, 2), 0.0);
}

}  // namespace osteosim::model
