#pragma once
/// Parameters of the interventions a strategy can use: the drug catalogue, fall-prevention
/// programmes and the screening tests. Loaded by config/ from models/<name>/drugs.yaml and
/// models/<name>/interventions.yaml (every number with its source) and held in
/// ModelParameters, so that every strategy sees the same catalogue.
#include <array>
#include <cstdint>
#include <string_view>

#include "model/types.hpp"

namespace osteosim::model {

/// The drugs of the catalogue. Fixed, like the fracture sites, because results carry a
/// `drug` dimension; values are part of the result format: append only.
enum class Drug : std::uint8_t {
  alendronate = 0,
  risedronate,
  zoledronic_acid,
  denosumab,
  raloxifene,
  teriparatide,
};
inline constexpr int kDrugs = 6;
inline constexpr std::array<std::string_view, kDrugs> kDrugNames{
    "alendronate", "risedronate", "zoledronic_acid", "denosumab", "raloxifene", "teriparatide"};
/// Agents::drug of an agent on no drug.
inline constexpr std::uint8_t kNoDrug = 0xFF;

/// Persistence is given as the share still on the drug at these times after starting
/// (the way claims studies report it); the discontinuation hazard is piecewise constant
/// between them and stays at its last value after the last one.
inline constexpr int kPersistencePoints = 3;
inline constexpr std::array<double, kPersistencePoints> kPersistenceYears{0.5, 1.0, 2.0};

struct DrugParameters {
  /// Relative hazard of fracture at full effect, by fracture process, as in the
  /// placebo-controlled trials.
  std::array<double, kFractureProcesses> rr = for_each_process(1.0);
  double onset_years = 0;  ///< the effect grows linearly from none to full over this time
  /// After stopping, the effect fades linearly over offset_per_year_on x years on the
  /// drug, clamped to [offset_min_years, offset_max_years] (bisphosphonates: offset as long
  /// as the time on treatment, at most 5 y; denosumab: about one year whatever the time on).
  double offset_per_year_on = 0;
  double offset_min_years = 0;
  double offset_max_years = 0;
  /// Multiplier of the vertebral hazard for rebound_years after stopping (denosumab).
  double rebound_vertebral_rr = 1;
  double rebound_years = 0;
  double bmd_gain_fraction_per_year = 0;  ///< FN BMD gain while on the drug (measured BMD only)
  double adverse_events_per_year = 0;     ///< serious adverse events while on the drug
  std::array<double, kPersistencePoints> persistence{1, 1, 1};  ///< share still on it
  /// Share of the trial's log relative risk achieved by persistent real-world users.
  double adherence_effect_fraction = 1;
  double course_years = 5;   ///< duration rule: a course stops after this long ...
  double holiday_years = 0;  ///< ... and no new course starts for this long after it
};

/// Programmes offered to the community rather than prescribed after a test.
enum class Programme : std::uint8_t { exercise = 0, home_hazard_removal, calcium_vitamin_d };
inline constexpr int kProgrammes = 3;
inline constexpr std::array<std::string_view, kProgrammes> kProgrammeNames{
    "exercise", "home_hazard_removal", "calcium_vitamin_d"};

struct ProgrammeParameters {
  double fall_rate_rr = 1;           ///< multiplier of the fall rate at full effect
  /// Direct effect on fracture hazards, by FractureProcess.
  std::array<double, kFractureProcesses> fracture_rr = for_each_process(1.0);
  double full_effect_years = 1;      ///< full effect for this long after joining ...
  double waning_years = 0;           ///< ... then fading linearly to none over this time
};

/// Body weight at entry: lognormal with these means by sex and age band (50-59, 60-69,
/// 70-79, 80+) and one coefficient of variation. Needed by the OST prescreen.
inline constexpr int kWeightBands = 4;
struct BodyWeightParameters {
  std::array<std::array<double, kWeightBands>, kSexes> mean_kg{};
  double cv = 0.2;
};

struct InterventionParameters {
  std::array<DrugParameters, kDrugs> drugs;
  std::array<ProgrammeParameters, kProgrammes> programmes;
  double dxa_precision_sd_g_cm2 = 0;  ///< SD of a DXA measurement around the true FN BMD
  std::array<double, kSexes> ost_referral_below{2, 4};  ///< refer to DXA if OST < this
  BodyWeightParameters body_weight;
};

}  // namespace osteosim::model
