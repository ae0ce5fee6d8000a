#pragma once
/// Adds costs, QALYs and discounted life-years to the tallies while forwarding every event
/// to the recorder that counts it. Bound to one agent for one time step.
#include <cstdint>

#include "engine/tallies.hpp"
#include "model/agents.hpp"
#include "model/economics.hpp"
#include "model/step.hpp"

namespace osteosim::engine {

/// Timing within a step: the model reports person-time segment by segment with the age at
/// the segment's start, so the run time of a segment is the step's start plus the age
/// reached minus the age at the step's start; QALYs, life-years and continuous costs are
/// discounted by the exact integral of the discount factor over the segment. Event costs
/// are discounted at the event's time; drug and monitoring costs from the step's start
/// (the model reports time on treatment per step). Every EventRecorder method must be
/// forwarded here, or the inner recorder would miss events.
///
/// Consecutive segments in one utility band with no fracture or death between them (the
/// segments a fall or a breakpoint of the fall history splits a step into) have the same
/// utility and costs, so they are integrated as one: from the first one's start to the
/// next fracture, death, utility band or the end of the step. The integral is the same up
/// to rounding, and a step lived whole is then one segment from the step's start of
/// length `length_years` exactly, whose discounting every agent of a block shares (cached;
/// before this, a step split by a fall cost two libm exponentials per segment). The
/// recorder integrates what is held when it is destroyed: bind it to one agent for one
/// step and let it go out of scope at the step's end.
class EconomicsRecorder final : public model::EventRecorder {
 public:
  EconomicsRecorder(const model::EconomicsParameters& params, model::EventRecorder& inner,
                    Tallies& tallies, int year, const model::StepTime& time,
                    const model::Agents& agents, Eigen::Index i);
  ~EconomicsRecorder() override { integrate_held_until(step_length_); }
  EconomicsRecorder(const EconomicsRecorder&) = delete;
  EconomicsRecorder& operator=(const EconomicsRecorder&) = delete;

  void person_time(double age_years, double years) override;
  void fall(double age_years) override { inner_.fall(age_years); }
  void fracture(model::Site site, double age_years, bool first_at_site,
                bool first_clinical) override;
  void death(double age_years, bool after_fracture) override;
  void screened(double age_years, bool first_time) override;
  void dxa_scan(double age_years) override;
  void treatment_start(model::Drug drug, double age_years, bool first_time) override {
    inner_.treatment_start(drug, age_years, first_time);
  }
  void treated_time(model::Drug drug, double age_years, double years) override;
  void adverse_event(model::Drug drug, double age_years) override;
  void programme_start(model::Programme programme, double age_years) override;

 private:
  double time_at(double age_years) const { return step_start_ + (age_years - age_at_start_); }
  /// Integrates the person-time held since `held_from_` up to `until` years into the step.
  void integrate_held_until(double until);
  /// Adds a cost at one instant (`at_years`, run time).
  void cost_at(model::CostCategory category, double usd, double at_years);
  /// Adds a cost already split into undiscounted and discounted parts.
  void cost(model::CostCategory category, double usd, double discounted_usd);

  const model::EconomicsParameters& params_;
  model::EventRecorder& inner_;
  Tallies& tallies_;
  int year_;
  double step_start_;
  double step_length_;
  double age_at_start_;
  const model::Agents& agents_;
  Eigen::Index i_;
  // Person-time not yet integrated: from `held_from_` years into the step (at age
  // held_age_, in utility band held_band_) with the fracture history then.
  bool holding_ = false;
  double held_from_ = 0;
  double held_age_ = 0;
  int held_band_ = 0;
  model::FractureHistory held_history_;
};

}  // namespace osteosim::engine
