#pragma once
/// A strategy's interventions within a time step: what happens at the start of the step
/// (course changes, adverse events, fracture liaison, screening, programme uptake), the
/// effects that multiply the step's hazards, and the treated time at its end. Every draw
/// comes from the screening, treatment or intervention_uptake streams, never from the
/// events stream, so the natural history of an agent is untouched by its interventions
/// except through the hazards (common random numbers).
#include "model/agents.hpp"
#include "model/parameters.hpp"
#include "model/policy.hpp"
#include "model/random_source.hpp"
#include "model/step.hpp"
#include "model/treatment.hpp"

namespace osteosim::model {

/// Multipliers of the step's hazards.
struct InterventionEffects {
  ProcessRr fracture_rr = for_each_process(1.0);  ///< by FractureProcess
  double fall_rate_multiplier = 1;
};

void apply_interventions_at_step_start(const ModelParameters& params,
                                       const InterventionPolicy& policy, const StepTime& time,
                                       const RandomSource& rng, Agents& agents, Eigen::Index i,
                                       EventRecorder& recorder);

/// Effects of treatment and programmes at `now` (held for the whole step).
InterventionEffects intervention_effects(const ModelParameters& params, const Agents& agents,
                                         Eigen::Index i, double now);

/// Records the time on a drug within [from, to) (the part of the step the agent lived)
/// and updates the treatment gain of measured BMD.
void account_treatment(const ModelParameters& params, double from, double to,
                       double age_at_from, Agents& agents, Eigen::Index i,
                       EventRecorder& recorder);

}  // namespace osteosim::model
