// End-to-end throughput of the natural-history model, next to the Philox floor measured in
// the same process: the time to generate exactly the Philox4x32-10 blocks the model
// consumed (counted by the engine), with the same threads, and nothing else.
//
// usage: osteosim_throughput SCENARIO.yaml [AGENTS] [MAX_THREADS]
// Prints one row per thread count: agent-years/s, ratio to the floor, speed-up over 1 thread.
#include <omp.h>

#include <Random123/philox.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>

#include "config/scenario.hpp"
#include "engine/philox_lanes.hpp"
#include "engine/simulation.hpp"

namespace {

using namespace osteosim;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Generates `quads` Philox blocks over `threads` threads, as the engine would (distinct
/// counters, the run's key), and returns the seconds taken.
double philox_floor_seconds(std::int64_t quads, int threads, std::uint32_t seed) {
  const auto start = Clock::now();
  std::uint64_t sink = 0;
#pragma omp parallel for num_threads(threads) reduction(^ : sink) schedule(static)
  for (std::int64_t i = 0; i < quads; ++i) {
    const r123::Philox4x32 philox;
    const auto w =
        philox({{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i >> 32), 7u, 2u << 24}},
               {{seed, 0u}});
    sink ^= w[0] ^ w[1] ^ w[2] ^ w[3];
  }
  const double seconds = seconds_since(start);
  if (sink == 42) std::puts("");  // keep the work observable
  return seconds;
}

/// The same blocks from the lanes' Philox (engine/philox_lanes.hpp) in SIMD loops of 4096
/// counters: the floor of the vectorised engine, which draws its event quads so.
double simd_philox_floor_seconds(std::int64_t quads, int threads, std::uint32_t seed) {
  constexpr std::int64_t kChunk = 4096;
  const auto start = Clock::now();
  std::uint64_t sink = 0;
#pragma omp parallel for num_threads(threads) reduction(^ : sink) schedule(static)
  for (std::int64_t first = 0; first < quads; first += kChunk) {
    const auto n = static_cast<int>(std::min(kChunk, quads - first));
    std::uint32_t chunk_sink = 0;
#pragma omp simd reduction(^ : chunk_sink)
    for (int i = 0; i < n; ++i) {
      const auto counter = static_cast<std::uint64_t>(first + i);
      std::uint32_t c0 = static_cast<std::uint32_t>(counter);
      std::uint32_t c1 = static_cast<std::uint32_t>(counter >> 32);
      std::uint32_t c2 = 7u;
      std::uint32_t c3 = 2u << 24;
      engine::philox4x32_10_in_place(c0, c1, c2, c3, seed, 0u);
      chunk_sink ^= c0 ^ c1 ^ c2 ^ c3;
    }
    sink ^= chunk_sink;
  }
  const double seconds = seconds_since(start);
  if (sink == 42) std::puts("");  // keep the work observable
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SCENARIO.yaml [AGENTS] [MAX_THREADS]\n", argv[0]);
    return 2;
  }
  config::Overrides overrides;
  overrides.agents = argc > 2 ? std::atoll(argv[2]) : 1000000;
  const int max_threads = argc > 3 ? std::atoi(argv[3]) : omp_get_max_threads();
  const auto scenario = config::load_scenario(argv[1], overrides);

  std::printf("%-8s %14s %14s %16s %14s %10s\n", "threads", "agent-years", "seconds",
              "agent-years/s", "floor ratio", "speed-up");
  double one_thread_rate = 0;
  for (int threads = 1; threads <= max_threads; threads *= 2) {
    std::atomic<std::int64_t> quads{0};
    engine::RunOptions options;
    options.threads = threads;
    options.random_quads = &quads;
    const auto start = Clock::now();
    const auto tallies = engine::simulate(scenario, options);
    const double seconds = seconds_since(start);
    // Agent-years are the person-years lived, summed over strategies.
    double agent_years = 0;
    for (const auto& t : tallies) {
      agent_years += static_cast<double>(std::accumulate(
                         t.person_time_ticks.begin(), t.person_time_ticks.end(), std::int64_t{0})) /
                     engine::kTicksPerYear;
    }
    const double floor_seconds = philox_floor_seconds(quads.load(), threads, scenario.seed);
    const double simd_floor_seconds =
        simd_philox_floor_seconds(quads.load(), threads, scenario.seed);
    const double rate = agent_years / seconds;
    if (threads == 1) one_thread_rate = rate;
    std::printf("%-8d %14.4g %14.3f %16.4g %13.1f%% %9.2fx\n", threads, agent_years, seconds, rate,
                100 * floor_seconds / seconds, rate / one_thread_rate);
    std::printf(
        "         Philox floor: %lld blocks (%.2f per agent-year) in %.3f s = %.4g agent-years/s\n",
        static_cast<long long>(quads.load()), static_cast<double>(quads.load()) / agent_years,
        floor_seconds, agent_years / floor_seconds);
    std::printf(
        "         SIMD Philox floor: the same blocks in %.3f s = %.4g agent-years/s "
        "(model time / floor time %.1f%%)\n",
        simd_floor_seconds, agent_years / simd_floor_seconds, 100 * simd_floor_seconds / seconds);
  }
  return 0;
}
