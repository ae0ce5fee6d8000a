#pragma once
/// One time step of one agent: the only place that orders the processes of the model.
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "model/agents.hpp"
#include "model/fracture.hpp"
#include "model/parameters.hpp"
#include "model/policy.hpp"
#include "model/random_source.hpp"

namespace osteosim::model {

struct InterventionEffects;  // model/interventions.hpp

/// What the engine counts. The model reports each event as it happens, with the agent's
/// exact age then; the recorder is bound to one agent (it knows its sex and the year).
class EventRecorder {
 public:
  virtual ~EventRecorder() = default;
  /// `years` of life lived from `age_years` on, within one age band.
  virtual void person_time(double age_years, double years) = 0;
  virtual void fall(double age_years) = 0;
  /// `first_at_site`: the agent's first fracture at this site in the run;
  /// `first_clinical`: its first clinical fracture at any site in the run.
  virtual void fracture(Site site, double age_years, bool first_at_site, bool first_clinical) = 0;
  /// `after_fracture`: drawn from the post-fracture excess hazard, not the life table.
  virtual void death(double age_years, bool after_fracture) = 0;

  // Interventions. No-ops by default: a recorder that counts only the natural history
  // needs none of them.
  /// Attended a screening invitation (`first_time`: the agent's first in the run).
  virtual void screened(double /*age_years*/, bool /*first_time*/) {}
  virtual void dxa_scan(double /*age_years*/) {}
  /// The T-score a DXA scan measured (with its measurement error), just after dxa_scan.
  virtual void dxa_result(double /*age_years*/, double /*measured_t_score*/) {}
  /// Started a course (`first_time`: the agent's first treatment in the run).
  virtual void treatment_start(Drug /*drug*/, double /*age_years*/, bool /*first_time*/) {}
  virtual void treated_time(Drug /*drug*/, double /*age_years*/, double /*years*/) {}
  /// A course ended (`completed`: ran its planned length, else discontinued), reported at
  /// the step where the model notices, with the age then.
  virtual void treatment_stop(Drug /*drug*/, double /*age_years*/, bool /*completed*/) {}
  virtual void adverse_event(Drug /*drug*/, double /*age_years*/) {}
  virtual void programme_start(Programme /*programme*/, double /*age_years*/) {}
};

struct StepTime {
  double start_years = 0;   ///< simulation time at the start of the step
  double length_years = 1;  ///< 1, 1/4, 1/2 or 1/12
};

/// Everything of a step that depends only on age and sex (and the parameters): evaluated at
/// the middle of the step, so that the step length changes results only to second order.
struct AgeRates {
  double background_death_per_year = 0;
  double mean_fall_rate_per_year = 0;
  /// fall_rate_per_year(falls, mean, fell_in_past_year), indexed by fell_in_past_year.
  std::array<double, 2> fall_rate_per_year{};
  FractureBaseline fracture;
};
AgeRates age_rates(const ModelParameters& params, Sex sex, double age_years);

/// What the step derives from the parameters, once per simulation, and a memo of the age
/// rates of the last age seen for each sex (the agents of a cohort block share their age,
/// so the rates are computed once per block, step and sex instead of once per agent). Build
/// one per thread (it is not shared) at the start of a simulation from the parameters the
/// run uses: values written into ModelParameters after loading (PSA draws, overrides) are
/// then used, and the parameters must not change while the context lives. Results are bit
/// for bit those of evaluating everything per agent.
class StepContext {
 public:
  explicit StepContext(const ModelParameters& params);
  StepContext(const StepContext&) = delete;
  StepContext& operator=(const StepContext&) = delete;

  const ModelParameters& params() const { return params_; }
  const FractureConstants& fracture_constants() const { return fracture_constants_; }
  /// age_rates(params(), sex, age_years), bit for bit: from the memo when the age is the
  /// last one seen for this sex, else from the cache of its age interval.
  const AgeRates& age_rates(Sex sex, double age_years) {
    Memo& memo = memo_[static_cast<int>(sex)];
    if (!(memo.age_years == age_years)) {
      memo.rates = rates_in_interval(sex, age_years);
      memo.age_years = age_years;
    }
    return memo.rates;
  }

 private:
  /// Between two consecutive keys of the step tables the rates use (life table and its
  /// multiplier, fall rates, prior-fracture prevalence, incidence and its multipliers),
  /// every AgeTable::at returns the same row, so everything in AgeRates but the
  /// interpolated BMD mean and SD is the same: cached per interval (agents of mixed ages).
  /// This relies on age_rates depending on age only through those tables' at() and the
  /// BMD interpolation (checked by the unit tests at many ages).
  AgeRates rates_in_interval(Sex sex, double age_years);
  void build_intervals();

  struct Memo {
    double age_years = std::numeric_limits<double>::quiet_NaN();  // NaN: empty
    AgeRates rates;
  };
  struct Interval {
    bool filled = false;
    AgeRates rates;  ///< BMD mean and SD not used: they are interpolated per age
  };
  const ModelParameters& params_;
  FractureConstants fracture_constants_;
  std::array<Memo, kSexes> memo_;
  int ages_seen_ = 0;  ///< distinct ages before the interval table is built
  bool intervals_built_ = false;
  std::vector<double> breakpoints_;  ///< sorted union of the step tables' keys
  std::array<std::vector<Interval>, kSexes> intervals_;  ///< breakpoints_.size() + 1 each
};

/// Advances a living agent by one step: competing events (death, falls, fractures) drawn
/// exactly for hazards that are piecewise constant within the step, then bone loss.
void simulate_step(const ModelParameters& params, const StepTime& time, const RandomSource& rng,
                   Agents& agents, Eigen::Index i, EventRecorder& recorder);

/// The same step under a strategy's interventions: they act first (screening, fracture
/// liaison, course changes, programme uptake, from their own random streams), then the
/// events run with hazards multiplied by the treatment and programme effects. With a
/// policy that does nothing this is exactly the natural-history step.
void simulate_step(const ModelParameters& params, const InterventionPolicy& policy,
                   const StepTime& time, const RandomSource& rng, Agents& agents,
                   Eigen::Index i, EventRecorder& recorder);

/// The same step with the simulation's context (what the engine calls: the two overloads
/// above build a context for one call).
void simulate_step(StepContext& context, const InterventionPolicy& policy, const StepTime& time,
                   const RandomSource& rng, Agents& agents, Eigen::Index i,
                   EventRecorder& recorder);

/// The step in its parts, for an engine that takes most agents' steps in SIMD lanes
/// (engine/step_lanes.hpp): simulate_step is interventions_at_step_start, then
/// simulate_step_after_start with the effects it returned, which ends with end_step.

/// The interventions at the start of the step and the effects they have on its hazards
/// (no effect, and nothing done, without a policy).
InterventionEffects interventions_at_step_start(StepContext& context,
                                                const InterventionPolicy& policy,
                                                const StepTime& time, const RandomSource& rng,
                                                Agents& agents, Eigen::Index i,
                                                EventRecorder& recorder);
/// The competing events, the time on treatment and the bone loss of the step.
void simulate_step_after_start(StepContext& context, const InterventionPolicy& policy,
                               const InterventionEffects& effects, const StepTime& time,
                               const RandomSource& rng, Agents& agents, Eigen::Index i,
                               EventRecorder& recorder);

/// The end of every step the agent survives (the last part of simulate_step_after_start):
/// time on treatment, then bone loss over the step -- after the events, since BMD changes
/// slowly and the step's fracture risk uses the BMD measured at its start -- and ageing.
void end_step(StepContext& context, const InterventionPolicy& policy, const StepTime& time,
              double age_at_start, Agents& agents, Eigen::Index i, EventRecorder& recorder);

}  // namespace osteosim::model
