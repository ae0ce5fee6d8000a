#pragma once
/// Fracture hazards by registry process (hip, vertebral, wrist). Each population incidence
/// by age and sex is shared out among agents by relative risks (BMD, clinical risk factors,
/// prior fracture, fall rate), each normalised by its population mean so that the average
/// hazard at each age stays the published incidence:
///   h = I(age, sex) * [fall_share * fall_rate / mean_fall_rate + (1 - fall_share)]
///       * RR_bmd * RR_risk_factors / E[RR_risk_factors] * RR_prior / E[RR_prior].
/// The normalisation assumes the factors independent (an approximation the calibration
/// of issue 4 replaces); the fall term has mean 1 by construction of the fall model.
#include <array>
#include <cstdint>

#include "model/bone.hpp"
#include "model/parameters.hpp"

namespace osteosim::model {

/// The parts of the hazards that depend only on age and sex: computed once per step.
struct FractureBaseline {
  /// Population hazard per year; for vertebral, all new deformities (clinical / fraction).
  std::array<double, kFractureProcesses> incidence_per_year{};
  /// E[RR_risk_factors] * E[RR_prior] at this age and sex.
  std::array<double, kFractureProcesses> mean_relative_risk{};
  double bmd_mean_g_cm2 = 0;
  double bmd_sd_g_cm2 = 0;
};

FractureBaseline fracture_baseline(const ModelParameters& params, Sex sex, double age_years);

/// Hazards split by whether the fracture follows a fall.
struct FractureHazards {
  std::array<double, kFractureProcesses> after_fall_per_year{};
  std::array<double, kFractureProcesses> without_fall_per_year{};
};

/// What the hazards derive from the parameters alone (the BMD gradients of risk). Computed
/// at the start of a simulation from the parameters it runs with, so that values written
/// into ModelParameters after loading (PSA draws, overrides) are used.
struct FractureConstants {
  std::array<BmdGradient, kFractureProcesses> bmd_gradient{};
};
FractureConstants fracture_constants(const FractureParameters& fractures);

/// The part of an agent's fracture risk that stays constant within a step: BMD changes
/// only at the end of the step and the baseline (population BMD at mid-step) is fixed.
struct AgentFractureRisk {
  std::array<double, kFractureProcesses> bmd_rr{};
  std::uint8_t risk_factor_bits = 0;
  /// The hazard per year before the fall split when the prior-fracture RR is 1 (no
  /// fracture yet, the common case), so that segments need not rebuild it.
  std::array<double, kFractureProcesses> hazard_without_prior_rr{};
};
AgentFractureRisk agent_fracture_risk(const ModelParameters& params,
                                      const FractureConstants& constants,
                                      const FractureBaseline& baseline, double bmd_g_cm2,
                                      std::uint8_t risk_factor_bits);

/// Each process's hazard per year before the fall split, with the prior-fracture RR for
/// `years_since_fracture` (+infinity if none).
std::array<double, kFractureProcesses> process_hazards_per_year(const ModelParameters& params,
                                                                Sex sex,
                                                                const FractureBaseline& baseline,
                                                                const AgentFractureRisk& agent,
                                                                double years_since_fracture);

/// Hazards from the step-constant part of the agent's risk (bit for bit the same as the
/// overload below, which evaluates everything per call).
FractureHazards fracture_hazards_per_year(const ModelParameters& params, Sex sex,
                                          const FractureBaseline& baseline,
                                          const AgentFractureRisk& agent,
                                          double years_since_fracture, double fall_rate_ratio);

/// `risk_factor_bits`: bit k = RiskFactor k present. `years_since_fracture`: since the most
/// recent fracture (+infinity if none). `fall_rate_ratio`: the agent's fall rate over the
/// population mean at its age.
FractureHazards fracture_hazards_per_year(const ModelParameters& params, Sex sex,
                                          const FractureBaseline& baseline, double bmd_g_cm2,
                                          std::uint8_t risk_factor_bits,
                                          double years_since_fracture, double fall_rate_ratio);

}  // namespace osteosim::model
