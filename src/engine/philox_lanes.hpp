#pragma once
/// Philox4x32-10 (Salmon et al. 2011, SC'11) written out for lanes: the same function as
/// Random123's `r123::Philox4x32` (engine/rng.hpp), in plain 32- and 64-bit integer
/// arithmetic that the compiler vectorises across agents inside an `omp simd` loop
/// (Random123's own code does not: it is written for one counter at a time). Checked word
/// for word against Random123 by tests/unit/test_rng.cpp.
#include <array>
#include <cstdint>

namespace osteosim::engine {

/// Philox4x32's round multipliers and Weyl key increments (Salmon et al. 2011, table 2).
inline constexpr std::uint32_t kPhiloxM0 = 0xD2511F53u;
inline constexpr std::uint32_t kPhiloxM1 = 0xCD9E8D57u;
inline constexpr std::uint32_t kPhiloxW0 = 0x9E3779B9u;
inline constexpr std::uint32_t kPhiloxW1 = 0xBB67AE85u;
inline constexpr int kPhiloxRounds = 10;

/// Philox4x32-10 in place: the counter words become the output words. Inline,
/// branch-free and with no array, so that a loop over agents around it vectorises.
inline void philox4x32_10_in_place(std::uint32_t& c0, std::uint32_t& c1, std::uint32_t& c2,
                                   std::uint32_t& c3, std::uint32_t k0, std::uint32_t k1) {
  for (int round = 0; round < kPhiloxRounds; ++round) {
    const std::uint64_t p0 = static_cast<std::uint64_t>(kPhiloxM0) * c0;
    const std::uint64_t p1 = static_cast<std::uint64_t>(kPhiloxM1) * c2;
    const auto hi0 = static_cast<std::uint32_t>(p0 >> 32);
    const auto lo0 = static_cast<std::uint32_t>(p0);
    const auto hi1 = static_cast<std::uint32_t>(p1 >> 32);
    const auto lo1 = static_cast<std::uint32_t>(p1);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += kPhiloxW0;
    k1 += kPhiloxW1;
  }
}

/// The four output words of Philox4x32-10 for one counter and key.
inline std::array<std::uint32_t, 4> philox4x32_10(std::uint32_t c0, std::uint32_t c1,
                                                  std::uint32_t c2, std::uint32_t c3,
                                                  std::uint32_t k0, std::uint32_t k1) {
  philox4x32_10_in_place(c0, c1, c2, c3, k0, k1);
  return {c0, c1, c2, c3};
}

}  // namespace osteosim::engine
