#pragma once
/// Parameter uncertainty for probabilistic sensitivity analysis: a distribution declared
/// beside a parameter in the model files, and a draw from it as a pure function of a
/// uniform number (the engine supplies uniforms from a stream keyed by seed and draw).
#include <array>
#include <functional>
#include <string>
#include <string_view>

#include "model/economics.hpp"

namespace osteosim::model {

enum class Distribution : std::uint8_t { fixed = 0, beta, gamma, lognormal, normal };
inline constexpr std::array<std::string_view, 5> kDistributionNames{"fixed", "beta", "gamma",
                                                                     "lognormal", "normal"};

/// One uncertain parameter: its base-case value (the mean of the distribution) and
/// standard error; `ref` locates it in the parameters.
struct UncertainParameter {
  std::string name;  ///< dotted key in the model file, e.g. "costs.hip_first_year_usd"
  Distribution distribution = Distribution::fixed;
  double value = 0;
  double se = 0;
  std::function<double&(EconomicsParameters&)> ref;
};

/// The quantile `u` (0 < u < 1) of the parameter's distribution, parameterised by the
/// method of moments from (value, se): beta and gamma as in Briggs, Claxton & Sculpher 2006
/// (Decision Modelling for Health Economic Evaluation, ch. 4); log-normal with the given
/// mean and SD on the natural scale. A fixed parameter returns its value.
double parameter_quantile(const UncertainParameter& p, double u);

/// Why (value, se) cannot define the distribution, or "" if they can (beta needs
/// 0 < value < 1 and se^2 < value (1 - value); gamma and log-normal need value > 0).
std::string distribution_problem(Distribution d, double value, double se);

}  // namespace osteosim::model
