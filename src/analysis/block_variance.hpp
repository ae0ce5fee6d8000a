#pragma once
/// Monte Carlo variance from per-block sums. Blocks of agents are independent, identically
/// distributed replicates (engine/block_statistics.hpp records, for each outcome, the sum and
/// the sum of squares of the blocks' counts, and of their paired differences between
/// strategies), so the between-block sample variance estimates a block's variance and a run
/// total's variance is blocks times that.
#include <cstdint>

namespace osteosim::analysis {

/// Sample variance of one block's value; NaN with fewer than two blocks (one replicate says
/// nothing about the variance). Never negative.
double block_variance(std::int64_t sum, std::int64_t sum_squares, std::int64_t blocks);

/// Standard error of the run total: sqrt(blocks x block_variance).
double block_total_se(std::int64_t sum, std::int64_t sum_squares, std::int64_t blocks);

/// Sample covariance of two values of one block, from their sums and the sum of their
/// products; NaN with fewer than two blocks.
double block_covariance(std::int64_t sum_x, std::int64_t sum_y, std::int64_t sum_products,
                        std::int64_t blocks);

}  // namespace osteosim::analysis
