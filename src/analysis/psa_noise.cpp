#include "analysis/psa_noise.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace osteosim::analysis {

NoiseDecomposition decompose_psa_variance(const std::vector<double>& estimates,
                                          const std::vector<double>& standard_errors) {
  if (estimates.size() < 2 || standard_errors.size() != estimates.size()) {
    throw std::invalid_argument(
        "decompose_psa_variance: needs two draws or more, each with its SE");
  }
  const auto draws = static_cast<double>(estimates.size());
  double mean = 0;
  for (double x : estimates) mean += x / draws;
  NoiseDecomposition d;
  for (double x : estimates) d.total_variance += (x - mean) * (x - mean) / (draws - 1);
  for (double se : standard_errors) d.noise_variance += se * se / draws;
  d.parameter_variance = std::max(0.0, d.total_variance - d.noise_variance);
  d.noise_share = d.total_variance > 0 ? std::min(1.0, d.noise_variance / d.total_variance)
                                       : std::numeric_limits<double>::quiet_NaN();
  return d;
}

std::int64_t agents_for_noise_share(const NoiseDecomposition& d, std::int64_t agents_per_draw,
                                    double target_share) {
  if (!(target_share > 0 && target_share < 1)) {
    throw std::invalid_argument("agents_for_noise_share: the target share must be in (0, 1)");
  }
  if (!(d.parameter_variance > 0)) return 0;
  // noise x a / a' <= target / (1 - target) x parameter
  const double needed = static_cast<double>(agents_per_draw) * d.noise_variance *
                        (1 - target_share) / (target_share * d.parameter_variance);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(needed)));
}

std::int64_t draws_for_ceac_half_width(double half_width) {
  if (!(half_width > 0 && half_width < 0.5)) {
    throw std::invalid_argument("draws_for_ceac_half_width: the half-width must be in (0, 0.5)");
  }
  constexpr double kZ95 = 1.959963984540054;  // two-sided 95 % normal quantile
  const double sd_at_half = 0.5;              // sqrt(p (1 - p)) at p = 1/2
  return static_cast<std::int64_t>(std::ceil(std::pow(kZ95 * sd_at_half / half_width, 2)));
}

}  // namespace osteosim::analysis
