#pragma once
/// Drug treatment: effect over time (onset, offset after stopping, rebound), persistence,
/// and the course/regimen bookkeeping of an agent. Fracture hazards are multiplied by the
/// relative risks computed here, so treated and untreated arms share every event draw.
#include <array>

#include "model/agents.hpp"
#include "model/intervention_parameters.hpp"
#include "model/policy.hpp"

namespace osteosim::model {

using ProcessRr = std::array<double, kFractureProcesses>;  ///< by FractureProcess

/// Share of starters still on the drug `years` after starting (1 at 0), from the
/// piecewise-constant discontinuation hazard through the catalogue's persistence points.
double persistence_at(const DrugParameters& drug, double years);

/// Time to discontinuation drawn by inversion from one uniform; +infinity if no one stops.
double years_to_discontinuation(const DrugParameters& drug, double u);

/// Relative risk by process `years_on` after starting (linear onset to full effect; the
/// trial RR raised to adherence_effect_fraction).
ProcessRr rr_on_treatment(const DrugParameters& drug, double years_on);

/// Relative risk `years_off` after stopping a drug taken for `years_on`: the effect at
/// stopping fades linearly over the offset time; the vertebral hazard is multiplied by the
/// rebound factor during the rebound window.
ProcessRr rr_after_stopping(const DrugParameters& drug, double years_on, double years_off);

/// Offset time of a drug taken for `years_on` years.
double offset_years(const DrugParameters& drug, double years_on);

/// The agent's treatment relative risks at time `now` (current and previous course; the
/// lower of the two for each process, so a drug started after denosumab suppresses its
/// rebound).
ProcessRr treatment_rr(const InterventionParameters& catalogue, const Agents& agents,
                       Eigen::Index i, double now);

/// Starts course `course` of `regimen` at `now`; `u` draws the time to discontinuation.
void start_course(const InterventionParameters& catalogue, const Regimen& regimen, int course,
                  std::uint8_t source, double now, double u, Agents& agents, Eigen::Index i);

/// If the agent's current course has ended by `now`, moves it to the previous-course
/// columns and returns true. `completed` tells whether it ran its planned length.
bool end_course_if_due(Agents& agents, Eigen::Index i, double now, bool& completed);

/// Whether the agent may start treatment now (not on a drug, not on a drug holiday).
bool may_start_treatment(const Agents& agents, Eigen::Index i, double now);

}  // namespace osteosim::model
