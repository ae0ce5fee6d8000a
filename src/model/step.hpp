#pragma once
/// One time step of one agent: the only place that orders the processes of the model.
#include <cstdint>

#include "model/agents.hpp"
#include "model/parameters.hpp"
#include "model/random_source.hpp"

namespace osteosim::model {

/// What the engine counts. The model reports each event as it happens, with the agent's
/// exact age then; the recorder is bound to one agent (it knows its sex and the year).
class EventRecorder {
 public:
  virtual ~EventRecorder() = default;
  /// `years` of life lived from `age_years` on, within one age band.
  virtual void person_time(double age_years, double years) = 0;
  virtual void fall(double age_years) = 0;
  /// `first_at_site`: the agent's first fracture at this site in the run;
  /// `first_clinical`: its first clinical fracture at any site in the run.
  virtual void fracture(Site site, double age_years, bool first_at_site, bool first_clinical) = 0;
  /// `after_fracture`: drawn from the post-fracture excess hazard, not the life table.
  virtual void death(double age_years, bool after_fracture) = 0;
};

struct StepTime {
  double start_years = 0;   ///< simulation time at the start of the step
  double length_years = 1;  ///< 1, 1/4, 1/2 or 1/12
};

/// Advances a living agent by one step: competing events (death, falls, fractures) drawn
/// exactly for hazards that are piecewise constant within the step, then bone loss.
void simulate_step(const ModelParameters& params, const StepTime& time, const RandomSource& rng,
                   Agents& agents, Eigen::Index i, EventRecorder& recorder);

}  // namespace osteosim::model
