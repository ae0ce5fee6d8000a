// The SIMD event loop (engine/step_lanes.hpp) against the general step, agent by agent:
// the same recorder calls, bit for bit, and the same agent afterwards.
#include <gtest/gtest.h>

#include "engine/rng.hpp"
#include "engine/step_lanes.hpp"
#include "model/interventions.hpp"
#include "model/population.hpp"
#include "model_fixture.hpp"

namespace osteosim::engine {
namespace {

/// Every call a step makes to its recorder, to compare two ways of taking a step.
struct CallLog : model::EventRecorder {
  std::vector<std::array<double, 3>> calls;  // {kind, age, years or detail}
  void person_time(double age, double years) override { calls.push_back({0, age, years}); }
  void fall(double age) override { calls.push_back({1, age, 0}); }
  void fracture(model::Site site, double age, bool, bool) override {
    calls.push_back({2, age, static_cast<double>(site)});
  }
  void death(double age, bool) override { calls.push_back({3, age, 0}); }
};

/// Steps every agent of a block twice: through the general step in `general`, and in
/// `in_lanes` through the lanes (their commit where they completed the step, else the
/// general step). Every recorder call and the agents' states after the step must be the
/// same. Returns the number of steps the lanes completed.
int step_both_ways(model::StepContext& context, const model::StepTime& time, model::Agents& general,
                   model::Agents& in_lanes, const LaneEffects& effects, const LaneRandom& random,
                   std::uint64_t scalar_below, StepLanes& lanes) {
  const model::InterventionPolicy natural_history;
  int completed = 0;
  const auto size = general.size();
  lanes.run(context, time, in_lanes, size, effects, random, scalar_below);
  for (Eigen::Index i = 0; i < size; ++i) {
    if (!general.alive[i]) {
      EXPECT_FALSE(lanes.completed(i)) << "dead agent " << i;
      continue;
    }
    const AgentStepRandom rng(random.seed, random.psa_draw, random.first_id + i, random.step);
    CallLog general_calls;
    CallLog lane_calls;
    model::simulate_step_after_start(context, natural_history, effects.get(i), time, rng, general,
                                     i, general_calls);
    if (lanes.completed(i)) {
      ++completed;
      lanes.commit(context, natural_history, time, in_lanes, i, lane_calls);
    } else {
      model::simulate_step_after_start(context, natural_history, effects.get(i), time, rng,
                                       in_lanes, i, lane_calls);
    }
    EXPECT_EQ(general_calls.calls, lane_calls.calls) << "agent " << i;
    EXPECT_EQ(general.age_years[i], in_lanes.age_years[i]) << "agent " << i;
    EXPECT_EQ(general.bmd_g_cm2[i], in_lanes.bmd_g_cm2[i]) << "agent " << i;
    EXPECT_EQ(general.alive[i], in_lanes.alive[i]) << "agent " << i;
    EXPECT_EQ(general.time_of_last_fall[i], in_lanes.time_of_last_fall[i]) << "agent " << i;
  }
  return completed;
}

/// The simple model with fractures and post-fracture deaths 30 times as frequent, so that
/// the hazards that depend on time since a fracture matter to most steps' outcomes (a
/// bound that left them out would misclassify lanes often enough to be seen).
model::ModelParameters fracture_heavy_parameters() {
  model::ModelParameters params = testing::simple_parameters();
  for (auto& site : params.fractures.site) {
    for (auto& by_sex : site.incidence_per_person_year.values) {
      for (double& rate : by_sex) rate *= 30;
    }
  }
  for (auto& by_sex : params.mortality.rr_after_hip_fracture.values) {
    for (double& rr : by_sex) rr *= 10;
  }
  return params;
}

class StepLanesOnModel : public ::testing::TestWithParam<bool> {};

TEST_P(StepLanesOnModel, RecordWhatTheGeneralStepRecordsBitForBit) {
  const model::ModelParameters params =
      GetParam() ? fracture_heavy_parameters() : testing::simple_parameters();
  // A cross-section: mixed ages (some crossing an age band within a step), prevalent
  // fractures, and after a few steps recent falls and fractures.
  const model::PopulationSynthesis synthesis(params, {false, std::nullopt, 50});
  constexpr Eigen::Index kAgents = 3000;
  model::Agents agents(kAgents);
  agents.first_id = 1000;
  for (Eigen::Index i = 0; i < kAgents; ++i) {
    synthesis.enter(params, AgentStepRandom(7, 0, agents.first_id + i, 0), agents, i);
  }
  model::Agents in_lanes = agents;
  model::StepContext context(params);
  StepLanes lanes(params, kAgents);
  LaneEffects effects;
  effects.reset(kAgents);
  // Interventions' multipliers on a third of the agents.
  for (Eigen::Index i = 0; i < kAgents; i += 3) {
    model::InterventionEffects e;
    e.fracture_rr = {0.6, 0.4, 0.8};
    e.fall_rate_multiplier = 0.7;
    effects.set(i, e);
  }
  int completed = 0;
  int alive = 0;
  // Half-year steps: breakpoints of the fall history and of age bands fall within steps.
  for (int step = 0; step < 12; ++step) {
    const model::StepTime time{step * 0.5, 0.5};
    const LaneRandom random{7, 3, agents.first_id, static_cast<std::uint32_t>(step)};
    alive += static_cast<int>((agents.alive != 0).count());
    // The first 100 agents are sampled for event rows: always the general step.
    completed += step_both_ways(context, time, agents, in_lanes, effects, random,
                                agents.first_id + 100, lanes);
    for (Eigen::Index i = 0; i < 100; ++i) EXPECT_FALSE(lanes.completed(i));
  }
  // Not vacuous: the lanes take most steps, not all.
  EXPECT_GT(completed, alive * 7 / 10);
  EXPECT_LT(completed, alive);
}

INSTANTIATE_TEST_SUITE_P(SimpleAndFractureHeavy, StepLanesOnModel, ::testing::Bool());

}  // namespace
}  // namespace osteosim::engine
