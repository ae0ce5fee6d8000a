#include "model/risk_tool.hpp"

#include <cmath>
#include <limits>

#include "model/fracture.hpp"
#include "model/mortality.hpp"

namespace osteosim::model {

int ost_index(double weight_kg, double age_years) {
  return static_cast<int>(std::trunc(0.2 * (weight_kg - age_years)));
}

double ten_year_fracture_probability(const ModelParameters& params, const Agents& agents,
                                     Eigen::Index i, double now,
                                     std::optional<double> bmd_g_cm2) {
  constexpr int kYears = 10;
  const Sex sex = agents.sex_of(i);
  const double since_fracture = agents.time_of_last_fracture[i] == kNever
                                    ? std::numeric_limits<double>::infinity()
                                    : now - agents.time_of_last_fracture[i];
  double alive_and_free = 1;  // no death and no major fracture yet
  double probability = 0;
  for (int year = 0; year < kYears; ++year) {
    const double age = agents.age_years[i] + year + 0.5;
    const FractureBaseline base = fracture_baseline(params, sex, age);
    // Without a measured BMD, evaluate at a BMD whose relative risk is the population
    // mean (1): the mean of rr^-z over z ~ N(0,1) is exp(ln(rr)^2/2), reached at
    // z = -ln(rr)/2, so a BMD of mean - sd * ln(rr)/2 for each site.
    const FractureHazards h = [&] {
      if (bmd_g_cm2) {
        return fracture_hazards_per_year(params, sex, base, *bmd_g_cm2, agents.risk_factors[i],
                                         since_fracture + year, 1.0);
      }
      FractureHazards mean{};
      for (int k = 0; k < kFractureProcesses; ++k) {
        const double z = -std::log(params.fractures.site[k].rr_per_sd_decrease) / 2;
        const FractureHazards at = fracture_hazards_per_year(
            params, sex, base, base.bmd_mean_g_cm2 + z * base.bmd_sd_g_cm2,
            agents.risk_factors[i], since_fracture + year, 1.0);
        mean.after_fall_per_year[k] = at.after_fall_per_year[k];
        mean.without_fall_per_year[k] = at.without_fall_per_year[k];
      }
      return mean;
    }();
    double major = 0;
    for (int k = 0; k < kFractureProcesses; ++k) {
      double site = h.after_fall_per_year[k] + h.without_fall_per_year[k];
      if (counts_clinical_only(k)) {
        site *= params.fractures.vertebral_clinical_fraction;  // clinical ones only
      }
      major += site;
    }
    const double death = background_death_hazard_per_year(params.mortality, sex, age);
    const double total = major + death;
    const double leave = 1 - std::exp(-total);
    probability += alive_and_free * (total > 0 ? major / total * leave : 0);
    alive_and_free *= 1 - leave;
  }
  return probability;
}

}  // namespace osteosim::model
