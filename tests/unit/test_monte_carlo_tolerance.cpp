// The tolerances of the statistical tests (monte_carlo_tolerance.hpp) against published
// quantiles: standard normal, Student's t and chi-square tables (Abramowitz & Stegun 1964,
// Tables 26.1, 26.10 and 26.8).
#include <gtest/gtest.h>

#include "monte_carlo_tolerance.hpp"

namespace osteosim::testing {

TEST(MonteCarloTolerance, TwoSidedNormalQuantiles) {
  EXPECT_NEAR(two_sided_z(0.05), 1.959964, 1e-6);
  EXPECT_NEAR(two_sided_z(1e-4), 3.890592, 1e-6);
  EXPECT_NEAR(two_sided_z(1e-6), 4.891638, 1e-6);
  EXPECT_NEAR(bonferroni_z(10, 1e-3), two_sided_z(1e-4), 1e-12);
}

TEST(MonteCarloTolerance, StudentTWithinHalfAPercentFromTwentyDegreesOfFreedom) {
  // {two-sided alpha, dof, tabulated quantile}
  const struct {
    double alpha;
    int dof;
    double t;
  } table[] = {{0.05, 20, 2.086}, {0.01, 30, 2.750}, {0.001, 20, 3.850}, {0.001, 60, 3.460}};
  for (const auto& row : table) {
    EXPECT_NEAR(student_t_two_sided(row.alpha, row.dof), row.t, 0.005 * row.t)
        << "alpha " << row.alpha << ", dof " << row.dof;
  }
}

TEST(MonteCarloTolerance, ChiSquareUpperQuantileWithinOnePercent) {
  EXPECT_NEAR(chi_square_upper_quantile(10, 0.001), 29.588, 0.01 * 29.588);
  EXPECT_NEAR(chi_square_upper_quantile(50, 0.001), 86.661, 0.01 * 86.661);
  EXPECT_NEAR(chi_square_upper_quantile(30, 0.05), 43.773, 0.01 * 43.773);
}

}  // namespace osteosim::testing
