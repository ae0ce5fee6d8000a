// EVPPI by the regression method (Strong, Oakley & Brennan 2014) on synthetic decision
// problems whose answer is known: a linear-Gaussian one in closed form, and bounds that hold
// for any problem (0 <= EVPPI <= EVPI; ~0 for a parameter net benefit does not depend on).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>

#include "analysis/additive_spline.hpp"
#include "analysis/cea.hpp"
#include "analysis/evppi.hpp"
#include "monte_carlo_tolerance.hpp"

namespace osteosim::analysis {

namespace {

double normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi); }
double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

/// Standard error of the mean of `v`.
double standard_error(const std::vector<double>& v) {
  const auto n = static_cast<double>(v.size());
  double mean = 0, ss = 0;
  for (double x : v) mean += x / n;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / (n - 1) / n);
}

/// Two strategies; the second's incremental QALYs (cost 0, wtp 1, so = its incremental net
/// benefit) are a + b theta + noise, noise the Monte Carlo error of a draw's population.
struct LinearGaussian {
  double a, b, noise_sd;
  std::vector<double> theta, inb;
  PsaTable psa;
  LinearGaussian(double a_, double b_, double noise_sd_, std::size_t draws, unsigned seed)
      : a(a_), b(b_), noise_sd(noise_sd_) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    for (std::size_t d = 0; d < draws; ++d) {
      theta.push_back(normal(rng));
      inb.push_back(a + b * theta.back() + noise_sd * normal(rng));
      psa.cost.push_back({0.0, 0.0});
      psa.qaly.push_back({0.0, inb.back()});
    }
  }
  /// E[max(0, a + b theta)] - max(0, a) for theta ~ N(0, 1).
  double exact_evppi() const {
    return b * normal_pdf(a / b) + a * normal_cdf(a / b) - std::max(0.0, a);
  }
  /// Monte Carlo SE of the estimator: with a perfect fit it is the mean over draws of
  /// max(0, a + b theta_d) - inb_d (a > 0, so the second strategy wins on average).
  double monte_carlo_se() const {
    std::vector<double> z;
    for (std::size_t d = 0; d < theta.size(); ++d)
      z.push_back(std::max(0.0, a + b * theta[d]) - inb[d]);
    return standard_error(z);
  }
};

}  // namespace

// EVPPI of theta = E[max(0, a + b theta)] - max(0, a) = b phi(a/b) + a Phi(a/b) - max(0, a):
// the noise is independent of theta, so E[INB | theta] = a + b theta.
TEST(Evppi, MatchesTheClosedFormOfALinearGaussianProblem) {
  for (const double a : {0.5, -0.3}) {
    const LinearGaussian problem(a, 1.0, 0.5, 4000, 20140311);
    const double estimate = evppi(problem.psa, {problem.theta}, {1.0}).at(0);
    const double tolerance = testing::bonferroni_z(2) * problem.monte_carlo_se();  // two cases
    EXPECT_NEAR(estimate, problem.exact_evppi(), tolerance) << "a = " << a;
  }
}

// Knowing theta resolves part of the uncertainty, not the noise: EVPPI lies between 0 and
// EVPI at every wtp, here with three strategies and costs and QALYs both uncertain.
TEST(Evppi, LiesBetweenZeroAndEvpi) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  std::vector<double> theta, phi;
  PsaTable psa;
  for (int d = 0; d < 2000; ++d) {
    theta.push_back(std::exp(0.3 * normal(rng)));  // skewed, like a log-normal relative risk
    phi.push_back(normal(rng));
    const double noise = 0.2 * normal(rng);
    psa.cost.push_back({1000.0, 1500.0 + 300 * phi.back(), 2200.0 + 100 * normal(rng)});
    psa.qaly.push_back({10.0, 10.02 + 0.02 * (theta.back() - 1) + 0.01 * noise,
                        10.03 + 0.01 * phi.back() * theta.back()});
  }
  const std::vector<double> wtp{0, 20000, 30000, 50000, 100000};
  const auto summary = summarise_psa(psa, wtp);
  const auto& evpi = summary.evpi;
  for (const auto& terms :
       std::vector<std::vector<std::vector<double>>>{{theta}, {phi}, {theta, phi}}) {
    const auto partial = evppi(psa, terms, wtp);
    for (std::size_t w = 0; w < wtp.size(); ++w) {
      EXPECT_GE(partial[w], 0.0);
      // Both are Monte Carlo estimates, and where a parameter explains nearly all the
      // decision uncertainty smoothing error can push EVPPI a little above EVPI: allow two
      // SEs of EVPI, the SD over draws of the regret of the CEAF strategy / sqrt(draws).
      std::vector<double> regret;
      const auto chosen = static_cast<std::size_t>(summary.frontier[w]);
      for (std::size_t d = 0; d < psa.cost.size(); ++d) {
        double best = -std::numeric_limits<double>::infinity();
        for (std::size_t s = 0; s < 3; ++s) {
          best = std::max(best, net_monetary_benefit(psa.cost[d][s], psa.qaly[d][s], wtp[w]));
        }
        regret.push_back(best -
                         net_monetary_benefit(psa.cost[d][chosen], psa.qaly[d][chosen], wtp[w]));
      }
      EXPECT_LE(partial[w], evpi[w] + 2 * standard_error(regret)) << "wtp " << wtp[w];
    }
  }
  // both parameters explain most of the decision uncertainty
  const auto both = evppi(psa, {theta, phi}, wtp);
  EXPECT_GT(both[3], 0.5 * evpi[3]);
}

TEST(Evppi, IsAboutZeroForAParameterNetBenefitDoesNotDependOn) {
  const LinearGaussian problem(0.2, 1.0, 0.5, 3000, 99);
  std::mt19937_64 rng(1234);
  std::normal_distribution<double> normal;
  std::vector<double> unrelated;
  for (std::size_t d = 0; d < problem.theta.size(); ++d) unrelated.push_back(normal(rng));
  const double relevant = evppi(problem.psa, {problem.theta}, {1.0}).at(0);
  const double irrelevant = evppi(problem.psa, {unrelated}, {1.0}).at(0);
  EXPECT_LT(irrelevant, 2 * problem.monte_carlo_se());
  EXPECT_LT(irrelevant, 0.1 * relevant);
}

TEST(Evppi, IsZeroForAConstantParameterOrASingleStrategy) {
  const LinearGaussian problem(0.2, 1.0, 0.5, 500, 3);
  const std::vector<double> constant(problem.theta.size(), 0.7);
  EXPECT_EQ(evppi(problem.psa, {constant}, {1.0, 2.0}), (std::vector<double>{0.0, 0.0}));
  PsaTable single;
  for (std::size_t d = 0; d < problem.theta.size(); ++d) {
    single.cost.push_back({1.0});
    single.qaly.push_back({problem.inb[d]});
  }
  EXPECT_EQ(evppi(single, {problem.theta}, {1.0}), (std::vector<double>{0.0}));
}

TEST(Evppi, RefusesFewerDrawsThanRegressionCoefficients) {
  const LinearGaussian problem(0.2, 1.0, 0.5, AdditiveSplineSmoother::kBasisPerTerm, 3);
  EXPECT_THROW(evppi(problem.psa, {problem.theta}, {1.0}), std::invalid_argument);
}

TEST(ParameterGroups, ByParentAndTopLevelKeyEachSetOnce) {
  const std::vector<std::string> names{"costs.hip",
                                       "costs.wrist",
                                       "drugs.alendronate.rr_hip",
                                       "drugs.alendronate.rr_vertebral",
                                       "utilities.hip",
                                       "fractures.hip.rr_per_sd"};
  const auto groups = parameter_groups(names);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].name, "costs.*");
  EXPECT_EQ(groups[0].members, (std::vector<std::size_t>{0, 1}));
  // drugs.* has the same two members: listed once, under the more specific name
  EXPECT_EQ(groups[1].name, "drugs.alendronate.*");
  EXPECT_EQ(groups[1].members, (std::vector<std::size_t>{2, 3}));
}

}  // namespace osteosim::analysis
