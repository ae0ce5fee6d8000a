#include "model/uncertainty.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>

namespace osteosim::model {

std::vector<std::string> UncertainParameter::value_names() const {
  if (distribution != Distribution::dirichlet) return {name};
  std::vector<std::string> names;
  for (const auto& c : categories) {
    std::string n = name;
    n += '.';
    n += c;
    names.push_back(std::move(n));
  }
  return names;
}

bool UncertainParameter::varies() const {
  if (distribution == Distribution::dirichlet) return !alpha.empty();
  return distribution != Distribution::fixed && (se > 0 || log_sd > 0);
}

namespace {

double unclamped_quantile(const UncertainParameter& p, double u) {
  const double m = p.value;
  const double s = p.se;
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
      if (p.log_sd > 0) {
        return boost::math::quantile(boost::math::lognormal_distribution<>(std::log(m), p.log_sd), u);
      }
      const double sigma2 = std::log1p((s * s) / (m * m));
      return boost::math::quantile(
          boost::math::lognormal_distribution<>(std::log(m) - sigma2 / 2, std::sqrt(sigma2)), u);
    }
    case Distribution::normal:
      return boost::math::quantile(boost::math::normal_distribution<>(m, s), u);
    case Distribution::fixed:
    case Distribution::dirichlet:
      break;
  }
  return m;
}

}  // namespace

double parameter_quantile(const UncertainParameter& p, double u) {
  if (!p.varies() || p.distribution == Distribution::dirichlet) return p.value;
  return std::clamp(unclamped_quantile(p, u), p.lower, p.upper);
}

std::vector<double> dirichlet_shares(const std::vector<double>& alpha, const std::vector<double>& uniforms) {
  std::vector<double> shares(alpha.size());
  double total = 0;
  for (std::size_t i = 0; i < alpha.size(); ++i) {
    shares[i] = boost::math::quantile(boost::math::gamma_distribution<>(alpha[i], 1.0), uniforms[i]);
    total += shares[i];
  }
  for (auto& s : shares) s /= total;
  return shares;
}

void apply_draw(const UncertainParameter& p, const std::vector<double>& uniforms,
                ModelParameters& parameters, std::vector<double>* values) {
  if (p.distribution == Distribution::dirichlet) {
    const auto shares = dirichlet_shares(p.alpha, uniforms);
    p.set_shares(parameters, shares);
    if (values) values->insert(values->end(), shares.begin(), shares.end());
    return;
  }
  const double x = parameter_quantile(p, uniforms.at(0));
  p.ref(parameters) = x;
  if (values) values->push_back(x);
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
    case Distribution::dirichlet:
      return "a dirichlet distribution describes a group of shares (e.g. a drug's persistence_distribution), not one number";
    case Distribution::fixed:
    case Distribution::normal:
      return "";
  }
  return "";
}

}  // namespace osteosim::model
