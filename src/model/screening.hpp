#pragma once
/// Screening: who is invited, the prescreen (OST or a fracture probability), DXA with
/// measurement error, and the treatment rule applied to the result.
#include "model/agents.hpp"
#include "model/parameters.hpp"
#include "model/policy.hpp"

namespace osteosim::model {

/// Sex, age and (if required) at least one clinical risk factor or a prior fracture.
bool is_eligible(const Eligibility& eligible, const Agents& agents, Eigen::Index i);

/// A prior fracture: one before entry or a clinical one during the run.
bool has_prior_fracture(const Agents& agents, Eigen::Index i);

/// The FN BMD a DXA scan reports: the true (treatment-raised) BMD plus a normal error
/// with the catalogue's precision SD; `z` is a standard normal draw.
double dxa_measured_bmd_g_cm2(const InterventionParameters& catalogue, double true_bmd_g_cm2,
                              double z);

/// Whether the prescreen sends an attendee to DXA (always, without a prescreen or above
/// its age limit).
bool prescreen_refers(const ModelParameters& params, const ScreeningPolicy& policy,
                      const Agents& agents, Eigen::Index i, double now);

/// The treatment rule after a DXA that measured `measured_bmd_g_cm2`.
bool meets_treatment_rule(const ModelParameters& params, const ScreeningPolicy& policy,
                          const Agents& agents, Eigen::Index i, double now,
                          double measured_bmd_g_cm2);

}  // namespace osteosim::model
