#include "model/step.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "model/bone.hpp"
#include "model/event_clock.hpp"
#include "model/event_hazards.hpp"
#include "model/falls.hpp"
#include "model/fracture.hpp"
#include "model/interventions.hpp"
#include "model/mortality.hpp"

namespace osteosim::model {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

EventHazards event_hazards(const ModelParameters& params, const AgeRates& rates,
                           const AgentFractureRisk& risk, const InterventionEffects& effects,
                           const Agents& agents, Eigen::Index i, double now) {
  const Sex sex = agents.sex_of(i);
  const bool fell_in_past_year = years_since(now, agents.time_of_last_fall[i]) < kFallHistoryYears;
  // Fall prevention lowers the agent's fall rate, and with it the fall-related fracture
  // hazards through the fall-rate ratio.
  const double fall_rate =
      rates.fall_rate_per_year[fell_in_past_year ? 1 : 0] * effects.fall_rate_multiplier;
  const DeathHazards death =
      death_hazards_per_year(params.mortality, sex, rates.background_death_per_year,
                             years_since(now, agents.time_of_last_hip_fracture[i]),
                             years_since(now, agents.time_of_last_clinical_vertebral_fracture[i]));
  // Treatment multiplies each process's hazards (with no intervention the factor is 1).
  return combine_event_hazards(
      death.background_per_year, death.after_fracture_per_year, fall_rate,
      rates.mean_fall_rate_per_year,
      process_hazards_per_year(params, sex, rates.fracture, risk,
                               years_since(now, agents.time_of_last_fracture[i])),
      fall_shares(params.fractures), effects.fracture_rr);
}

/// Time (from `now`) until the next change of a time-since-event hazard or of the age
/// band: hazards are constant between such breakpoints, so events can be drawn exactly.
double time_to_next_breakpoint(const ModelParameters& params, const Agents& agents, Eigen::Index i,
                               double now, double age_now) {
  auto until_next_key = [&](const AgeTable& table, double time_of_event) {
    if (time_of_event == kNever) return kInf;
    const double since = now - time_of_event;
    return table.next_key_after(since) - since;
  };
  double next = age_band_end(age_band(age_now)) - age_now;
  next = std::min(next, until_next_key(params.fractures.rr_by_years_since_fracture,
                                       agents.time_of_last_fracture[i]));
  next = std::min(next, until_next_key(params.mortality.rr_after_hip_fracture,
                                       agents.time_of_last_hip_fracture[i]));
  next = std::min(next, until_next_key(params.mortality.rr_after_vertebral_fracture,
                                       agents.time_of_last_clinical_vertebral_fracture[i]));
  const double since_fall = years_since(now, agents.time_of_last_fall[i]);
  if (since_fall < kFallHistoryYears) next = std::min(next, kFallHistoryYears - since_fall);
  // Guard against a zero-length segment from rounding at a boundary.
  return std::max(next, 1e-12);
}

/// Length of the segment that starts `t` into the step: to the next breakpoint or the end
/// of the step.
double segment_length(const ModelParameters& params, const StepTime& time, double t,
                      const Agents& agents, Eigen::Index i, double age) {
  return std::min(time.length_years - t,
                  time_to_next_breakpoint(params, agents, i, time.start_years + t, age));
}

/// The site of a fracture of process `process` (site registry): a fracture of a process
/// whose incidence counts clinical fractures only (vertebral) is clinically recognised with
/// the model's probability (uniform `u`), else tallied at its morphometric (silent) site.
Site site_of(FractureProcess process, double u, const ModelParameters& params) {
  const int k = static_cast<int>(process);
  return site_of_fracture(
      k, !counts_clinical_only(k) || u < params.fractures.vertebral_clinical_fraction);
}

/// Applies a fracture: updates the agent's history and reports it.
void fracture(Site site, bool after_fall, double now, double age, Agents& agents, Eigen::Index i,
              EventRecorder& recorder) {
  const std::uint8_t had = agents.fractured_sites[i];
  const bool first_at_site = !(had & site_bit(site));
  const bool clinical = is_clinical(site);
  const bool first_clinical = clinical && !(had & kAnyClinicalFractureBit);
  agents.fractured_sites[i] = had | site_bit(site) | (clinical ? kAnyClinicalFractureBit : 0);
  // Every fracture, recognised or not, raises the risk of the next (biology does not
  // depend on diagnosis; Klotzbuecher 2000 JBMR 15:721 includes morphometric fractures).
  agents.time_of_last_fracture[i] = now;
  if (clinical) agents.time_of_last_clinical_fracture[i] = now;
  if (site == Site::hip) agents.time_of_last_hip_fracture[i] = now;
  if (site == Site::clinical_vertebral) agents.time_of_last_clinical_vertebral_fracture[i] = now;
  if (after_fall) {
    agents.time_of_last_fall[i] = now;
    recorder.fall(age);
  }
  recorder.fracture(site, age, first_at_site, first_clinical);
}

/// Limit on events per agent and step; unreachable with any plausible parameters (a few
/// falls a year) but keeps a pathological parameter set from looping for ever.
constexpr std::uint32_t kMaxEventsPerStep = 10000;

}  // namespace

AgeRates age_rates(const ModelParameters& params, Sex sex, double age_years) {
  AgeRates r;
  r.background_death_per_year = background_death_hazard_per_year(params.mortality, sex, age_years);
  r.mean_fall_rate_per_year = mean_fall_rate_per_year(params.falls, sex, age_years);
  for (const bool fell : {false, true}) {
    r.fall_rate_per_year[fell ? 1 : 0] =
        fall_rate_per_year(params.falls, r.mean_fall_rate_per_year, fell);
  }
  r.fracture = fracture_baseline(params, sex, age_years);
  return r;
}

StepContext::StepContext(const ModelParameters& params)
    : params_(params), fracture_constants_(model::fracture_constants(params.fractures)) {}

void StepContext::build_intervals() {
  // The tables read with AgeTable::at by age_rates (through the mortality, fall and
  // fracture functions); the BMD mean and SD are interpolated and stay per age.
  std::vector<const AgeTable*> tables{
      &params_.mortality.annual_death_probability, &params_.mortality.background_multiplier,
      &params_.falls.annual_rate, &params_.fractures.prior_fracture_prevalence};
  for (const auto& site : params_.fractures.site) {
    tables.push_back(&site.incidence_per_person_year);
    tables.push_back(&site.calibration_multiplier);
  }
  for (const AgeTable* table : tables) {
    breakpoints_.insert(breakpoints_.end(), table->keys.begin(), table->keys.end());
  }
  std::sort(breakpoints_.begin(), breakpoints_.end());
  breakpoints_.erase(std::unique(breakpoints_.begin(), breakpoints_.end()), breakpoints_.end());
  for (auto& intervals : intervals_) intervals.resize(breakpoints_.size() + 1);
  intervals_built_ = true;
}

AgeRates StepContext::rates_in_interval(Sex sex, double age_years) {
  // A context that sees a single age (one step through the convenience overloads of
  // simulate_step) does not pay for the interval table.
  if (!intervals_built_) {
    if (++ages_seen_ < 2) return model::age_rates(params_, sex, age_years);
    build_intervals();
  }
  // For ages in [b_j, b_j+1) no table key lies in between, so each table's upper_bound,
  // hence its row, is the same for all of them (and below b_0 every table takes row 0).
  const auto j = static_cast<std::size_t>(
      std::upper_bound(breakpoints_.begin(), breakpoints_.end(), age_years) - breakpoints_.begin());
  Interval& interval = intervals_[static_cast<int>(sex)][j];
  if (!interval.filled) {
    interval.rates = model::age_rates(params_, sex, age_years);
    interval.filled = true;
  }
  AgeRates rates = interval.rates;
  rates.fracture.bmd_mean_g_cm2 = population_mean_bmd_g_cm2(params_.bone, sex, age_years);
  rates.fracture.bmd_sd_g_cm2 = population_sd_bmd_g_cm2(params_.bone, sex, age_years);
  return rates;
}

void simulate_step(const ModelParameters& params, const StepTime& time, const RandomSource& rng,
                   Agents& agents, Eigen::Index i, EventRecorder& recorder) {
  static const InterventionPolicy natural_history;
  simulate_step(params, natural_history, time, rng, agents, i, recorder);
}

void simulate_step(const ModelParameters& params, const InterventionPolicy& policy,
                   const StepTime& time, const RandomSource& rng, Agents& agents, Eigen::Index i,
                   EventRecorder& recorder) {
  StepContext context(params);
  simulate_step(context, policy, time, rng, agents, i, recorder);
}

InterventionEffects interventions_at_step_start(StepContext& context,
                                                const InterventionPolicy& policy,
                                                const StepTime& time, const RandomSource& rng,
                                                Agents& agents, Eigen::Index i,
                                                EventRecorder& recorder) {
  if (!policy.any()) return {};
  // Interventions act at the start of the step (screening, fracture liaison, course
  // changes): a decision made now changes this step's hazards. Their effects are held at
  // their mid-step value, like the age-dependent rates.
  const ModelParameters& params = context.params();
  apply_interventions_at_step_start(params, policy, time, rng, agents, i, recorder);
  return intervention_effects(params, agents, i, time.start_years + 0.5 * time.length_years);
}

void simulate_step(StepContext& context, const InterventionPolicy& policy, const StepTime& time,
                   const RandomSource& rng, Agents& agents, Eigen::Index i,
                   EventRecorder& recorder) {
  const InterventionEffects effects =
      interventions_at_step_start(context, policy, time, rng, agents, i, recorder);
  simulate_step_after_start(context, policy, effects, time, rng, agents, i, recorder);
}

void simulate_step_after_start(StepContext& context, const InterventionPolicy& policy,
                               const InterventionEffects& effects, const StepTime& time,
                               const RandomSource& rng, Agents& agents, Eigen::Index i,
                               EventRecorder& recorder) {
  const ModelParameters& params = context.params();
  const double dt = time.length_years;
  const double age_at_start = agents.age_years[i];
  const Sex sex = agents.sex_of(i);
  const AgeRates& rates = context.age_rates(sex, age_at_start + 0.5 * dt);
  const bool intervened = policy.any();
  // BMD changes only at the end of the step: its relative risks hold for every segment.
  const AgentFractureRisk risk =
      agent_fracture_risk(params, context.fracture_constants(), rates.fracture, agents.bmd_g_cm2[i],
                          agents.risk_factors[i]);

  // 1. Competing events. Each event k uses the quad (events, k): u[0] is the unit
  //    exponential clock to the next event, u[1] picks which event, u[2] whether a
  //    vertebral fracture is clinically recognised. Within the step hazards change only
  //    at breakpoints (time since fracture or fall, age band), where the clock carries over.
  std::uint32_t event_index = 0;
  Uniforms4 u = rng.uniforms(Stream::events, event_index);
  EventClock clock(u[0]);
  double t = 0;
  while (t < dt) {
    const double now = time.start_years + t;
    const double age = age_at_start + t;
    const EventHazards h = event_hazards(params, rates, risk, effects, agents, i, now);
    const double segment = segment_length(params, time, t, agents, i, age);
    if (clock.passes(h.total * segment)) {
      recorder.person_time(age, segment);
      t += segment;
      continue;
    }
    const double wait = clock.remaining() / h.total;
    recorder.person_time(age, wait);
    t += wait;
    const double event_time = time.start_years + t;
    const double event_age = age_at_start + t;
    const int event = choose_event(h, u[1]);
    if (event == background_death || event == death_after_fracture) {
      agents.alive[i] = 0;
      agents.age_years[i] = event_age;
      recorder.death(event_age, event == death_after_fracture);
      if (intervened) {
        account_treatment(params, time.start_years, event_time, age_at_start, agents, i, recorder);
      }
      return;
    }
    if (event == fall_without_fracture) {
      agents.time_of_last_fall[i] = event_time;
      recorder.fall(event_age);
    } else {
      fracture(site_of(static_cast<FractureProcess>(process_of(event)), u[2], params),
               is_after_fall(event), event_time, event_age, agents, i, recorder);
    }
    if (++event_index >= kMaxEventsPerStep) break;
    u = rng.uniforms(Stream::events, event_index);
    clock = EventClock(u[0]);
  }

  end_step(context, policy, time, age_at_start, agents, i, recorder);
}

void end_step(StepContext& context, const InterventionPolicy& policy, const StepTime& time,
              double age_at_start, Agents& agents, Eigen::Index i, EventRecorder& recorder) {
  const ModelParameters& params = context.params();
  const double dt = time.length_years;
  if (policy.any()) {
    account_treatment(params, time.start_years, time.start_years + dt, age_at_start, agents, i,
                      recorder);
  }
  agents.bmd_g_cm2[i] *=
      bone_remaining_fraction(params.bone, agents.sex_of(i), age_at_start, dt,
                              agents.bone_loss_multiplier[i], agents.menopause_age_years[i]);
  agents.age_years[i] = age_at_start + dt;
}

}  // namespace osteosim::model
