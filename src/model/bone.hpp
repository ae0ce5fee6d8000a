#pragma once
/// Femoral-neck bone mineral density: T-score, the fracture relative risk it implies, and
/// its loss with age and at menopause.
#include "model/parameters.hpp"

namespace osteosim::model {

/// T-score against the young-adult reference of the model (NHANES III young white women
/// for both sexes, as in FRAX: Kanis 2008 Bone 42:467).
double t_score(double bmd_g_cm2, const BoneParameters& bone);

/// Population mean and SD of FN BMD at `age_years` (interpolated between age bands).
double population_mean_bmd_g_cm2(const BoneParameters& bone, Sex sex, double age_years);
double population_sd_bmd_g_cm2(const BoneParameters& bone, Sex sex, double age_years);

/// Relative hazard of fracture for an agent's BMD given the gradient of risk per SD
/// decrease: rr^(-z), z the agent's Z-score for age and sex, divided by its mean
/// exp(ln(rr)^2 / 2) over a normal population so that the incidence tables stay the
/// population average (a standard lognormal identity; Marshall 1996 BMJ 312:1254 for the
/// gradient-of-risk form).
double bmd_relative_risk(double bmd_g_cm2, double rr_per_sd_decrease, double mean_g_cm2,
                         double sd_g_cm2);

/// A gradient of risk as bmd_relative_risk uses it: ln(rr) and ln(rr)^2 / 2, derived once
/// per simulation from the final parameters instead of once per call.
struct BmdGradient {
  double log_rr = 0;
  double half_log_rr_squared = 0;
};
BmdGradient bmd_gradient(double rr_per_sd_decrease);
/// The same value as bmd_relative_risk(bmd, rr, mean, sd), bit for bit.
double bmd_relative_risk(double bmd_g_cm2, const BmdGradient& gradient, double mean_g_cm2,
                         double sd_g_cm2);

/// Continuous loss rate (per year) of FN BMD for an agent between `age_from` and
/// `age_to`: the age-specific mean loss times the agent's multiplier, plus the
/// transmenopausal extra loss for the part of the interval that falls in its window.
double bone_loss_rate_per_year(const BoneParameters& bone, Sex sex, double age_from,
                               double age_to, double loss_multiplier, double menopause_age);

/// The factor an agent's BMD is multiplied by over a step of `length_years` from
/// `age_from`: exp(-length * rate) = (1 - f)^length, with f the fraction lost per year and
/// rate = bone_loss_rate_per_year(...) = -ln(1 - f). A one-year step takes 1 - f directly
/// (no exp/log1p: equal to the exponential form within rounding); other lengths use it.
double bone_remaining_fraction(const BoneParameters& bone, Sex sex, double age_from,
                               double length_years, double loss_multiplier,
                               double menopause_age);

}  // namespace osteosim::model
