// The ANOVA split of a PSA's variance into parameter uncertainty and Monte Carlo noise
// (analysis/psa_noise.hpp), on synthetic draws whose two parts are known.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

#include "analysis/psa_noise.hpp"
#include "monte_carlo_tolerance.hpp"

namespace osteosim::analysis {
namespace {

// Draw d's estimate is theta_d + e_d with theta ~ N(0, 0.02^2) (the parameter part) and
// e_d ~ N(0, se_d^2) with a per-draw SE around 0.01 (the noise part, as a run of finite
// agents gives). The decomposition must recover both variances within their sampling error:
// the sample variance of n normal values has SD sqrt(2 / (n - 1)) x its value, and the mean
// of the se^2 is exact here; 4 SD, fixed seed.
TEST(PsaNoise, RecoversTheParameterAndNoiseVariancesOfSyntheticDraws) {
  constexpr int kDraws = 4000;
  constexpr double kParameterSd = 0.02;
  std::mt19937_64 random(20261202);
  std::normal_distribution<double> standard(0.0, 1.0);
  std::uniform_real_distribution<double> se_of_draw(0.008, 0.012);
  std::vector<double> estimates, errors;
  double noise = 0;
  for (int d = 0; d < kDraws; ++d) {
    const double se = se_of_draw(random);
    errors.push_back(se);
    noise += se * se / kDraws;
    estimates.push_back(kParameterSd * standard(random) + se * standard(random));
  }
  const NoiseDecomposition got = decompose_psa_variance(estimates, errors);
  const double total = kParameterSd * kParameterSd + noise;
  const double z = testing::bonferroni_z(2);
  EXPECT_NEAR(got.total_variance, total, z * std::sqrt(2.0 / (kDraws - 1)) * total);
  EXPECT_DOUBLE_EQ(got.noise_variance, noise);
  EXPECT_NEAR(got.parameter_variance, kParameterSd * kParameterSd,
              z * std::sqrt(2.0 / (kDraws - 1)) * total);
  EXPECT_NEAR(got.noise_share, noise / total, 0.03);
}

TEST(PsaNoise, AgentsForATargetShareFollowTheOneOverAgentsLaw) {
  NoiseDecomposition d;
  d.noise_variance = 1.0;
  d.parameter_variance = 1.0;  // share 0.5 at 1000 agents
  // share 0.1: noise must fall to 1/9 of the parameter variance, 9 times fewer -> 9000.
  EXPECT_EQ(agents_for_noise_share(d, 1000, 0.1), 9000);
  // Already below the target: fewer agents would do.
  EXPECT_EQ(agents_for_noise_share(d, 1000, 0.5), 1000);
  d.parameter_variance = 0;
  EXPECT_EQ(agents_for_noise_share(d, 1000, 0.1), 0);
  EXPECT_THROW(agents_for_noise_share(d, 1000, 1.0), std::invalid_argument);
}

TEST(PsaNoise, PureNoiseIsAllNoiseAndOneDrawIsRefused) {
  // Estimates that differ by less than their SEs: no parameter variance left.
  const auto d = decompose_psa_variance({1.0, 1.001, 0.999}, {0.01, 0.01, 0.01});
  EXPECT_EQ(d.parameter_variance, 0);
  EXPECT_EQ(d.noise_share, 1);
  EXPECT_THROW(decompose_psa_variance({1.0}, {0.1}), std::invalid_argument);
}

// A CEAC probability is a share p of n draws with SD sqrt(p (1 - p) / n), largest at 1/2.
TEST(PsaNoise, DrawsForACeacPrecisionAreTheBinomialWorstCase) {
  EXPECT_EQ(draws_for_ceac_half_width(0.05), 385);  // (1.96 x 0.5 / 0.05)^2 = 384.1
  EXPECT_EQ(draws_for_ceac_half_width(0.1), 97);    // 96.04
  for (const double h : {0.02, 0.05, 0.1}) {
    const auto n = static_cast<double>(draws_for_ceac_half_width(h));
    EXPECT_LE(1.959964 * std::sqrt(0.25 / n), h);        // enough draws
    EXPECT_GT(1.959964 * std::sqrt(0.25 / (n - 1)), h);  // and no more
  }
  EXPECT_THROW(draws_for_ceac_half_width(0), std::invalid_argument);
  EXPECT_THROW(draws_for_ceac_half_width(0.5), std::invalid_argument);
}

}  // namespace
}  // namespace osteosim::analysis
