#pragma once
/// Monte Carlo interval of a run total from per-block sums: blocks of agents are
/// independent replicates, so Var(total) = blocks x Var(block value), estimated from the
/// sum and sum of squares of the block values.
#include <cstdint>

namespace osteosim::output {

struct McInterval {
  double total = 0;  ///< sum over blocks
  double se = 0;     ///< Monte Carlo standard error of the total
  double low = 0;    ///< total -/+ 1.96 se (normal approximation over many blocks)
  double high = 0;
};

McInterval block_total_interval(std::int64_t sum, std::int64_t sum_squares, std::int64_t blocks);

}  // namespace osteosim::output
