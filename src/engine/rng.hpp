#pragma once
/// Counter-based random numbers (Philox4x32-10, Salmon et al. 2011, SC'11; Random123).
/// Key = (scenario seed, PSA draw); counter = (agent id low/high words, time step,
/// stream << 24 | index). No generator state exists anywhere: every draw is recomputed
/// from its address, so results cannot depend on threads, ranks or scheduling.
#include <Random123/philox.h>

#include <cstdint>

#include "model/random_source.hpp"

namespace osteosim::engine {

inline constexpr std::uint32_t kMaxDrawIndex = (1u << 24) - 1;

/// Maps a 32-bit word to the open interval (0, 1): (x + 0.5) / 2^32, never 0 or 1, so
/// log(u) and log(1 - u) are always finite.
inline double to_open_unit(std::uint32_t x) { return (static_cast<double>(x) + 0.5) * 0x1p-32; }

/// Philox words for one address.
inline r123::Philox4x32::ctr_type philox_words(std::uint32_t seed, std::uint32_t psa_draw,
                                               std::uint64_t agent_id, std::uint32_t step,
                                               model::Stream stream, std::uint32_t index) {
  const r123::Philox4x32 philox;
  const r123::Philox4x32::ctr_type counter{
      {static_cast<std::uint32_t>(agent_id), static_cast<std::uint32_t>(agent_id >> 32), step,
       (static_cast<std::uint32_t>(stream) << 24) | (index & kMaxDrawIndex)}};
  const r123::Philox4x32::key_type key{{seed, psa_draw}};
  return philox(counter, key);
}

/// The RandomSource of one agent in one time step.
class AgentStepRandom final : public model::RandomSource {
 public:
  AgentStepRandom(std::uint32_t seed, std::uint32_t psa_draw, std::uint64_t agent_id,
                  std::uint32_t step)
      : seed_(seed), psa_draw_(psa_draw), agent_id_(agent_id), step_(step) {}

  model::Uniforms4 uniforms(model::Stream stream, std::uint32_t index) const override {
    ++draws_;
    const auto w = philox_words(seed_, psa_draw_, agent_id_, step_, stream, index);
    return {to_open_unit(w[0]), to_open_unit(w[1]), to_open_unit(w[2]), to_open_unit(w[3])};
  }

  /// Philox blocks generated through this object so far (for the benchmark's RNG floor).
  std::uint32_t draws() const { return draws_; }

 private:
  std::uint32_t seed_;
  std::uint32_t psa_draw_;
  std::uint64_t agent_id_;
  std::uint32_t step_;
  mutable std::uint32_t draws_ = 0;  // a count, not generator state: draws stay pure
};

}  // namespace osteosim::engine
