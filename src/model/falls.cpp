#include "model/falls.hpp"

#include <cmath>

namespace osteosim::model {

double mean_fall_rate_per_year(const FallParameters& falls, Sex sex, double age_years) {
  return falls.annual_rate.at(sex, age_years) * falls.annual_rate_scale;
}

double fall_rate_per_year(const FallParameters& falls, double mean_rate_per_year,
                          bool fell_in_past_year) {
  const double rr = falls.rr_after_fall_in_last_year;
  const double share_fallen = -std::expm1(-mean_rate_per_year);
  const double normaliser = 1 - share_fallen + share_fallen * rr;
  return mean_rate_per_year * (fell_in_past_year ? rr : 1.0) / normaliser;
}

}  // namespace osteosim::model
