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
class EconomicsRecorder final : public model::EventRecorder {
 public:
  EconomicsRecorder(const model::EconomicsParameters& params, model::EventRecorder& inner,
                    Tallies& tallies, int year, double step_start_years,
                    const model::Agents& agents, Eigen::Index i);

  void person_time(double age_years, double years) override;
  void fall(double age_years) override { inner_.fall(age_years); }
  void fracture(model::Site site, double age_years, bool first_at_site,
                bool first_clinical) override;
  void death(double age_years, bool after_fracture) override {
    inner_.death(age_years, after_fracture);
  }
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
  /// Adds a cost at one instant (`at_years`, run time).
  void cost_at(model::CostCategory category, double usd, double at_years);
  /// Adds a cost already split into undiscounted and discounted parts.
  void cost(model::CostCategory category, double usd, double discounted_usd);

  const model::EconomicsParameters& params_;
  model::EventRecorder& inner_;
  Tallies& tallies_;
  int year_;
  double step_start_;
  double age_at_start_;
  const model::Agents& agents_;
  Eigen::Index i_;
};

}  // namespace osteosim::engine
