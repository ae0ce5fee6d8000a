#pragma once
/// Parameter uncertainty for probabilistic sensitivity analysis: a distribution declared
/// beside a parameter in the model files (model.yaml, drugs.yaml, economics.yaml), and a
/// draw from it as a pure function of uniform numbers (the engine supplies uniforms from a
/// stream keyed by seed and draw).
#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/parameters.hpp"

namespace osteosim::model {

enum class Distribution : std::uint8_t { fixed = 0, beta, gamma, lognormal, normal, dirichlet };
inline constexpr std::array<std::string_view, 6> kDistributionNames{
    "fixed", "beta", "gamma", "lognormal", "normal", "dirichlet"};

/// One uncertain parameter, or (Dirichlet) one group of shares that sum to 1.
///
/// Scalars: the base-case `value` and its standard error `se`; a log-normal may instead give
/// `log_sd` (from a 95% interval: value is then the median, as for a published ratio and its
/// confidence interval). `ref` locates the number in the parameters; draws are clamped to
/// [lower, upper], the key's allowed range.
///
/// Dirichlet: `alpha` are the concentration parameters (observed or effective counts per
/// category, Briggs, Claxton & Sculpher 2006, ch. 4); `set_shares` writes a drawn vector of
/// shares into the parameters (e.g. the persistence curve of a drug).
struct UncertainParameter {
  std::string name;  ///< dotted key in its file, e.g. "costs.hip_first_year"
  Distribution distribution = Distribution::fixed;
  double value = 0;
  double se = 0;
  double log_sd = 0;  ///< log-normal from a 95% interval: SD of log(x); value = median
  double lower = -1e300;
  double upper = 1e300;
  std::function<double&(ModelParameters&)> ref;
  std::vector<std::string> categories;  ///< Dirichlet: one name per share
  std::vector<double> alpha;            ///< Dirichlet: concentration per category
  std::function<void(ModelParameters&, const std::vector<double>&)> set_shares;

  /// How many numbers a draw of this parameter yields (1, or the Dirichlet categories).
  std::size_t size() const { return distribution == Distribution::dirichlet ? alpha.size() : 1; }
  /// Their names: the key, or key.category for each Dirichlet share.
  std::vector<std::string> value_names() const;
  /// Whether a draw can differ from the base case.
  bool varies() const;
};

/// The quantile `u` (0 < u < 1) of a scalar parameter's distribution, parameterised by the
/// method of moments from (value, se): beta and gamma as in Briggs, Claxton & Sculpher 2006
/// (Decision Modelling for Health Economic Evaluation, ch. 4); log-normal with the given
/// mean and SD on the natural scale, or median `value` and `log_sd`. A fixed parameter
/// returns its value. The result is clamped to [lower, upper].
double parameter_quantile(const UncertainParameter& p, double u);

/// A Dirichlet(alpha) vector from one uniform per category: independent Gamma(alpha_i, 1)
/// variates by inversion, divided by their sum.
std::vector<double> dirichlet_shares(const std::vector<double>& alpha, const std::vector<double>& uniforms);

/// One draw of `p` from `uniforms` (p.size() of them), written into `parameters`; the drawn
/// numbers are appended to `values` if given.
void apply_draw(const UncertainParameter& p, const std::vector<double>& uniforms,
                ModelParameters& parameters, std::vector<double>* values);

/// Why (value, se) cannot define the distribution, or "" if they can (beta needs
/// 0 < value < 1 and se^2 < value (1 - value); gamma and log-normal need value > 0).
std::string distribution_problem(Distribution d, double value, double se);

}  // namespace osteosim::model
