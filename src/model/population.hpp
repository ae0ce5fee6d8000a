#pragma once
/// Population synthesis: who enters the simulation, with which characteristics.
#include <optional>
#include <vector>

#include "model/agents.hpp"
#include "model/parameters.hpp"
#include "model/random_source.hpp"

namespace osteosim::model {

/// Body weight in kg at entry for a standard normal draw `z`.
double body_weight_kg(const BodyWeightParameters& weight, Sex sex, double age_years, double z);

/// Years between entry at `age_years` and the most recent prior clinical fracture of an
/// agent who has had one since age 50, at uniform `u` in (0, 1): looking back from entry,
/// fractures (first or repeat) arrive at the observed incidence of each registry process
/// (hip, clinical vertebral, wrist) at the age then, so the most recent one is the first
/// event of that backward process (the backward recurrence time of renewal theory, Cox
/// 1962), conditioned on lying after age 50. Deaths of people who fractured are ignored (an
/// approximation: recent fractures are slightly under-represented). At 50 or younger: a
/// fracture before 50, dated long ago (long-term relative risk).
double years_since_prior_fracture(const FractureParameters& fractures, Sex sex, double age_years,
                                  double u);

/// Unrecognised (morphometric) vertebral fractures since age 50 at entry, at the rate the
/// model implies (clinical vertebral incidence x (1 - clinical_fraction) / clinical_fraction):
/// nothing if the uniform `u` says there was none (probability exp(-H) of no event of that
/// Poisson process since 50), else the years since the most recent one (backward recurrence
/// time, as years_since_prior_fracture).
std::optional<double> years_since_silent_vertebral_fracture(const FractureParameters& fractures, Sex sex,
                                                            double age_years, double u);

/// A cohort enters at one age (one sex, or both in the population's proportions at that
/// age); a cross-section enters with the age/sex structure of the population table.
struct EntrySpec {
  bool cohort = true;
  std::optional<Sex> sex;  ///< cohort only; nullopt = both sexes
  double age_years = 50;   ///< cohort only
};

/// Draws agents' characteristics at entry. Built once per run (it holds the age/sex
/// distribution); `enter` is a pure function of its arguments.
class PopulationSynthesis {
 public:
  PopulationSynthesis(const ModelParameters& params, const EntrySpec& spec);

  /// Real persons the simulated population stands for (for scaling counts).
  double persons_represented() const { return persons_represented_; }

  /// Fills row i of `agents` from the entry stream of `rng` (draw indices 0..3), entering
  /// at simulation time `entry_time_years` (0 = start of the run; later for the open
  /// population's new 50-year-olds).
  void enter(const ModelParameters& params, const RandomSource& rng, Agents& agents,
             Eigen::Index i, double entry_time_years = 0) const;

 private:
  struct Stratum {
    Sex sex;
    double age_years;  ///< lower bound of a single year of age
    double cumulative_share;
  };
  std::vector<Stratum> strata_;  ///< age/sex strata with cumulative shares ending at 1
  double persons_represented_ = 0;
  bool continuous_age_ = false;  ///< cross-sections spread ages uniformly within the year
};

}  // namespace osteosim::model
