#include "model/fracture.hpp"

#include <cmath>
#include <limits>

#include "model/bone.hpp"

namespace osteosim::model {

namespace {

double long_term_prior_fracture_rr(const FractureParameters& fractures, Sex sex) {
  return fractures.rr_by_years_since_fracture.values[static_cast<int>(sex)].back();
}

}  // namespace

FractureBaseline fracture_baseline(const ModelParameters& params, Sex sex, double age_years) {
  FractureBaseline b;
  const auto& fractures = params.fractures;
  // Agents with a fracture before entry carry the long-term RR, so the mean over the
  // population uses it with the prevalence of prior fracture at this age.
  const double prior_prevalence = fractures.prior_fracture_prevalence.at(sex, age_years);
  const double mean_prior_rr =
      1 - prior_prevalence + prior_prevalence * long_term_prior_fracture_rr(fractures, sex);
  for (int k = 0; k < kFractureProcesses; ++k) {
    const auto& site = fractures.site[k];
    double incidence = site.incidence_per_person_year.at(sex, age_years);
    if (counts_clinical_only(k)) {
      incidence /= fractures.vertebral_clinical_fraction;
    }
    if (!site.calibration_multiplier.empty()) {
      incidence *= site.calibration_multiplier.at(sex, age_years);
    }
    b.incidence_per_year[k] = incidence;
    double mean_rr = mean_prior_rr;
    for (const auto& factor : params.risk_factors) {
      const double p = factor.prevalence[static_cast<int>(sex)];
      mean_rr *= 1 - p + p * factor.rr[k];
    }
    b.mean_relative_risk[k] = mean_rr;
  }
  b.bmd_mean_g_cm2 = population_mean_bmd_g_cm2(params.bone, sex, age_years);
  b.bmd_sd_g_cm2 = population_sd_bmd_g_cm2(params.bone, sex, age_years);
  return b;
}

FractureConstants fracture_constants(const FractureParameters& fractures) {
  FractureConstants c;
  for (int k = 0; k < kFractureProcesses; ++k) {
    c.bmd_gradient[k] = bmd_gradient(fractures.site[k].rr_per_sd_decrease);
  }
  return c;
}

namespace {

/// The hazard per year of process k before the fall split, with the relative risks
/// multiplied in the order the model defines (prior fracture, BMD, risk factors).
double process_hazard(const ModelParameters& params, const FractureBaseline& baseline,
                      const AgentFractureRisk& agent, double prior_rr, int k) {
  double rr = prior_rr * agent.bmd_rr[k];
  for (int f = 0; f < kRiskFactors; ++f) {
    if ((agent.risk_factor_bits >> f) & 1u) rr *= params.risk_factors[f].rr[k];
  }
  return baseline.incidence_per_year[k] * rr / baseline.mean_relative_risk[k];
}

}  // namespace

AgentFractureRisk agent_fracture_risk(const ModelParameters& params,
                                      const FractureConstants& constants,
                                      const FractureBaseline& baseline, double bmd_g_cm2,
                                      std::uint8_t risk_factor_bits) {
  AgentFractureRisk a;
  for (int k = 0; k < kFractureProcesses; ++k) {
    a.bmd_rr[k] = bmd_relative_risk(bmd_g_cm2, constants.bmd_gradient[k],
                                    baseline.bmd_mean_g_cm2, baseline.bmd_sd_g_cm2);
  }
  a.risk_factor_bits = risk_factor_bits;
  for (int k = 0; k < kFractureProcesses; ++k) {
    a.hazard_without_prior_rr[k] = process_hazard(params, baseline, a, 1.0, k);
  }
  return a;
}

std::array<double, kFractureProcesses> process_hazards_per_year(const ModelParameters& params,
                                                                Sex sex,
                                                                const FractureBaseline& baseline,
                                                                const AgentFractureRisk& agent,
                                                                double years_since_fracture) {
  const double prior_rr =
      years_since_fracture < std::numeric_limits<double>::infinity()
          ? params.fractures.rr_by_years_since_fracture.at(sex, years_since_fracture)
          : 1.0;
  std::array<double, kFractureProcesses> hazard{};
  for (int k = 0; k < kFractureProcesses; ++k) {
    // 1 * x == x exactly, so the precomputed hazard is bit for bit the one built here.
    hazard[k] = prior_rr == 1.0 ? agent.hazard_without_prior_rr[k]
                                : process_hazard(params, baseline, agent, prior_rr, k);
  }
  return hazard;
}

FractureHazards fracture_hazards_per_year(const ModelParameters& params, Sex sex,
                                          const FractureBaseline& baseline,
                                          const AgentFractureRisk& agent,
                                          double years_since_fracture, double fall_rate_ratio) {
  const auto hazard = process_hazards_per_year(params, sex, baseline, agent, years_since_fracture);
  FractureHazards h;
  for (int k = 0; k < kFractureProcesses; ++k) {
    const double fall_share = params.fractures.site[k].fall_share;
    h.after_fall_per_year[k] = hazard[k] * fall_share * fall_rate_ratio;
    h.without_fall_per_year[k] = hazard[k] * (1 - fall_share);
  }
  return h;
}

FractureHazards fracture_hazards_per_year(const ModelParameters& params, Sex sex,
                                          const FractureBaseline& baseline, double bmd_g_cm2,
                                          std::uint8_t risk_factor_bits,
                                          double years_since_fracture, double fall_rate_ratio) {
  return fracture_hazards_per_year(
      params, sex, baseline,
      agent_fracture_risk(params, fracture_constants(params.fractures), baseline, bmd_g_cm2,
                          risk_factor_bits),
      years_since_fracture, fall_rate_ratio);
}

}  // namespace osteosim::model
