#include "engine/block_statistics.hpp"

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

void record_block_statistics(std::vector<Tallies>& block_tallies) {
  if (block_tallies.empty()) return;
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
