#include "model/interventions.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "model/bone.hpp"
#include "model/fall_prevention.hpp"
#include "model/screening.hpp"

namespace osteosim::model {

namespace {

// Draw indices: each (stream, index) quad is used by one decision only.
constexpr std::uint32_t kTreatmentQuad = 0;  // [0] adverse event, [1] next course,
                                             // [2] liaison start, [3] screening start
constexpr std::uint32_t kScreeningQuad = 0;  // [0] attends, [1,2] DXA error, [3] accepts
constexpr std::uint32_t kLiaisonQuad = 0;    // intervention_uptake: [0] reached, [1] accepts
constexpr std::uint32_t kProgrammeQuad = 1;  // intervention_uptake: [p] joins programme p

/// Two independent standard normals from two uniforms (Box & Muller 1958); one is used.
double standard_normal(double u1, double u2) {
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

const Regimen& regimen_of(const InterventionPolicy& policy, std::uint8_t source) {
  return source == kRegimenLiaison ? policy.fracture_liaison.regimen : policy.screening.regimen;
}

void start_regimen(const ModelParameters& params, const Regimen& regimen, std::uint8_t source,
                   double now, double u_persistence, Agents& agents, Eigen::Index i,
                   EventRecorder& recorder) {
  const bool first_time = !(agents.intervention_flags[i] & kEverTreatedBit);
  start_course(params.interventions, regimen, 0, source, now, u_persistence, agents, i);
  recorder.treatment_start(regimen.courses.front().drug, agents.age_years[i], first_time);
}

/// A course that ended moves on to the next of its regimen if it was completed; a
/// completed regimen is followed by the last drug's holiday, a discontinued one by none.
void advance_courses(const ModelParameters& params, const InterventionPolicy& policy,
                     double now, double u_persistence, Agents& agents, Eigen::Index i,
                     EventRecorder& recorder) {
  bool completed = false;
  const std::uint8_t course = agents.regimen_course[i];
  const std::uint8_t source = agents.regimen_source[i];
  if (!end_course_if_due(agents, i, now, completed)) return;
  recorder.treatment_stop(static_cast<Drug>(agents.previous_drug[i]), agents.age_years[i],
                          completed);
  const Regimen& regimen = regimen_of(policy, source);
  const std::size_t next = static_cast<std::size_t>(course) + 1;
  if (completed && next < regimen.courses.size()) {
    // The next course starts at this step (a gap shorter than one step).
    start_course(params.interventions, regimen, static_cast<int>(next), source, now,
                 u_persistence, agents, i);
    recorder.treatment_start(regimen.courses[next].drug, agents.age_years[i], false);
    return;
  }
  const DrugParameters& last = params.interventions.drugs[agents.previous_drug[i]];
  agents.no_treatment_until[i] =
      agents.previous_stop_time[i] + (completed ? last.holiday_years : 0.0);
}

void draw_adverse_event(const ModelParameters& params, const StepTime& time, double u,
                        const Agents& agents, Eigen::Index i, EventRecorder& recorder) {
  if (agents.drug[i] == kNoDrug) return;
  const DrugParameters& drug = params.interventions.drugs[agents.drug[i]];
  const double exposure =
      std::min(agents.course_end_time[i], time.start_years + time.length_years) -
      std::max(agents.course_start_time[i], time.start_years);
  if (exposure <= 0 || drug.adverse_events_per_year <= 0) return;
  // At most one serious adverse event per step: rates are far below one per year.
  if (u < 1 - std::exp(-drug.adverse_events_per_year * exposure)) {
    recorder.adverse_event(static_cast<Drug>(agents.drug[i]), agents.age_years[i]);
  }
}

void fracture_liaison(const ModelParameters& params, const FractureLiaisonPolicy& fls,
                      double now, const RandomSource& rng, double u_persistence, Agents& agents,
                      Eigen::Index i, EventRecorder& recorder) {
  if (!fls.enabled || now < fls.start_years) return;
  const double fracture_time = agents.time_of_last_clinical_fracture[i];
  if (fracture_time == kNever || fracture_time <= agents.time_fls_considered[i]) return;
  agents.time_fls_considered[i] = fracture_time;
  if (agents.age_years[i] < fls.min_age_years || !may_start_treatment(agents, i, now)) return;
  const Uniforms4 u = rng.uniforms(Stream::intervention_uptake, kLiaisonQuad);
  if (u[0] >= fls.uptake || u[1] >= fls.regimen.uptake) return;
  start_regimen(params, fls.regimen, kRegimenLiaison, now, u_persistence, agents, i, recorder);
}

void screening(const ModelParameters& params, const ScreeningPolicy& policy, double now,
               const RandomSource& rng, double u_persistence, Agents& agents, Eigen::Index i,
               EventRecorder& recorder) {
  if (!policy.enabled || now < policy.start_years) return;
  if (!is_eligible(policy.eligible, agents, i) || !may_start_treatment(agents, i, now)) return;
  const double last = agents.time_of_last_screen_offer[i];
  // The tolerance keeps a 5-year interval at 5 years despite rounding of step times.
  if (last != kNever && now - last < policy.interval_years - 1e-9) return;
  agents.time_of_last_screen_offer[i] = now;
  const Uniforms4 u = rng.uniforms(Stream::screening, kScreeningQuad);
  if (u[0] >= policy.uptake) return;
  const double age = agents.age_years[i];
  recorder.screened(age, !(agents.intervention_flags[i] & kEverScreenedBit));
  agents.intervention_flags[i] |= kEverScreenedBit;
  if (!prescreen_refers(params, policy, agents, i, now)) return;
  recorder.dxa_scan(age);
  const double measured = dxa_measured_bmd_g_cm2(
      params.interventions, agents.bmd_g_cm2[i] + agents.bmd_treatment_gain_g_cm2[i],
      standard_normal(u[1], u[2]));
  agents.measured_t_score[i] = t_score(measured, params.bone);
  recorder.dxa_result(age, agents.measured_t_score[i]);
  if (!meets_treatment_rule(params, policy, agents, i, now, measured)) return;
  if (u[3] >= policy.regimen.uptake) return;
  start_regimen(params, policy.regimen, kRegimenScreening, now, u_persistence, agents, i,
                recorder);
}

void programmes(const InterventionPolicy& policy, double now, const RandomSource& rng,
                Agents& agents, Eigen::Index i, EventRecorder& recorder) {
  if (policy.programmes.empty()) return;
  bool drawn = false;
  Uniforms4 u{};
  for (const ProgrammePolicy& p : policy.programmes) {
    const int k = static_cast<int>(p.programme);
    const std::uint8_t bit = programme_offered_bit(k);
    if (now < p.start_years || (agents.intervention_flags[i] & bit)) continue;
    if (!is_eligible(p.eligible, agents, i)) continue;
    agents.intervention_flags[i] |= bit;
    if (!drawn) u = rng.uniforms(Stream::intervention_uptake, kProgrammeQuad);
    drawn = true;
    if (u[static_cast<std::size_t>(k)] < p.uptake) {
      agents.programme_start_time[k][i] = now;
      recorder.programme_start(p.programme, agents.age_years[i]);
    }
  }
}

}  // namespace

void apply_interventions_at_step_start(const ModelParameters& params,
                                       const InterventionPolicy& policy, const StepTime& time,
                                       const RandomSource& rng, Agents& agents, Eigen::Index i,
                                       EventRecorder& recorder) {
  const double now = time.start_years;
  // Order: a course that ended makes room for the next one before anyone is offered a new
  // regimen; the liaison service acts on last step's fracture before routine screening,
  // so a fracture patient is treated through the service rather than re-screened.
  const bool has_treatment = agents.drug[i] != kNoDrug || policy.screening.enabled ||
                             policy.fracture_liaison.enabled;
  if (has_treatment) {
    const Uniforms4 u = rng.uniforms(Stream::treatment, kTreatmentQuad);
    advance_courses(params, policy, now, u[1], agents, i, recorder);
    draw_adverse_event(params, time, u[0], agents, i, recorder);
    fracture_liaison(params, policy.fracture_liaison, now, rng, u[2], agents, i, recorder);
    screening(params, policy.screening, now, rng, u[3], agents, i, recorder);
  }
  programmes(policy, now, rng, agents, i, recorder);
}

InterventionEffects intervention_effects(const ModelParameters& params, const Agents& agents,
                                         Eigen::Index i, double now) {
  InterventionEffects effects;
  effects.fracture_rr = treatment_rr(params.interventions, agents, i, now);
  const ProgrammeEffects programme = programme_effects(params.interventions, agents, i, now);
  effects.fall_rate_multiplier = programme.fall_rate_multiplier;
  for (int k = 0; k < kFractureProcesses; ++k) effects.fracture_rr[k] *= programme.fracture_rr[k];
  return effects;
}

void account_treatment(const ModelParameters& params, double from, double to,
                       double age_at_from, Agents& agents, Eigen::Index i,
                       EventRecorder& recorder) {
  double& gain = agents.bmd_treatment_gain_g_cm2[i];
  double on = 0;
  if (agents.drug[i] != kNoDrug) {
    on = std::max(0.0, std::min(agents.course_end_time[i], to) -
                           std::max(agents.course_start_time[i], from));
    const DrugParameters& drug = params.interventions.drugs[agents.drug[i]];
    if (on > 0) {
      recorder.treated_time(static_cast<Drug>(agents.drug[i]), age_at_from, on);
      gain += agents.bmd_g_cm2[i] * drug.bmd_gain_fraction_per_year * on;
    }
  }
  // Off treatment the gain is lost at the pace of the last drug's offset.
  const std::uint8_t last = agents.drug[i] != kNoDrug ? agents.drug[i] : agents.previous_drug[i];
  const double off = (to - from) - on;
  if (gain > 0 && off > 0 && last != kNoDrug) {
    const double years_on = agents.drug[i] != kNoDrug
                                ? agents.course_end_time[i] - agents.course_start_time[i]
                                : agents.previous_stop_time[i] - agents.previous_start_time[i];
    const double offset = offset_years(params.interventions.drugs[last], years_on);
    gain = offset > 0 ? gain * std::exp(-off / offset) : 0.0;
  }
}

}  // namespace osteosim::model
