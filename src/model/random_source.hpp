#pragma once
/// The model's only access to randomness: uniforms for the current agent and time step,
/// addressed by process stream and draw index. The engine implements it with a
/// counter-based generator, so a draw is a pure function of (seed, PSA draw, agent, step,
/// stream, index) and adding a draw to one process moves no other (common random numbers).
#include <array>
#include <cstdint>

namespace osteosim::model {

/// One stream per process. Values are part of the file format of reproducibility: never
/// renumber, only append.
enum class Stream : std::uint32_t {
  entry = 1,   ///< population synthesis (age, sex, BMD, risk factors)
  events = 2,  ///< competing events within a step (death, falls, fractures)
  screening = 3,            ///< attendance, DXA measurement error, treatment acceptance
  treatment = 4,            ///< persistence (time to discontinuation), adverse events
  intervention_uptake = 5,  ///< fracture liaison and community programme uptake
  psa_parameters = 6,       ///< parameter draws of a PSA (agent 0, step = parameter index)
};

using Uniforms4 = std::array<double, 4>;  ///< four independent uniforms in (0, 1)

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  /// Four uniforms in the open interval (0, 1) for (stream, index) of the bound agent/step.
  virtual Uniforms4 uniforms(Stream stream, std::uint32_t index) const = 0;
};

}  // namespace osteosim::model
