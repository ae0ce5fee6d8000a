// The counter-based generator: addressing, range and independence of streams.
#include <gtest/gtest.h>

#include <Random123/philox.h>

#include <cmath>
#include <set>

#include "engine/philox_lanes.hpp"
#include "engine/rng.hpp"
#include "monte_carlo_tolerance.hpp"

namespace osteosim::engine {

TEST(Rng, MatchesRandom123ReferenceForTheDocumentedAddressLayout) {
  // Counter = (agent low, agent high, step, stream << 24 | index); key = (seed, draw).
  const r123::Philox4x32 philox;
  const auto expected = philox({{7u, 1u, 3u, (2u << 24) | 5u}}, {{42u, 9u}});
  const auto got = philox_words(42, 9, (std::uint64_t{1} << 32) + 7, 3, model::Stream::events, 5);
  EXPECT_EQ(got, expected);
}

TEST(Rng, LaneFormOfPhiloxIsRandom123WordForWord) {
  // The SIMD lanes' Philox (engine/philox_lanes.hpp) must give Random123's words for any
  // counter and key, including counters whose words carry the high bits.
  const r123::Philox4x32 philox;
  std::uint32_t x = 12345;
  const auto next = [&x] { return x = x * 1664525u + 1013904223u; };  // Numerical Recipes LCG
  for (int trial = 0; trial < 1000; ++trial) {
    const r123::Philox4x32::ctr_type counter{{next(), next(), next(), next()}};
    const r123::Philox4x32::key_type key{{next(), next()}};
    const auto expected = philox(counter, key);
    const auto got = philox4x32_10(counter[0], counter[1], counter[2], counter[3], key[0], key[1]);
    for (int w = 0; w < 4; ++w) ASSERT_EQ(got[static_cast<std::size_t>(w)], expected[w]) << trial;
  }
}

TEST(Rng, UniformsAreStrictlyInsideTheUnitInterval) {
  EXPECT_GT(to_open_unit(0), 0.0);
  EXPECT_LT(to_open_unit(0xFFFFFFFFu), 1.0);
}

TEST(Rng, StreamsStepsAgentsAndIndicesGiveDifferentNumbers) {
  std::set<double> seen;
  for (std::uint64_t agent = 0; agent < 3; ++agent) {
    for (std::uint32_t step = 0; step < 3; ++step) {
      const AgentStepRandom rng(1, 0, agent, step);
      for (auto stream : {model::Stream::entry, model::Stream::events}) {
        for (std::uint32_t index = 0; index < 3; ++index)
          seen.insert(rng.uniforms(stream, index)[0]);
      }
    }
  }
  EXPECT_EQ(seen.size(), 3u * 3u * 2u * 3u);
}

TEST(Rng, SameAddressSameNumbersWhateverTheOrderOfCalls) {
  const AgentStepRandom a(5, 0, 100, 7);
  const AgentStepRandom b(5, 0, 100, 7);
  const auto later = b.uniforms(model::Stream::events, 3);
  (void)b.uniforms(model::Stream::events, 0);
  EXPECT_EQ(a.uniforms(model::Stream::events, 3), later);
}

TEST(Rng, UniformMeanAndVarianceWithinMonteCarloError) {
  // Mean 1/2 and variance 1/12 of U(0,1); tolerance 4 standard errors.
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n / 4; ++i) {
    const AgentStepRandom rng(99, 0, static_cast<std::uint64_t>(i), 0);
    for (double u : rng.uniforms(model::Stream::events, 0)) {
      sum += u;
      sum_sq += u * u;
    }
  }
  const double mean = sum / n;
  const double variance = sum_sq / n - mean * mean;
  const double z = testing::bonferroni_z(2);
  EXPECT_NEAR(mean, 0.5, z * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(variance, 1.0 / 12,
              z * std::sqrt(1.0 / 180 / n));  // var of U^2-based estimator ≈ 1/180
}

}  // namespace osteosim::engine
