#include "model/screening.hpp"

#include <algorithm>

#include "model/bone.hpp"
#include "model/risk_tool.hpp"

namespace osteosim::model {

bool has_prior_fracture(const Agents& agents, Eigen::Index i) {
  return agents.time_of_last_fracture[i] != kNever ||
         (agents.fractured_sites[i] & kAnyClinicalFractureBit) != 0;
}

bool is_eligible(const Eligibility& eligible, const Agents& agents, Eigen::Index i) {
  if (eligible.sex && agents.sex_of(i) != *eligible.sex) return false;
  const double age = agents.age_years[i];
  if (age < eligible.min_age_years || age >= eligible.max_age_years) return false;
  return !eligible.requires_risk_factor || agents.risk_factors[i] != 0 ||
         has_prior_fracture(agents, i);
}

double dxa_measured_bmd_g_cm2(const InterventionParameters& catalogue, double true_bmd_g_cm2,
                              double z) {
  // A scan cannot report a non-positive density; the floor is far below any real value.
  return std::max(0.05, true_bmd_g_cm2 + catalogue.dxa_precision_sd_g_cm2 * z);
}

bool prescreen_refers(const ModelParameters& params, const ScreeningPolicy& policy,
                      const Agents& agents, Eigen::Index i, double now) {
  if (agents.age_years[i] > policy.prescreen_max_age_years) return true;
  switch (policy.prescreen) {
    case PrescreenTool::none:
      return true;
    case PrescreenTool::ost:
      return ost_index(agents.weight_kg[i], agents.age_years[i]) <
             params.interventions.ost_referral_below[static_cast<int>(agents.sex_of(i))];
    case PrescreenTool::fracture_probability:
      return ten_year_fracture_probability(params, agents, i, now, std::nullopt) >=
             policy.prescreen_probability_min;
  }
  return true;
}

bool meets_treatment_rule(const ModelParameters& params, const ScreeningPolicy& policy,
                          const Agents& agents, Eigen::Index i, double now,
                          double measured_bmd_g_cm2) {
  if (t_score(measured_bmd_g_cm2, params.bone) <= policy.treat_t_score_max) return true;
  if (policy.treat_prior_fracture && has_prior_fracture(agents, i)) return true;
  return policy.treat_probability_min <= 1 &&
         ten_year_fracture_probability(params, agents, i, now, measured_bmd_g_cm2) >=
             policy.treat_probability_min;
}

}  // namespace osteosim::model
