#pragma once
/// Parameters of the natural-history model, one struct per process. They are filled and
/// validated by config/ from models/<name>/model.yaml (every key there has its source) and
/// passed to the model as const&. Units are in the names; rates are annual.
#include <array>
#include <string>

#include "model/age_table.hpp"
#include "model/economics.hpp"
#include "model/intervention_parameters.hpp"
#include "model/types.hpp"

namespace osteosim::model {

/// Who the population is: age/sex structure for cross-sections.
struct DemographyParameters {
  AgeTable population;  ///< persons by single year of age (key = age) and sex
  /// Persons reaching 50 in each calendar year (key = year) by sex, for open populations;
  /// empty when the model has no projection.
  AgeTable entrants_age50;
};

/// Femoral-neck BMD: distribution at entry, loss with age, menopause.
struct BoneParameters {
  double reference_mean_g_cm2 = 0;  ///< young-adult reference for T-scores
  double reference_sd_g_cm2 = 0;
  AgeTable mean_bmd_g_cm2;          ///< population mean FN BMD by age and sex
  AgeTable sd_bmd_g_cm2;            ///< population SD of FN BMD by age and sex
  AgeTable annual_loss_fraction;    ///< mean fraction of BMD lost per year by age and sex
  double loss_individual_cv = 0;    ///< SD of an agent's lifelong loss multiplier (mean 1)
  double menopause_age_mean_years = 0;
  double menopause_age_sd_years = 0;
  double menopause_extra_loss_fraction_per_year = 0;  ///< added to the age loss ...
  double menopause_extra_loss_start_years = 0;        ///< ... from this time relative to FMP
  double menopause_extra_loss_end_years = 0;          ///< ... until this time relative to FMP
};

/// FRAX-style clinical risk factors other than prior fracture; each is present at entry
/// with a prevalence by sex and multiplies the hazard of each fracture site.
enum class RiskFactor : std::uint8_t {
  parental_hip_fracture = 0,
  current_smoking,
  glucocorticoids,
  rheumatoid_arthritis,
  alcohol_3_or_more_units,
  low_bmi,
};
inline constexpr int kRiskFactors = 6;
inline constexpr std::array<std::string_view, kRiskFactors> kRiskFactorNames{
    "parental_hip_fracture", "current_smoking", "glucocorticoids",
    "rheumatoid_arthritis",  "alcohol_3_or_more_units", "low_bmi"};

struct RiskFactorParameters {
  std::array<double, kSexes> prevalence{};                 ///< at entry, by sex
  std::array<double, kFractureProcesses> rr{};             ///< hazard multiplier by process
};

struct FallParameters {
  AgeTable annual_rate;                  ///< population mean falls per person-year
  double annual_rate_scale = 1;          ///< multiplies the table (sensitivity analyses)
  double rr_after_fall_in_last_year = 1; ///< fall rate multiplier if fallen in past 12 months
};

struct SiteParameters {
  /// Population incidence per person-year by age and sex (for vertebral: clinically
  /// recognised fractures; the model divides by clinical_fraction to get all deformities).
  AgeTable incidence_per_person_year;
  double rr_per_sd_decrease = 1;  ///< per SD decrease of FN BMD
  double fall_share = 0;          ///< share of fractures at this site that follow a fall
  /// Multiplier of the baseline hazard by age band and sex, fitted by `osteosim calibrate`
  /// so that simulated incidence matches `incidence_per_person_year`; empty = 1 everywhere.
  AgeTable calibration_multiplier;
};

inline constexpr int kProcessesCountingClinicalOnly = [] {
  int n = 0;
  for (int k = 0; k < kFractureProcesses; ++k) n += counts_clinical_only(k) ? 1 : 0;
  return n;
}();
static_assert(kProcessesCountingClinicalOnly <= 1,
              "one clinical fraction: at most one process counts clinical fractures only");

struct FractureParameters {
  std::array<SiteParameters, kFractureProcesses> site;
  /// Share of new vertebral deformities diagnosed: the clinical_fraction of the process
  /// whose incidence counts clinical fractures only (the site registry allows one).
  double vertebral_clinical_fraction = 1;
  AgeTable prior_fracture_prevalence;      ///< at entry, by age and sex
  /// Relative risk of any new fracture after a prior clinical fracture, by years since the
  /// most recent one (key); the last row is the long-term RR.
  AgeTable rr_by_years_since_fracture;
};

struct MortalityParameters {
  AgeTable annual_death_probability;  ///< life table qx by single year of age
  /// Relative hazard of death (all causes) by years since the fracture (key), after hip
  /// and after clinical vertebral fracture.
  AgeTable rr_after_hip_fracture;
  AgeTable rr_after_vertebral_fracture;
  /// Multiplier of the life-table hazard by age band and sex, fitted by `osteosim calibrate`
  /// so that simulated all-cause mortality (background + post-fracture excess) matches the
  /// life table, which already contains the deaths of fractured people; empty = 1.
  AgeTable background_multiplier;
};

struct ModelParameters {
  std::string name;
  DemographyParameters demography;
  BoneParameters bone;
  std::array<RiskFactorParameters, kRiskFactors> risk_factors;
  FallParameters falls;
  FractureParameters fractures;
  MortalityParameters mortality;
  InterventionParameters interventions;  ///< catalogue used by strategies' policies
  EconomicsParameters economics;  ///< costs, utilities, discounting (economics.yaml)
};

}  // namespace osteosim::model
