#pragma once
/// Community programmes: exercise and home-hazard removal lower the fall rate; calcium
/// and vitamin D lower fracture hazards directly. Full effect for a while after joining,
/// then waning linearly to none.
#include <array>

#include "model/agents.hpp"
#include "model/intervention_parameters.hpp"

namespace osteosim::model {

/// Share of a programme's full effect `years` after joining (1, then linear to 0).
double programme_effect_share(const ProgrammeParameters& programme, double years);

struct ProgrammeEffects {
  double fall_rate_multiplier = 1;
  /// By FractureProcess.
  std::array<double, kFractureProcesses> fracture_rr = for_each_process(1.0);
};

/// The combined effect (multiplicative) of every programme the agent joined, at `now`.
ProgrammeEffects programme_effects(const InterventionParameters& catalogue,
                                   const Agents& agents, Eigen::Index i, double now);

}  // namespace osteosim::model
