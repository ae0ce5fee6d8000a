#pragma once
/// Expected value of partial perfect information (EVPPI) from a PSA sample by the
/// regression (metamodel) method of Strong, Oakley & Brennan 2014 (Med Decis Making
/// 34:311): the conditional expectation of each strategy's net benefit given the
/// parameters of interest is estimated by smoothing the per-draw net benefits on those
/// parameters, and EVPPI = mean over draws of max_s fitted_s - max_s mean of fitted_s. The
/// smoother also absorbs the Monte Carlo noise of each draw's simulated population, which
/// is independent of the parameters. Pure functions, no I/O.
#include <string>
#include <vector>

#include "analysis/cea.hpp"

namespace osteosim::analysis {

/// EVPPI per person at each wtp for the parameters `terms[j][d]` (value of parameter j
/// in draw d) jointly: one parameter, or a group by an additive model (additive_spline.hpp).
/// Incremental cost and QALYs against the first strategy are smoothed separately: the
/// smoother is linear in the response, so wtp x fitted QALYs - fitted cost is the fit of
/// the incremental net benefit for every wtp at once (with each its own GCV smoothing
/// parameter). Zero for parameters constant over the draws or a single strategy; clamped
/// at 0 (only smoothing error makes it negative). std::invalid_argument when there are too
/// few draws for the regression.
std::vector<double> evppi(const PsaTable& psa, const std::vector<std::vector<double>>& terms,
                          const std::vector<double>& wtp_grid);

/// A set of PSA parameters whose joint EVPPI is reported: `name` ends in ".*".
struct ParameterGroup {
  std::string name;
  std::vector<std::size_t> members;  ///< indices into the parameter names
};

/// Groups of dotted parameter keys that research would resolve together: every parent key
/// (e.g. "drugs.alendronate.*", "costs.*", a Dirichlet group's shares) and every top-level
/// key ("drugs.*") with at least two parameters; a set of members met twice is listed once,
/// under its longer, more specific name. Sorted by name.
std::vector<ParameterGroup> parameter_groups(const std::vector<std::string>& names);

}  // namespace osteosim::analysis
