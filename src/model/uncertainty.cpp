#include "model/uncertainty.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>

namespace osteosim::model {

double parameter_quantile(const UncertainParameter& p, double u) {
  const double m = p.value;
  const double s = p.se;
  if (p.distribution == Distribution::fixed || s == 0) return m;
  switch (p.distribution) {
    case Distribution::beta: {
      // alpha + beta = m (1 - m) / s^2 - 1
      const double n = m * (1 - m) / (s * s) - 1;
      return boost::math::quantile(boost::math::beta_distribution<>(m * n, (1 - m) * n), u);
    }
    case Distribution::gamma: {
      const double shape = (m * m) / (s * s);
      const double scale = (s * s) / m;
      return boost::math::quantile(boost::math::gamma_distribution<>(shape, scale), u);
    }
    case Distribution::lognormal: {
      const double sigma2 = std::log1p((s * s) / (m * m));
      return boost::math::quantile(
          boost::math::lognormal_distribution<>(std::log(m) - sigma2 / 2, std::sqrt(sigma2)), u);
    }
    case Distribution::normal:
      return boost::math::quantile(boost::math::normal_distribution<>(m, s), u);
    case Distribution::fixed:
      break;
  }
  return m;
}

std::string distribution_problem(Distribution d, double value, double se) {
  if (se < 0) return "se must not be negative";
  switch (d) {
    case Distribution::beta:
      if (!(value > 0 && value < 1)) return "a beta distribution needs 0 < value < 1";
      if (!(se * se < value * (1 - value))) return "a beta distribution needs se^2 < value (1 - value)";
      return "";
    case Distribution::gamma:
    case Distribution::lognormal:
      if (!(value > 0)) return "a " + std::string(kDistributionNames[static_cast<int>(d)]) + " distribution needs value > 0";
      return "";
    case Distribution::fixed:
    case Distribution::normal:
      return "";
  }
  return "";
}

}  // namespace osteosim::model
