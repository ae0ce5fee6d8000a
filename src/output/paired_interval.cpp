#include "output/paired_interval.hpp"

#include "analysis/block_variance.hpp"

namespace osteosim::output {

McInterval block_total_interval(std::int64_t sum, std::int64_t sum_squares, std::int64_t blocks) {
  McInterval out;
  out.total = static_cast<double>(sum);
  // One block gives no variance estimate: the SE and the bounds are NaN rather than a claim
  // of certainty.
  out.se = analysis::block_total_se(sum, sum_squares, blocks);
  out.low = out.total - 1.96 * out.se;
  out.high = out.total + 1.96 * out.se;
  return out;
}

}  // namespace osteosim::output
