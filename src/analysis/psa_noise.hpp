#pragma once
/// How much of a PSA's spread is parameter uncertainty and how much is the simulation's own
/// noise. A patient-level model estimates each draw's outcome from a finite number of
/// agents, so the variance over draws is the parameter variance plus the mean Monte Carlo
/// variance of a draw's estimate: the one-way ANOVA decomposition of O'Hagan A, Stevenson M,
/// Madan J 2007 (Health Econ 16:1009, "Monte Carlo probabilistic sensitivity analysis for
/// patient level simulation models: efficient estimation of mean and variance using ANOVA").
/// A CEAC computed from noisy draws mixes the noise into the uncertainty it shows. Pure
/// functions, no I/O.
#include <cstdint>
#include <vector>

namespace osteosim::analysis {

struct NoiseDecomposition {
  double total_variance = 0;      ///< sample variance of the draws' estimates
  double noise_variance = 0;      ///< mean squared Monte Carlo SE of a draw's estimate
  double parameter_variance = 0;  ///< total - noise, at least 0
  double noise_share = 0;         ///< noise / total, at most 1 (NaN if total is 0)
};

/// The decomposition of `estimates` (one per draw) whose Monte Carlo standard errors are
/// `standard_errors`. Needs two draws or more (else std::invalid_argument).
NoiseDecomposition decompose_psa_variance(const std::vector<double>& estimates,
                                          const std::vector<double>& standard_errors);

/// Agents per draw that bring the noise share down to `target_share` (0 < target < 1),
/// given the decomposition of a PSA run with `agents_per_draw`: the noise variance falls as
/// 1 / agents. 0 when the parameter variance is not above 0 (the draws cannot tell it).
std::int64_t agents_for_noise_share(const NoiseDecomposition& d, std::int64_t agents_per_draw,
                                    double target_share);

/// Draws for which a CEAC's probability (a share of draws) has a 95 % interval at most
/// ±`half_width` (0 < h < 0.5) wherever it lies: the binomial worst case p = 1/2,
/// n = (1.96 / (2 h))^2, e.g. 385 for ±0.05.
std::int64_t draws_for_ceac_half_width(double half_width);

}  // namespace osteosim::analysis
