#include "model/fall_prevention.hpp"

#include <algorithm>

namespace osteosim::model {

double programme_effect_share(const ProgrammeParameters& programme, double years) {
  if (years < 0) return 0;
  if (years < programme.full_effect_years) return 1;
  if (programme.waning_years <= 0) return 0;
  return std::clamp(1 - (years - programme.full_effect_years) / programme.waning_years, 0.0, 1.0);
}

ProgrammeEffects programme_effects(const InterventionParameters& catalogue,
                                   const Agents& agents, Eigen::Index i, double now) {
  ProgrammeEffects effects;
  for (int p = 0; p < kProgrammes; ++p) {
    const double joined = agents.programme_start_time[p][i];
    if (joined == kNever) continue;
    const ProgrammeParameters& programme = catalogue.programmes[p];
    const double share = programme_effect_share(programme, now - joined);
    effects.fall_rate_multiplier *= 1 - share * (1 - programme.fall_rate_rr);
    for (int k = 0; k < kFractureProcesses; ++k) {
      effects.fracture_rr[k] *= 1 - share * (1 - programme.fracture_rr[k]);
    }
  }
  return effects;
}

}  // namespace osteosim::model
