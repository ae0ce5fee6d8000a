#include "output/paired_interval.hpp"

#include <cmath>
#include <limits>

namespace osteosim::output {

McInterval block_total_interval(std::int64_t sum, std::int64_t sum_squares, std::int64_t blocks) {
  McInterval out;
  out.total = static_cast<double>(sum);
  if (blocks < 2) {
    // One block gives no variance estimate: say so rather than claim certainty.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    out.se = out.low = out.high = nan;
    return out;
  }
  const double n = static_cast<double>(blocks);
  const double mean = out.total / n;
  const double variance =
      std::max(0.0, (static_cast<double>(sum_squares) - n * mean * mean) / (n - 1));
  out.se = std::sqrt(n * variance);
  out.low = out.total - 1.96 * out.se;
  out.high = out.total + 1.96 * out.se;
  return out;
}

}  // namespace osteosim::output
