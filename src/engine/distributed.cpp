#include "engine/distributed.hpp"

#include <cstdlib>

#ifdef OSTEOSIM_WITH_MPI
#include <mpi.h>
#endif

namespace osteosim::engine {

BlockRange rank_block_range(std::int64_t blocks, int rank, int ranks) {
  const std::int64_t base = blocks / ranks;
  const std::int64_t extra = blocks % ranks;
  const std::int64_t first = rank * base + std::min<std::int64_t>(rank, extra);
  return {first, first + base + (rank < extra ? 1 : 0)};
}

#ifdef OSTEOSIM_WITH_MPI

namespace {
void finalize_at_exit() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

void sum_to_rank0(std::vector<std::int64_t>& values) {
  if (values.empty()) return;
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  void* send = rank == 0 ? MPI_IN_PLACE : values.data();
  MPI_Reduce(send, values.data(), static_cast<int>(values.size()), MPI_INT64_T, MPI_SUM, 0,
             MPI_COMM_WORLD);
}
}  // namespace

RankInfo init_ranks(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    // Threads (OpenMP) never call MPI: only the main thread does, between parallel regions.
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    std::atexit(finalize_at_exit);
  }
  RankInfo info;
  MPI_Comm_rank(MPI_COMM_WORLD, &info.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &info.ranks);
  return info;
}

void reduce_to_rank0(std::vector<Tallies>& tallies, const RankInfo& ranks) {
  if (ranks.ranks == 1) return;
  for (auto& t : tallies) {
    for (auto* column : t.columns()) sum_to_rank0(*column);
  }
}

void gather_to_rank0(std::vector<double>& values, const RankInfo& ranks) {
  if (ranks.ranks == 1) return;
  int count = static_cast<int>(values.size());
  std::vector<int> counts(static_cast<std::size_t>(ranks.ranks));
  MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> offsets(counts.size(), 0);
  for (std::size_t r = 1; r < counts.size(); ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
  std::vector<double> all(ranks.rank == 0 ? static_cast<std::size_t>(offsets.back() + counts.back())
                                          : 0);
  MPI_Gatherv(values.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
              MPI_DOUBLE, 0, MPI_COMM_WORLD);
  values = std::move(all);
}

int agree_on_status(int status, const RankInfo& ranks) {
  if (ranks.ranks == 1) return status;
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return status;
}

std::int64_t rank0_value(std::int64_t value, const RankInfo& ranks) {
  if (ranks.ranks == 1) return value;
  MPI_Bcast(&value, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
  return value;
}

#else

RankInfo init_ranks(int*, char***) { return {}; }
void reduce_to_rank0(std::vector<Tallies>&, const RankInfo&) {}
void gather_to_rank0(std::vector<double>&, const RankInfo&) {}
int agree_on_status(int status, const RankInfo&) { return status; }
std::int64_t rank0_value(std::int64_t value, const RankInfo&) { return value; }

#endif

}  // namespace osteosim::engine
