#include "model/bone.hpp"

#include <algorithm>
#include <cmath>

namespace osteosim::model {

double t_score(double bmd_g_cm2, const BoneParameters& bone) {
  return (bmd_g_cm2 - bone.reference_mean_g_cm2) / bone.reference_sd_g_cm2;
}

double population_mean_bmd_g_cm2(const BoneParameters& bone, Sex sex, double age_years) {
  return bone.mean_bmd_g_cm2.interpolated(sex, age_years);
}

double population_sd_bmd_g_cm2(const BoneParameters& bone, Sex sex, double age_years) {
  return bone.sd_bmd_g_cm2.interpolated(sex, age_years);
}

BmdGradient bmd_gradient(double rr_per_sd_decrease) {
  const double log_rr = std::log(rr_per_sd_decrease);
  return {log_rr, 0.5 * log_rr * log_rr};
}

double bmd_relative_risk(double bmd_g_cm2, const BmdGradient& gradient, double mean_g_cm2,
                         double sd_g_cm2) {
  const double z = (bmd_g_cm2 - mean_g_cm2) / sd_g_cm2;
  return std::exp(-gradient.log_rr * z - gradient.half_log_rr_squared);
}

double bmd_relative_risk(double bmd_g_cm2, double rr_per_sd_decrease, double mean_g_cm2,
                         double sd_g_cm2) {
  return bmd_relative_risk(bmd_g_cm2, bmd_gradient(rr_per_sd_decrease), mean_g_cm2, sd_g_cm2);
}

namespace {

/// The fraction of BMD lost per year between the two ages (capped at 0.99).
double annual_loss_fraction(const BoneParameters& bone, Sex sex, double age_from,
                            double age_to, double loss_multiplier, double menopause_age) {
  const double length = age_to - age_from;
  // Age-related loss evaluated at the middle of the interval (second-order accurate).
  const double age_loss =
      bone.annual_loss_fraction.at(sex, 0.5 * (age_from + age_to)) * loss_multiplier;
  // Transmenopausal acceleration (Greendale 2012 JBMR 27:111): only the overlap of the
  // interval with [FMP + start, FMP + end) counts, so step length does not matter.
  double menopause_loss = 0;
  if (sex == Sex::female) {
    const double window_from = menopause_age + bone.menopause_extra_loss_start_years;
    const double window_to = menopause_age + bone.menopause_extra_loss_end_years;
    const double overlap = std::min(age_to, window_to) - std::max(age_from, window_from);
    if (overlap > 0) menopause_loss = bone.menopause_extra_loss_fraction_per_year * overlap / length;
  }
  return std::min(age_loss + menopause_loss, 0.99);
}

}  // namespace

double bone_loss_rate_per_year(const BoneParameters& bone, Sex sex, double age_from,
                               double age_to, double loss_multiplier, double menopause_age) {
  if (age_to - age_from <= 0) return 0;
  // Fractions lost per year become continuous rates: (1 - f) = exp(-rate).
  return -std::log1p(
      -annual_loss_fraction(bone, sex, age_from, age_to, loss_multiplier, menopause_age));
}

double bone_remaining_fraction(const BoneParameters& bone, Sex sex, double age_from,
                               double length_years, double loss_multiplier,
                               double menopause_age) {
  const double age_to = age_from + length_years;
  if (length_years == 1.0 && age_to - age_from > 0) {
    return 1 - annual_loss_fraction(bone, sex, age_from, age_to, loss_multiplier, menopause_age);
  }
  return std::exp(-length_years * bone_loss_rate_per_year(bone, sex, age_from, age_to,
                                                          loss_multiplier, menopause_age));
}

}  // namespace osteosim::model
