#include "analysis/additive_spline.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace osteosim::analysis {

namespace {

constexpr std::size_t kSegments = AdditiveSplineSmoother::kBasisPerTerm - 3;

/// Mid-ranks scaled into (0, 1): ties share their average rank.
std::vector<double> rank_scores(const std::vector<double>& x) {
  const std::size_t n = x.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> u(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && x[order[j + 1]] == x[order[i]]) ++j;
    const double mid_rank = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) {
      u[order[k]] = (mid_rank - 0.5) / static_cast<double>(n);
    }
    i = j + 1;
  }
  return u;
}

/// The kBasisPerTerm uniform cubic B-splines on [0, 1] at u (de Boor 1978; on equal
/// knots the four non-zero pieces have these closed forms).
Eigen::RowVectorXd cubic_bspline_row(double u) {
  Eigen::RowVectorXd row = Eigen::RowVectorXd::Zero(AdditiveSplineSmoother::kBasisPerTerm);
  const double scaled = std::clamp(u, 0.0, 1.0) * static_cast<double>(kSegments);
  const std::size_t segment = std::min(static_cast<std::size_t>(scaled), kSegments - 1);
  const double t = scaled - static_cast<double>(segment);
  const Eigen::Index j = static_cast<Eigen::Index>(segment);
  row(j) = (1 - t) * (1 - t) * (1 - t) / 6;
  row(j + 1) = (3 * t * t * t - 6 * t * t + 4) / 6;
  row(j + 2) = (-3 * t * t * t + 3 * t * t + 3 * t + 1) / 6;
  row(j + 3) = t * t * t / 6;
  return row;
}

}  // namespace

AdditiveSplineSmoother::AdditiveSplineSmoother(const std::vector<std::vector<double>>& terms) {
  const std::size_t draws = terms.empty() ? 0 : terms.front().size();
  std::vector<const std::vector<double>*> informative;
  for (const auto& x : terms) {
    if (x.size() != draws) throw std::invalid_argument("EVPPI regression: terms differ in length");
    if (std::any_of(x.begin(), x.end(), [&](double v) { return v != x.front(); })) {
      informative.push_back(&x);
    }
  }
  // The B-splines of a term sum to 1, as does the intercept: each term's columns are
  // centred over the draws (so the intercept is the mean) and its last one dropped. The
  // second-difference penalty does not change when a constant is added to all of a term's
  // coefficients, so fixing the last at 0 loses no fit and no penalty.
  constexpr Eigen::Index kColumns = static_cast<Eigen::Index>(kBasisPerTerm) - 1;
  const Eigen::Index p = 1 + kColumns * static_cast<Eigen::Index>(informative.size());
  if (static_cast<Eigen::Index>(draws) <= p) {
    throw std::invalid_argument("EVPPI regression: " + std::to_string(draws) + " PSA draws for " +
                                std::to_string(p) +
                                " regression coefficients; more draws are needed");
  }
  design_.resize(static_cast<Eigen::Index>(draws), p);
  design_.col(0).setOnes();
  Eigen::MatrixXd difference = Eigen::MatrixXd::Zero(kBasisPerTerm - 2, kBasisPerTerm);
  for (Eigen::Index r = 0; r < difference.rows(); ++r) difference.row(r).segment(r, 3) << 1, -2, 1;
  const Eigen::MatrixXd term_penalty =
      (difference.transpose() * difference).topLeftCorner(kColumns, kColumns);
  penalty_ = Eigen::MatrixXd::Zero(p, p);
  for (std::size_t j = 0; j < informative.size(); ++j) {
    const Eigen::Index first = 1 + kColumns * static_cast<Eigen::Index>(j);
    const std::vector<double> u = rank_scores(*informative[j]);
    Eigen::MatrixXd basis(static_cast<Eigen::Index>(draws),
                          static_cast<Eigen::Index>(kBasisPerTerm));
    for (std::size_t d = 0; d < draws; ++d)
      basis.row(static_cast<Eigen::Index>(d)) = cubic_bspline_row(u[d]);
    basis.rowwise() -= basis.colwise().mean();
    design_.middleCols(first, kColumns) = basis.leftCols(kColumns);
    penalty_.block(first, first, kColumns, kColumns) = term_penalty;
  }
  gram_ = design_.transpose() * design_;
}

std::vector<double> AdditiveSplineSmoother::fit(const std::vector<double>& y) const {
  const Eigen::Index n = design_.rows();
  if (static_cast<Eigen::Index>(y.size()) != n) {
    throw std::invalid_argument("EVPPI regression: response and terms differ in length");
  }
  const Eigen::Map<const Eigen::VectorXd> response(y.data(), n);
  const Eigen::Index p = design_.cols();
  if (p == 1) return std::vector<double>(y.size(), response.mean());
  const Eigen::VectorXd xty = design_.transpose() * response;
  // A tiny ridge on the spline coefficients keeps the system definite when terms are
  // collinear (the shares of a Dirichlet group sum to 1, so their linear parts coincide).
  const double scale = gram_.diagonal().tail(p - 1).mean();
  Eigen::MatrixXd ridge = Eigen::MatrixXd::Identity(p, p) * (1e-9 * scale);
  ridge(0, 0) = 0;
  // GCV (Craven & Wahba 1979) over a log grid of lambda relative to the data's scale:
  // n RSS / (n - edf)^2 with edf = trace of the hat matrix = trace(A^-1 X'X).
  const double penalty_scale = scale / penalty_.diagonal().tail(p - 1).mean();
  double best_score = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best;
  for (int step = -12; step <= 18; ++step) {
    const double lambda = penalty_scale * std::pow(10.0, 0.5 * step - 3);
    const Eigen::LDLT<Eigen::MatrixXd> solver(gram_ + lambda * penalty_ + ridge);
    const Eigen::VectorXd beta = solver.solve(xty);
    const double edf = solver.solve(gram_).trace();
    const double rss = (response - design_ * beta).squaredNorm();
    const double dof = static_cast<double>(n) - edf;
    const double score = static_cast<double>(n) * rss / (dof * dof);
    if (std::isfinite(score) && score < best_score) {
      best_score = score;
      best = beta;
    }
  }
  if (best.size() == 0) return std::vector<double>(y.size(), response.mean());
  const Eigen::VectorXd fitted = design_ * best;
  return {fitted.data(), fitted.data() + n};
}

}  // namespace osteosim::analysis
