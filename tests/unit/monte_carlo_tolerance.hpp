#pragma once
/// Tolerances of statistical tests, derived from a stated false-failure rate instead of a
/// habitual "3 SE" or "95 %". Every statistical test runs with fixed seeds, so it cannot
/// flicker; the rate is the chance that a correct model fails it after any change of how
/// random numbers are used (a new stream, a reordered draw), which reshuffles every sample.
/// The project's rule (issue 20): at most 1e-4 per test run.
#include <cmath>
#include <numeric>
#include <vector>

namespace osteosim::testing {

inline constexpr double kFalseFailureRate = 1e-4;

/// Variance of a fracture or death count over its Poisson variance, allowed for where a test
/// treats counts of the shipped or fixture models as Poisson: one agent's repeat fractures
/// (imminent risk) and frailty make them overdispersed. Measured on the calibration cells
/// (tests/validation/test_targets.cpp): over seeds +1..+9 the sum of squared Poisson z of the 48
/// cells averaged 55 (us-2025) and 42 (sweden-2025), i.e. at most ~1.15; 1.5 keeps the
/// false-failure rate below kFalseFailureRate.
inline constexpr double kEventCountOverdispersion = 1.5;

/// Mean and sample variance (n - 1) of replicates: draws, seeds, blocks.
struct SampleMoments {
  double mean = 0;
  double variance = 0;
};

inline SampleMoments sample_moments(const std::vector<double>& x) {
  SampleMoments m;
  const double n = static_cast<double>(x.size());
  m.mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  for (double v : x) m.variance += (v - m.mean) * (v - m.mean) / (n - 1);
  return m;
}

/// z with P(|Z| > z) = alpha for a standard normal Z (bisection on erfc: exact to 1e-12).
inline double two_sided_z(double alpha) {
  double lo = 0, hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (std::erfc(mid / std::sqrt(2.0)) > alpha ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

/// The z that `comparisons` two-sided checks in one test share so that the test as a whole
/// fails a correct model with probability at most `rate` (Bonferroni).
inline double bonferroni_z(int comparisons, double rate = kFalseFailureRate) {
  return two_sided_z(rate / comparisons);
}

/// Two-sided quantile of Student's t with `dof` degrees of freedom, for an SE estimated from
/// dof + 1 replicates (e.g. blocks of agents): Cornish-Fisher expansion in 1/dof (Abramowitz &
/// Stegun 1964, 26.7.5), within 0.5 % for dof >= 20 at alpha >= 1e-6.
inline double student_t_two_sided(double alpha, int dof) {
  const double z = two_sided_z(alpha), z3 = z * z * z, z5 = z3 * z * z, v = dof;
  return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
         (3 * z5 * z * z + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
}

/// Upper quantile of the chi-square distribution with `dof` degrees of freedom:
/// P(X > x) = alpha. Wilson-Hilferty's cube-root normal approximation (Wilson & Hilferty 1931
/// PNAS 17:684), within 1 % of the exact quantile for dof >= 10 at alpha >= 1e-6.
inline double chi_square_upper_quantile(int dof, double alpha) {
  const double z = two_sided_z(2 * alpha);  // one-sided
  const double k = dof, a = 2.0 / (9.0 * k);
  return k * std::pow(1 - a + z * std::sqrt(a), 3);
}

}  // namespace osteosim::testing
