#pragma once
/// Death: life-table hazard plus the excess after hip and clinical vertebral fracture.
#include "model/parameters.hpp"

namespace osteosim::model {

struct DeathHazards {
  double background_per_year = 0;      ///< from the life table
  double after_fracture_per_year = 0;  ///< excess over background after a fracture
};

/// Life-table hazard at this age, -ln(1 - qx), times the calibrated background multiplier.
double background_death_hazard_per_year(const MortalityParameters& mortality, Sex sex,
                                         double age_years);

/// Hazards for an agent `years_since_hip` / `years_since_vertebral` after its most recent
/// hip / clinical vertebral fracture (+infinity if none). The excess is
/// background * (RR - 1) with the larger of the two relative hazards: the published RRs
/// are against all-cause mortality and do not add (Haentjens 2010 Ann Intern Med 152:380).
DeathHazards death_hazards_per_year(const MortalityParameters& mortality, Sex sex,
                                    double background_per_year, double years_since_hip,
                                    double years_since_vertebral);

}  // namespace osteosim::model
