#include "analysis/block_variance.hpp"

#include <algorithm>
#include <cmath>

namespace osteosim::analysis {

double block_variance(std::int64_t sum, std::int64_t sum_squares, std::int64_t blocks) {
  if (blocks < 2) return std::nan("");
  const double n = static_cast<double>(blocks);
  const double mean = static_cast<double>(sum) / n;
  return std::max(0.0, (static_cast<double>(sum_squares) - n * mean * mean) / (n - 1));
}

double block_covariance(std::int64_t sum_x, std::int64_t sum_y, std::int64_t sum_products,
                        std::int64_t blocks) {
  if (blocks < 2) return std::nan("");
  const double n = static_cast<double>(blocks);
  return (static_cast<double>(sum_products) -
          static_cast<double>(sum_x) * static_cast<double>(sum_y) / n) /
         (n - 1);
}

double block_total_se(std::int64_t sum, std::int64_t sum_squares, std::int64_t blocks) {
  return std::sqrt(block_variance(sum, sum_squares, blocks) * static_cast<double>(blocks));
}

}  // namespace osteosim::analysis
