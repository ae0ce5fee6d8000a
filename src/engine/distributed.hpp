#pragma once
/// Running one simulation over several processes (MPI ranks): each rank simulates a
/// contiguous range of blocks, and the integer tallies are summed onto rank 0. Integer
/// sums do not depend on the order of addition, so the result is bit-identical for any
/// number of ranks (and threads). Without MPI (the default build) there is one rank.
#include <cstdint>
#include <vector>

#include "engine/tallies.hpp"

namespace osteosim::engine {

/// A half-open range of block indices [first, last).
struct BlockRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
};

/// The blocks of `rank` out of `ranks` when `blocks` are shared out as evenly as possible
/// in contiguous ranges (the first `blocks % ranks` ranks get one more).
BlockRange rank_block_range(std::int64_t blocks, int rank, int ranks);

/// This process's place among the ranks; {0, 1} without MPI or outside mpirun.
struct RankInfo {
  int rank = 0;
  int ranks = 1;
};

/// Initialises MPI if it was built in (idempotent) and returns the rank and size. The
/// matching finalisation happens at process exit.
RankInfo init_ranks(int* argc, char*** argv);

/// Sums every rank's tallies into rank 0's `tallies` (other ranks' copies are left
/// unspecified). A no-op with one rank.
void reduce_to_rank0(std::vector<Tallies>& tallies, const RankInfo& ranks);

/// Concatenates every rank's `values` (any lengths) in rank order into rank 0's `values`
/// (other ranks' are left unspecified). A no-op with one rank.
void gather_to_rank0(std::vector<double>& values, const RankInfo& ranks);

/// Rank 0 broadcasts an exit status so that all ranks leave together after an error on
/// one of them (e.g. the writer failing on rank 0). Returns rank 0's value.
int agree_on_status(int status, const RankInfo& ranks);

/// Rank 0's `value` on every rank (a decision rank 0 made from gathered results, e.g. a
/// PSA's size). Returns `value` with one rank.
std::int64_t rank0_value(std::int64_t value, const RankInfo& ranks);

}  // namespace osteosim::engine
