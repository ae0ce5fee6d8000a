#pragma once
/// One time step of one agent: the only place that orders the processes of the model.
#include <cstdint>

#include "model/agents.hpp"
#include "model/parameters.hpp"
#include "model/policy.hpp"
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

  // Interventions. No-ops by default: a recorder that counts only the natural history
  // needs none of them.
  /// Attended a screening invitation (`first_time`: the agent's first in the run).
  virtual void screened(double /*age_years*/, bool /*first_time*/) {}
  virtual void dxa_scan(double /*age_years*/) {}
  /// The T-score a DXA scan measured (with its measurement error), just after dxa_scan.
  virtual void dxa_result(double /*age_years*/, double /*measured_t_score*/) {}
  /// Started a course (`first_time`: the agent's first treatment in the run).
  virtual void treatment_start(Drug /*drug*/, double /*age_years*/, bool /*first_time*/) {}
  virtual void treated_time(Drug /*drug*/, double /*age_years*/, double /*years*/) {}
  /// A course ended (`completed`: ran its planned length, else discontinued), reported at
  /// the step where the model notices, with the age then.
  virtual void treatment_stop(Drug /*drug*/, double /*age_years*/, bool /*completed*/) {}
  virtual void adverse_event(Drug /*drug*/, double /*age_years*/) {}
  virtual void programme_start(Programme /*programme*/, double /*age_years*/) {}
};

struct StepTime {
  double start_years = 0;   ///< simulation time at the start of the step
  double length_years = 1;  ///< 1, 1/4, 1/2 or 1/12
};

/// Advances a living agent by one step: competing events (death, falls, fractures) drawn
/// exactly for hazards that are piecewise constant within the step, then bone loss.
void simulate_step(const ModelParameters& params, const StepTime& time, const RandomSource& rng,
                   Agents& agents, Eigen::Index i, EventRecorder& recorder);

/// The same step under a strategy's interventions: they act first (screening, fracture
/// liaison, course changes, programme uptake, from their own random streams), then the
/// events run with hazards multiplied by the treatment and programme effects. With a
/// policy that does nothing this is exactly the natural-history step.
void simulate_step(const ModelParameters& params, const InterventionPolicy& policy,
                   const StepTime& time, const RandomSource& rng, Agents& agents,
                   Eigen::Index i, EventRecorder& recorder);

}  // namespace osteosim::model
