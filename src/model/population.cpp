#include "model/population.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "model/bone.hpp"
#include "model/falls.hpp"

namespace osteosim::model {

namespace {

/// Two independent standard normals from two uniforms (Box & Muller 1958).
std::array<double, 2> box_muller(double u1, double u2) {
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  return {radius * std::cos(angle), radius * std::sin(angle)};
}

/// Age at FMP is kept within 40-60 years: earlier menopause is premature ovarian
/// insufficiency, outside this model; later is exceptional.
constexpr double kMinMenopauseAge = 40;
constexpr double kMaxMenopauseAge = 60;
/// BMD cannot fall below a physical floor however extreme the normal draw.
constexpr double kMinBmdG_cm2 = 0.2;
/// A fracture before age 50 (outside the prevalence table's span) is dated this long ago,
/// so that it carries the long-term RR.
constexpr double kPriorFractureYearsBeforeEntry = 1000;
/// Prior fractures are counted from this age (the prevalence table's definition).
constexpr double kPriorFractureFromAge = 50;

}  // namespace

PopulationSynthesis::PopulationSynthesis(const ModelParameters& params, const EntrySpec& spec)
    : continuous_age_(!spec.cohort) {
  const auto& table = params.demography.population;
  double total = 0;
  auto add = [&](Sex sex, double age, double persons) {
    if (persons <= 0) return;
    total += persons;
    strata_.push_back({sex, age, total});
  };
  if (spec.cohort) {
    for (int s = 0; s < kSexes; ++s) {
      const Sex sex = static_cast<Sex>(s);
      if (!spec.sex || *spec.sex == sex) add(sex, spec.age_years, table.at(sex, spec.age_years));
    }
  } else {
    for (std::size_t r = 0; r < table.keys.size(); ++r) {
      if (table.keys[r] < kMinAge) continue;
      for (int s = 0; s < kSexes; ++s) add(static_cast<Sex>(s), table.keys[r], table.values[s][r]);
    }
  }
  if (strata_.empty() || total <= 0) {
    throw std::invalid_argument("population table has no persons for the requested entry");
  }
  for (auto& stratum : strata_) stratum.cumulative_share /= total;
  persons_represented_ = total;
}

double body_weight_kg(const BodyWeightParameters& weight, Sex sex, double age_years, double z) {
  // Lognormal with the given mean and coefficient of variation (weight is right-skewed).
  const int band = std::clamp(static_cast<int>((age_years - 50) / 10), 0, kWeightBands - 1);
  const double mean = weight.mean_kg[static_cast<int>(sex)][band];
  const double sigma = std::sqrt(std::log1p(weight.cv * weight.cv));
  return mean * std::exp(sigma * z - sigma * sigma / 2);
}

namespace {

/// Visits the pieces of [0, age - 50] going back from entry, each ending at a whole year of
/// age, as visit(length, rate) with the rate of `rate_at_age` at the piece's middle (the
/// tables are step functions of age); stops early when visit returns false.
template <class Rate, class Visit>
void for_each_backward_piece(double age_years, const Rate& rate_at_age, Visit&& visit) {
  const double span = age_years - kPriorFractureFromAge;
  for (double t = 0; t < span;) {
    const double age = age_years - t;
    const double length = std::min(span - t, age - std::ceil(age - 1));
    if (!visit(length, rate_at_age(age - length / 2))) return;
    t += length;
  }
}

/// H(span): the cumulative backward hazard since age 50.
template <class Rate>
double backward_hazard(double age_years, const Rate& rate_at_age) {
  double total = 0;
  for_each_backward_piece(age_years, rate_at_age, [&](double length, double rate) {
    total += length * rate;
    return true;
  });
  return total;
}

/// The time back to the first event of the backward process given that there is one, with
/// `total` = H(span): H(t) = -log(1 - u (1 - exp(-H(span)))).
template <class Rate>
double backward_recurrence_time(double age_years, const Rate& rate_at_age, double total, double u) {
  const double span = age_years - kPriorFractureFromAge;
  if (!(total > 0)) return u * span;
  double target = -std::log1p(u * std::expm1(-total));
  double t = 0;
  bool found = false;
  for_each_backward_piece(age_years, rate_at_age, [&](double length, double rate) {
    if (target <= length * rate) {
      t += rate > 0 ? target / rate : 0;
      found = true;
      return false;
    }
    target -= length * rate;
    t += length;
    return true;
  });
  return found ? t : span;
}

double silent_vertebral_rate(const FractureParameters& fractures, Sex sex, double age) {
  const double clinical =
      fractures.site[static_cast<int>(FractureProcess::vertebral)].incidence_per_person_year.at(sex, age);
  const double share = fractures.vertebral_clinical_fraction;
  return share > 0 ? clinical * (1 - share) / share : 0;
}

}  // namespace

double years_since_prior_fracture(const FractureParameters& fractures, Sex sex, double age_years,
                                  double u) {
  if (!(age_years > kPriorFractureFromAge)) return kPriorFractureYearsBeforeEntry;
  const auto rate_at = [&](double age) {
    double rate = 0;
    for (const auto& site : fractures.site) rate += site.incidence_per_person_year.at(sex, age);
    return rate;
  };
  return backward_recurrence_time(age_years, rate_at, backward_hazard(age_years, rate_at), u);
}

std::optional<double> years_since_silent_vertebral_fracture(const FractureParameters& fractures, Sex sex,
                                                            double age_years, double u) {
  if (!(age_years > kPriorFractureFromAge)) return std::nullopt;
  const auto rate_at = [&](double age) { return silent_vertebral_rate(fractures, sex, age); };
  const double total = backward_hazard(age_years, rate_at);
  const double p_any = -std::expm1(-total);
  if (!(u < p_any)) return std::nullopt;
  return backward_recurrence_time(age_years, rate_at, total, u / p_any);
}

void PopulationSynthesis::enter(const ModelParameters& params, const RandomSource& rng,
                                Agents& agents, Eigen::Index i, double entry_time_years) const {
  const Uniforms4 u0 = rng.uniforms(Stream::entry, 0);
  const Uniforms4 u1 = rng.uniforms(Stream::entry, 1);
  const Uniforms4 u2 = rng.uniforms(Stream::entry, 2);
  const Uniforms4 u3 = rng.uniforms(Stream::entry, 3);

  const auto stratum = std::lower_bound(
      strata_.begin(), strata_.end(), u0[0],
      [](const Stratum& s, double u) { return s.cumulative_share < u; });
  const Stratum& chosen = stratum == strata_.end() ? strata_.back() : *stratum;
  const Sex sex = chosen.sex;
  const double age = chosen.age_years + (continuous_age_ ? u0[1] : 0.0);

  const auto [z_bmd, z_loss] = box_muller(u0[2], u0[3]);
  const auto [z_menopause, z_unused] = box_muller(u1[0], u1[1]);
  (void)z_unused;

  const auto& bone = params.bone;
  agents.alive[i] = 1;
  agents.sex[i] = static_cast<std::uint8_t>(sex);
  agents.age_years[i] = age;
  agents.bmd_g_cm2[i] = std::max(kMinBmdG_cm2, population_mean_bmd_g_cm2(bone, sex, age) +
                                                    population_sd_bmd_g_cm2(bone, sex, age) * z_bmd);
  agents.bone_loss_multiplier[i] = std::max(0.0, 1.0 + bone.loss_individual_cv * z_loss);
  agents.menopause_age_years[i] =
      sex == Sex::female
          ? std::clamp(bone.menopause_age_mean_years + bone.menopause_age_sd_years * z_menopause,
                       kMinMenopauseAge, kMaxMenopauseAge)
          : std::numeric_limits<double>::infinity();

  // Clinical risk factors at their prevalence by sex, independently (an assumption: FRAX
  // treats them as independent too; Kanis 2007 Osteoporos Int 18:1033).
  static_assert(kRiskFactors == 6, "one entry uniform per risk factor");
  const std::array<double, kRiskFactors> u_factors{u2[0], u2[1], u2[2], u2[3], u3[0], u3[1]};
  std::uint8_t bits = 0;
  for (int k = 0; k < kRiskFactors; ++k) {
    if (u_factors[k] < params.risk_factors[k].prevalence[static_cast<int>(sex)]) bits |= 1u << k;
  }
  agents.risk_factors[i] = bits;

  agents.fractured_sites[i] = 0;
  // A prior fracture at the table's prevalence, dated by the backward recurrence time of the
  // observed incidence so that recent ones carry their imminent risk from the first step
  // (u1[2] / prevalence is uniform given a prior fracture: no extra random number).
  const double prevalence = params.fractures.prior_fracture_prevalence.at(sex, age);
  const bool prior_fracture = u1[2] < prevalence;
  agents.time_of_last_fracture[i] =
      prior_fracture
          ? entry_time_years - years_since_prior_fracture(params.fractures, sex, age, u1[2] / prevalence)
          : kNever;
  // Unrecognised vertebral fractures raise the risk of the next fracture as recognised ones
  // do (step.cpp), so they belong to the entry history too: the clinical prevalence table
  // leaves them out, and without them the first simulated years lacked their imminent risk.
  // Own entry quad: no other draw moves.
  const Uniforms4 u5 = rng.uniforms(Stream::entry, 5);
  if (const auto silent = years_since_silent_vertebral_fracture(params.fractures, sex, age, u5[0])) {
    agents.time_of_last_fracture[i] = std::max(agents.time_of_last_fracture[i], entry_time_years - *silent);
  }
  agents.time_of_last_hip_fracture[i] = kNever;
  agents.time_of_last_clinical_vertebral_fracture[i] = kNever;
  // Falls in the year before entry, at the probability the fall model assumes for its
  // population mean (1 - exp(-rate)): without them no one would start with a fall history
  // and the first year's fall and fall-related fracture rates would be too low by the
  // fall-history normaliser (~1/1.4 at 80). Dated uniformly within that year.
  const double share_fallen = -std::expm1(-mean_fall_rate_per_year(params.falls, sex, age));
  agents.time_of_last_fall[i] = u3[2] < share_fallen ? entry_time_years - u3[3] : kNever;

  // Body weight (for the OST prescreen) from its own entry quad: no other draw moves.
  const Uniforms4 u4 = rng.uniforms(Stream::entry, 4);
  agents.weight_kg[i] = body_weight_kg(params.interventions.body_weight, sex, age,
                                       box_muller(u4[0], u4[1])[0]);
  agents.reset_interventions(i);
}

}  // namespace osteosim::model
