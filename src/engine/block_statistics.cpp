#include "engine/block_statistics.hpp"

#include <cmath>

namespace osteosim::engine {

OutcomeCounts outcome_counts(const Tallies& tallies) {
  OutcomeCounts counts{};
  for (std::size_t i = 0; i < tallies.fractures.size(); ++i) {
    const auto site = static_cast<model::Site>(i % model::kSites);
    counts[static_cast<int>(site)] += tallies.fractures[i];
    if (model::is_clinical(site)) counts[model::kSites] += tallies.fractures[i];
  }
  return counts;
}

namespace {

/// A block's discounted total cost and QALYs in the coarse units of the block statistics.
std::array<std::int64_t, 2> economic_totals(const Tallies& t) {
  std::int64_t cost = 0;
  std::int64_t qaly = 0;
  for (const auto x : t.discounted_cost_ticks) cost += x;
  for (const auto x : t.discounted_qaly_ticks) qaly += x;
  return {std::llround(static_cast<double>(cost) / (kCostTicksPerUsd * kBlockUsdUnit)),
          std::llround(static_cast<double>(qaly) / (kTicksPerYear * kBlockQalyUnit))};
}

}  // namespace

void record_block_statistics(std::vector<Tallies>& block_tallies) {
  if (block_tallies.empty()) return;
  const auto comparator_economics = economic_totals(block_tallies.front());
  for (Tallies& t : block_tallies) {
    const auto own = economic_totals(t);
    const std::int64_t cost = own[0] - comparator_economics[0];
    const std::int64_t qaly = own[1] - comparator_economics[1];
    t.paired_cost_difference_sum[0] += cost;
    t.paired_cost_difference_sum_squares[0] += cost * cost;
    t.paired_qaly_difference_sum[0] += qaly;
    t.paired_qaly_difference_sum_squares[0] += qaly * qaly;
    t.paired_cost_qaly_difference_sum_products[0] += cost * qaly;
  }
  const OutcomeCounts comparator = outcome_counts(block_tallies.front());
  for (Tallies& t : block_tallies) {
    const OutcomeCounts own = outcome_counts(t);
    t.blocks[0] += 1;
    for (int k = 0; k < kOutcomes; ++k) {
      const std::int64_t difference = own[k] - comparator[k];
      t.block_fractures_sum[k] += own[k];
      t.block_fractures_sum_squares[k] += own[k] * own[k];
      t.paired_difference_sum[k] += difference;
      t.paired_difference_sum_squares[k] += difference * difference;
    }
  }
}

}  // namespace osteosim::engine
