#pragma once
/// Per-block statistics for Monte Carlo intervals of strategy differences. Agents in a
/// block are i.i.d., so blocks are independent replicates: the sum and sum of squares of
/// each block's fracture counts, and of the paired difference from the first strategy
/// (the comparator, simulated on the same agents with the same random numbers), give the
/// variance of a run total without storing the blocks.
#include <array>
#include <vector>

#include "engine/tallies.hpp"

namespace osteosim::engine {

using OutcomeCounts = std::array<std::int64_t, kOutcomes>;

/// Fractures by outcome (sites, then all clinical) over every cell of `tallies`.
OutcomeCounts outcome_counts(const Tallies& tallies);

/// Adds one block's statistics to each strategy's tallies of that block alone
/// (`block_tallies[s]`, one per strategy, the first being the comparator).
void record_block_statistics(std::vector<Tallies>& block_tallies);

}  // namespace osteosim::engine
