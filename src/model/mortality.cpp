#include "model/mortality.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace osteosim::model {

double background_death_hazard_per_year(const MortalityParameters& mortality, Sex sex,
                                         double age_years) {
  const double qx = std::min(mortality.annual_death_probability.at(sex, age_years), 0.999999);
  const double hazard = -std::log1p(-qx);
  return mortality.background_multiplier.empty()
             ? hazard
             : hazard * mortality.background_multiplier.at(sex, age_years);
}

DeathHazards death_hazards_per_year(const MortalityParameters& mortality, Sex sex,
                                    double background_per_year, double years_since_hip,
                                    double years_since_vertebral) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double rr = 1;
  if (years_since_hip < kInf) rr = std::max(rr, mortality.rr_after_hip_fracture.at(sex, years_since_hip));
  if (years_since_vertebral < kInf) {
    rr = std::max(rr, mortality.rr_after_vertebral_fracture.at(sex, years_since_vertebral));
  }
  return {background_per_year, background_per_year * (rr - 1)};
}

}  // namespace osteosim::model
