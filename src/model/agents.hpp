#pragma once
/// The state of a block of agents, as columns (structure of arrays). Times of past events
/// are absolute simulation times in years (time 0 = start of the run), so "years since"
/// is `now - time_of_...`; kNever marks an event that has not happened.
#include <Eigen/Core>
#include <cstdint>
#include <limits>

#include "model/intervention_parameters.hpp"
#include "model/types.hpp"

namespace osteosim::model {

inline constexpr double kNever = -std::numeric_limits<double>::infinity();

/// Years from an event to `now`; +infinity for an event that never happened.
constexpr double years_since(double now, double time_of_event) {
  return time_of_event == kNever ? std::numeric_limits<double>::infinity() : now - time_of_event;
}

/// Bits of Agents::fractured_sites: ever fractured at a tallied site, plus any clinical site.
constexpr std::uint8_t site_bit(Site s) {
  return static_cast<std::uint8_t>(1u << static_cast<int>(s));
}
inline constexpr std::uint8_t kAnyClinicalFractureBit = 1u << kSites;
static_assert(kSites + 1 <= 8, "the sites and the any-clinical bit must fit in fractured_sites");

/// Bits of Agents::intervention_flags.
inline constexpr std::uint8_t kEverScreenedBit = 1u << 0;
inline constexpr std::uint8_t kEverTreatedBit = 1u << 1;
constexpr std::uint8_t programme_offered_bit(int programme) {
  return static_cast<std::uint8_t>(1u << (2 + programme));
}
/// Agents::regimen_source values.
inline constexpr std::uint8_t kRegimenScreening = 0;
inline constexpr std::uint8_t kRegimenLiaison = 1;

struct Agents {
  using Flags = Eigen::Array<std::uint8_t, Eigen::Dynamic, 1>;

  std::uint64_t first_id = 0;  ///< global id of row 0 (ids are contiguous within a block)
  Flags alive;
  Flags sex;                             ///< model::Sex as integer
  Eigen::ArrayXd age_years;              ///< exact age now
  Eigen::ArrayXd bmd_g_cm2;              ///< femoral-neck BMD
  Eigen::ArrayXd bone_loss_multiplier;   ///< the agent's lifelong factor on the mean loss rate
  Eigen::ArrayXd menopause_age_years;    ///< age at final menstrual period (+inf for men)
  Flags risk_factors;                    ///< bit k set = RiskFactor k present
  Flags fractured_sites;                 ///< site_bit(s) | kAnyClinicalFractureBit
  Eigen::ArrayXd time_of_last_fracture;  ///< most recent clinical fracture
  Eigen::ArrayXd time_of_last_hip_fracture;
  Eigen::ArrayXd time_of_last_clinical_vertebral_fracture;
  Eigen::ArrayXd time_of_last_fall;
  Eigen::ArrayXd time_of_last_clinical_fracture;  ///< hip, clinical vertebral or wrist, in the run

  // Interventions (all untouched by the natural history).
  Eigen::ArrayXd weight_kg;  ///< body weight at entry (for the OST prescreen)
  Flags intervention_flags;  ///< kEverScreenedBit | kEverTreatedBit | offered programmes
  Eigen::ArrayXd time_of_last_screen_offer;
  Eigen::ArrayXd measured_t_score;     ///< at the last DXA (NaN before any)
  Eigen::ArrayXd time_fls_considered;  ///< the last fracture the liaison service acted on
  Flags drug;                          ///< current course's Drug, or kNoDrug
  Flags regimen_course;                ///< index of the current course in its regimen
  Flags regimen_source;                ///< kRegimenScreening or kRegimenLiaison
  Eigen::ArrayXd course_start_time;
  Eigen::ArrayXd course_end_time;       ///< planned: end of the course or discontinuation
  Eigen::ArrayXd course_planned_years;  ///< the regimen's course length (to tell completion)
  Flags previous_drug;                  ///< the last course that ended, or kNoDrug
  Eigen::ArrayXd previous_start_time;
  Eigen::ArrayXd previous_stop_time;
  Eigen::ArrayXd no_treatment_until;        ///< drug holiday after a completed regimen
  Eigen::ArrayXd bmd_treatment_gain_g_cm2;  ///< measured-BMD gain from treatment
  std::array<Eigen::ArrayXd, kProgrammes> programme_start_time;

  explicit Agents(Eigen::Index n = 0) { resize(n); }

  Eigen::Index size() const { return age_years.size(); }

  void resize(Eigen::Index n) {
    alive.setZero(n);
    sex.setZero(n);
    age_years.setZero(n);
    bmd_g_cm2.setZero(n);
    bone_loss_multiplier.setOnes(n);
    menopause_age_years.setZero(n);
    risk_factors.setZero(n);
    fractured_sites.setZero(n);
    time_of_last_fracture.setConstant(n, kNever);
    time_of_last_hip_fracture.setConstant(n, kNever);
    time_of_last_clinical_vertebral_fracture.setConstant(n, kNever);
    time_of_last_fall.setConstant(n, kNever);
    time_of_last_clinical_fracture.setConstant(n, kNever);
    weight_kg.setZero(n);
    intervention_flags.setZero(n);
    time_of_last_screen_offer.setConstant(n, kNever);
    measured_t_score.setConstant(n, std::numeric_limits<double>::quiet_NaN());
    time_fls_considered.setConstant(n, kNever);
    drug.setConstant(n, kNoDrug);
    regimen_course.setZero(n);
    regimen_source.setZero(n);
    course_start_time.setConstant(n, kNever);
    course_end_time.setConstant(n, kNever);
    course_planned_years.setZero(n);
    previous_drug.setConstant(n, kNoDrug);
    previous_start_time.setConstant(n, kNever);
    previous_stop_time.setConstant(n, kNever);
    no_treatment_until.setConstant(n, kNever);
    bmd_treatment_gain_g_cm2.setZero(n);
    for (auto& column : programme_start_time) column.setConstant(n, kNever);
  }

  /// Resets the intervention columns of row i (at entry: a block's rows are reused).
  void reset_interventions(Eigen::Index i) {
    time_of_last_clinical_fracture[i] = kNever;
    intervention_flags[i] = 0;
    time_of_last_screen_offer[i] = kNever;
    measured_t_score[i] = std::numeric_limits<double>::quiet_NaN();
    time_fls_considered[i] = kNever;
    drug[i] = kNoDrug;
    regimen_course[i] = 0;
    regimen_source[i] = 0;
    course_start_time[i] = kNever;
    course_end_time[i] = kNever;
    course_planned_years[i] = 0;
    previous_drug[i] = kNoDrug;
    previous_start_time[i] = kNever;
    previous_stop_time[i] = kNever;
    no_treatment_until[i] = kNever;
    bmd_treatment_gain_g_cm2[i] = 0;
    for (auto& column : programme_start_time) column[i] = kNever;
  }

  Sex sex_of(Eigen::Index i) const { return static_cast<Sex>(sex[i]); }
  bool has_risk_factor(Eigen::Index i, int k) const { return (risk_factors[i] >> k) & 1u; }
};

}  // namespace osteosim::model
