#include "model/step.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "model/bone.hpp"
#include "model/event_clock.hpp"
#include "model/falls.hpp"
#include "model/fracture.hpp"
#include "model/interventions.hpp"
#include "model/mortality.hpp"

namespace osteosim::model {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// The competing events of a step: deaths, a fall without fracture, then for each fracture
/// process of the site registry a fracture after a fall and one without. A fall that breaks
/// a bone is one event (a fall and a fracture), so falls without fracture have the fall
/// rate minus the fall-related fracture hazards: the fall and fracture processes stay
/// consistent.
enum Event : int {
  background_death,
  death_after_fracture,
  fall_without_fracture,
  kFirstFractureEvent,
  kEvents = kFirstFractureEvent + 2 * kFractureProcesses
};
constexpr int after_fall_event(int k) { return kFirstFractureEvent + 2 * k; }
constexpr int without_fall_event(int k) { return after_fall_event(k) + 1; }
constexpr int process_of_event(Event e) { return (e - kFirstFractureEvent) / 2; }
constexpr bool follows_fall(Event e) { return (e - kFirstFractureEvent) % 2 == 0; }

struct EventHazards {
  std::array<double, kEvents> per_year{};
  double total = 0;
};

double years_since(double now, double time_of_event) {
  return time_of_event == kNever ? kInf : now - time_of_event;
}

EventHazards event_hazards(const ModelParameters& params, const AgeRates& rates,
                           const AgentFractureRisk& risk, const InterventionEffects& effects,
                           const Agents& agents, Eigen::Index i, double now) {
  const Sex sex = agents.sex_of(i);
  const bool fell_in_past_year = years_since(now, agents.time_of_last_fall[i]) < kFallHistoryYears;
  // Fall prevention lowers the agent's fall rate, and with it the fall-related fracture
  // hazards through the fall-rate ratio.
  const double fall_rate =
      rates.fall_rate_per_year[fell_in_past_year ? 1 : 0] * effects.fall_rate_multiplier;
  const double fall_rate_ratio =
      rates.mean_fall_rate_per_year > 0 ? fall_rate / rates.mean_fall_rate_per_year : 1.0;
  const FractureHazards fx = fracture_hazards_per_year(
      params, sex, rates.fracture, risk, years_since(now, agents.time_of_last_fracture[i]),
      fall_rate_ratio);
  const DeathHazards death = death_hazards_per_year(
      params.mortality, sex, rates.background_death_per_year,
      years_since(now, agents.time_of_last_hip_fracture[i]),
      years_since(now, agents.time_of_last_clinical_vertebral_fracture[i]));

  EventHazards h;
  h.per_year[background_death] = death.background_per_year;
  h.per_year[death_after_fracture] = death.after_fracture_per_year;
  double fall_related_fractures = 0;
  for (int k = 0; k < kFractureProcesses; ++k) {
    // Treatment multiplies each site's hazard (with no intervention the factor is exactly 1).
    h.per_year[after_fall_event(k)] = fx.after_fall_per_year[k] * effects.fracture_rr[k];
    h.per_year[without_fall_event(k)] = fx.without_fall_per_year[k] * effects.fracture_rr[k];
    fall_related_fractures += h.per_year[after_fall_event(k)];
  }
  h.per_year[fall_without_fracture] = std::max(0.0, fall_rate - fall_related_fractures);
  for (double x : h.per_year) h.total += x;
  return h;
}

/// Time (from `now`) until the next change of a time-since-event hazard or of the age
/// band: hazards are constant between such breakpoints, so events can be drawn exactly.
double time_to_next_breakpoint(const ModelParameters& params, const Agents& agents,
                               Eigen::Index i, double now, double age_now) {
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

Event choose_event(const EventHazards& h, double u) {
  double threshold = u * h.total;
  for (int e = 0; e < kEvents - 1; ++e) {
    if (threshold < h.per_year[e]) return static_cast<Event>(e);
    threshold -= h.per_year[e];
  }
  return static_cast<Event>(kEvents - 1);
}

/// Applies a fracture: updates the agent's history and reports it.
void fracture(Site site, bool after_fall, double now, double age, Agents& agents,
              Eigen::Index i, EventRecorder& recorder) {
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
  std::vector<const AgeTable*> tables{&params_.mortality.annual_death_probability,
                                      &params_.mortality.background_multiplier,
                                      &params_.falls.annual_rate,
                                      &params_.fractures.prior_fracture_prevalence};
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
      std::upper_bound(breakpoints_.begin(), breakpoints_.end(), age_years) -
      breakpoints_.begin());
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
                   const StepTime& time, const RandomSource& rng, Agents& agents,
                   Eigen::Index i, EventRecorder& recorder) {
  StepContext context(params);
  simulate_step(context, policy, time, rng, agents, i, recorder);
}

void simulate_step(StepContext& context, const InterventionPolicy& policy, const StepTime& time,
                   const RandomSource& rng, Agents& agents, Eigen::Index i,
                   EventRecorder& recorder) {
  const ModelParameters& params = context.params();
  const double dt = time.length_years;
  const double age_at_start = agents.age_years[i];
  const Sex sex = agents.sex_of(i);
  const AgeRates& rates = context.age_rates(sex, age_at_start + 0.5 * dt);

  // 0. Interventions act at the start of the step (screening, fracture liaison, course
  //    changes): a decision made now changes this step's hazards. Their effects are held
  //    at their mid-step value, like the age-dependent rates.
  InterventionEffects effects;
  const bool intervened = policy.any();
  if (intervened) {
    apply_interventions_at_step_start(params, policy, time, rng, agents, i, recorder);
    effects = intervention_effects(params, agents, i, time.start_years + 0.5 * dt);
  }
  // BMD changes only at the end of the step: its relative risks hold for every segment.
  const AgentFractureRisk risk =
      agent_fracture_risk(params, context.fracture_constants(), rates.fracture,
                          agents.bmd_g_cm2[i], agents.risk_factors[i]);

  // 1. Competing events. Each event k uses the quad (events, k): u[0] is the unit
  //    exponential clock to the next event, u[1] picks which event, u[2] whether a
  //    fracture of a process split into clinical and morphometric sites (vertebral) is
  //    clinically recognised. Within the step hazards change only
  //    at breakpoints (time since fracture or fall, age band), where the clock carries over.
  std::uint32_t event_index = 0;
  Uniforms4 u = rng.uniforms(Stream::events, event_index);
  EventClock clock(u[0]);
  double t = 0;
  while (t < dt) {
    const double now = time.start_years + t;
    const double age = age_at_start + t;
    const EventHazards h = event_hazards(params, rates, risk, effects, agents, i, now);
    const double segment = std::min(dt - t, time_to_next_breakpoint(params, agents, i, now, age));
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
    const Event event = choose_event(h, u[1]);
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
      const int k = process_of_event(event);
      const bool recognised =
          !counts_clinical_only(k) || u[2] < params.fractures.vertebral_clinical_fraction;
      fracture(site_of_fracture(k, recognised), follows_fall(event), event_time, event_age, agents,
               i, recorder);
    }
    if (++event_index >= kMaxEventsPerStep) break;
    u = rng.uniforms(Stream::events, event_index);
    clock = EventClock(u[0]);
  }

  // 2. Bone loss over the step, after the events: BMD changes slowly, so this step's
  //    fracture risk uses the BMD measured at its start.
  if (intervened) {
    account_treatment(params, time.start_years, time.start_years + dt, age_at_start, agents, i,
                      recorder);
  }
  agents.bmd_g_cm2[i] *=
      bone_remaining_fraction(params.bone, sex, age_at_start, dt, agents.bone_loss_multiplier[i],
                              agents.menopause_age_years[i]);
  agents.age_years[i] = age_at_start + dt;
}

}  // namespace osteosim::model
