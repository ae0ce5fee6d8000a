#pragma once
/// The smoother of the regression (metamodel) method for EVPPI: an additive model of
/// penalised cubic regression splines (P-splines, Eilers & Marx 1996, Stat Sci 11:89),
/// y ~ mu + f_1(x_1) + ... + f_k(x_k), one smoothing parameter chosen by generalised
/// cross-validation. Strong, Oakley & Brennan 2014 (Med Decis Making 34:311, section
/// "Generalized additive models") fit exactly this kind of GAM with mgcv for one
/// parameter and for small groups; their tensor-product GAM captures interactions within a
/// group that an additive model misses, at a cost in basis functions that grows as the
/// product of the terms' (a group of 4 would need 10^4 columns here), so groups use the
/// additive form and their EVPPI is a lower bound where interactions matter. Pure, no I/O.
#include <cstddef>
#include <vector>

#include <Eigen/Dense>

namespace osteosim::analysis {

class AdditiveSplineSmoother {
 public:
  /// Cubic B-spline basis functions per term: 7 equal segments. Strong 2014 use mgcv's
  /// default of 10 per term; EVPPI needs the shape of E[NB | theta], which is smooth.
  static constexpr std::size_t kBasisPerTerm = 10;

  /// `terms[j][d]`: the value of term j's parameter in draw d (all terms as long). Each
  /// term enters by its rank (u = (rank - 1/2) / draws): conditioning on a parameter is
  /// conditioning on any monotone transform of it, so EVPPI is unchanged, and ranks fill
  /// the equally spaced knots evenly even for a skewed (e.g. log-normal) parameter. A term
  /// constant over the draws carries no information and is left out.
  /// std::invalid_argument when there are fewer draws than regression coefficients.
  explicit AdditiveSplineSmoother(const std::vector<std::vector<double>>& terms);

  /// The fitted values at the draws of the penalised least-squares fit to `y` (one value
  /// per draw). With no informative term, every value is the mean of `y`.
  std::vector<double> fit(const std::vector<double>& y) const;

  /// Regression coefficients: the intercept and kBasisPerTerm - 1 per informative term.
  std::size_t coefficients() const { return static_cast<std::size_t>(design_.cols()); }

 private:
  Eigen::MatrixXd design_;   ///< [draw x coefficient], intercept first
  Eigen::MatrixXd gram_;     ///< design' design
  Eigen::MatrixXd penalty_;  ///< block-diagonal second-difference penalty, intercept free
};

}  // namespace osteosim::analysis
