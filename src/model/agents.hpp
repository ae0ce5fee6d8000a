#pragma once
/// The state of a block of agents, as columns (structure of arrays). Times of past events
/// are absolute simulation times in years (time 0 = start of the run), so "years since"
/// is `now - time_of_...`; kNever marks an event that has not happened.
#include <Eigen/Core>
#include <cstdint>
#include <limits>

#include "model/types.hpp"

namespace osteosim::model {

inline constexpr double kNever = -std::numeric_limits<double>::infinity();

/// Bits of Agents::fractured_sites: ever fractured at a tallied site, plus any clinical site.
constexpr std::uint8_t site_bit(Site s) { return static_cast<std::uint8_t>(1u << static_cast<int>(s)); }
inline constexpr std::uint8_t kAnyClinicalFractureBit = 1u << kSites;

struct Agents {
  using Flags = Eigen::Array<std::uint8_t, Eigen::Dynamic, 1>;

  std::uint64_t first_id = 0;  ///< global id of row 0 (ids are contiguous within a block)
  Flags alive;
  Flags sex;                          ///< model::Sex as integer
  Eigen::ArrayXd age_years;           ///< exact age now
  Eigen::ArrayXd bmd_g_cm2;           ///< femoral-neck BMD
  Eigen::ArrayXd bone_loss_multiplier;  ///< the agent's lifelong factor on the mean loss rate
  Eigen::ArrayXd menopause_age_years;   ///< age at final menstrual period (+inf for men)
  Flags risk_factors;                 ///< bit k set = RiskFactor k present
  Flags fractured_sites;              ///< site_bit(s) | kAnyClinicalFractureBit
  Eigen::ArrayXd time_of_last_fracture;            ///< most recent clinical fracture
  Eigen::ArrayXd time_of_last_hip_fracture;
  Eigen::ArrayXd time_of_last_clinical_vertebral_fracture;
  Eigen::ArrayXd time_of_last_fall;

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
  }

  Sex sex_of(Eigen::Index i) const { return static_cast<Sex>(sex[i]); }
  bool has_risk_factor(Eigen::Index i, int k) const { return (risk_factors[i] >> k) & 1u; }
};

}  // namespace osteosim::model
