// The SIMD classification of quiet steps (engine/quiet_lanes.hpp) against the general
// step's own first test (model/step.hpp: first_segment and the event clock's margin).
#include <gtest/gtest.h>

#include "engine/quiet_lanes.hpp"
#include "engine/rng.hpp"
#include "model/interventions.hpp"
#include "model/population.hpp"
#include "model_fixture.hpp"

namespace osteosim::engine {
namespace {

/// A margin safely above the classification's own (2e-9): a lane whose hazard leaves its
/// clock this far behind must be found quiet (when the bound is exact, see below).
constexpr double kSureMargin = 3e-9;

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

struct Counts {
  int quiet = 0;
  int must_be_quiet = 0;
};

/// Classifies a block, then steps every agent twice: through the general step in
/// `general`, and in `lanes_way` through event_free_step where the classification found
/// the step quiet (else the general step). Every recorder call and the agents' states
/// after the step must be the same. Lanes whose bound is exact (no fracture in the
/// history, no fall in the past year) and whose clock is well ahead of their hazard must
/// be found quiet.
Counts step_both_ways(model::StepContext& context, const model::StepTime& time,
                      model::Agents& general, model::Agents& lanes_way,
                      const LaneEffects& effects, const LaneRandom& random,
                      std::uint64_t scalar_below, QuietLanes& lanes) {
  const model::InterventionPolicy natural_history;
  Counts counts;
  const auto size = general.size();
  lanes.classify(context, time, lanes_way, size, effects, random, scalar_below);
  for (Eigen::Index i = 0; i < size; ++i) {
    if (!general.alive[i]) {
      EXPECT_FALSE(lanes.quiet(i)) << "dead agent " << i;
      continue;
    }
    const AgentStepRandom rng(random.seed, random.psa_draw, random.first_id + i, random.step);
    const double u = rng.uniforms(model::Stream::events, 0)[0];
    const model::FirstSegment first =
        model::first_segment(context, effects.get(i), time, general, i);
    const bool exact_bound = general.time_of_last_fracture[i] == model::kNever &&
                             !(time.start_years - general.time_of_last_fall[i] < 1.0) &&
                             first.length_years >= time.length_years &&
                             random.first_id + static_cast<std::uint64_t>(i) >= scalar_below;
    if (exact_bound && first.total_hazard_per_year * time.length_years + kSureMargin < 1 - u) {
      ++counts.must_be_quiet;
      EXPECT_TRUE(lanes.quiet(i)) << "agent " << i << " has a quiet step the lanes missed";
    }
    CallLog general_calls;
    CallLog lane_calls;
    model::simulate_step_after_start(context, natural_history, effects.get(i), time, rng,
                                     general, i, general_calls);
    if (lanes.quiet(i)) {
      ++counts.quiet;
      model::event_free_step(context, natural_history, time, lanes_way, i, lane_calls);
    } else {
      model::simulate_step_after_start(context, natural_history, effects.get(i), time, rng,
                                       lanes_way, i, lane_calls);
    }
    EXPECT_EQ(general_calls.calls, lane_calls.calls) << "agent " << i;
    EXPECT_EQ(general.age_years[i], lanes_way.age_years[i]) << "agent " << i;
    EXPECT_EQ(general.bmd_g_cm2[i], lanes_way.bmd_g_cm2[i]) << "agent " << i;
    EXPECT_EQ(general.alive[i], lanes_way.alive[i]) << "agent " << i;
  }
  return counts;
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

class QuietLanesOnModel : public ::testing::TestWithParam<bool> {};

TEST_P(QuietLanesOnModel, AreStepsTheGeneralStepTakesWithoutEventAndGiveTheSameRecords) {
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
  model::Agents lanes_way = agents;
  model::StepContext context(params);
  QuietLanes lanes(params, kAgents);
  LaneEffects effects;
  effects.reset(kAgents);
  // Interventions' multipliers on a third of the agents.
  for (Eigen::Index i = 0; i < kAgents; i += 3) {
    model::InterventionEffects e;
    e.fracture_rr = {0.6, 0.4, 0.8};
    e.fall_rate_multiplier = 0.7;
    effects.set(i, e);
  }
  Counts total;
  for (int step = 0; step < 12; ++step) {
    const model::StepTime time{step * 0.5, 0.5};
    const LaneRandom random{7, 3, agents.first_id, static_cast<std::uint32_t>(step)};
    // The first 100 agents are sampled for event rows: always the general step.
    const Counts counts = step_both_ways(context, time, agents, lanes_way, effects, random,
                                         agents.first_id + 100, lanes);
    for (Eigen::Index i = 0; i < 100; ++i) EXPECT_FALSE(lanes.quiet(i));
    total.quiet += counts.quiet;
    total.must_be_quiet += counts.must_be_quiet;
  }
  // Not vacuous: most agent-steps are quiet, some are not, and the quiet ones include
  // lanes with fracture or fall histories (bounded, not exact, hazards).
  EXPECT_GT(total.must_be_quiet, kAgents * 12 / 4);
  EXPECT_GT(total.quiet, total.must_be_quiet);
  EXPECT_LT(total.quiet, kAgents * 12);
}

INSTANTIATE_TEST_SUITE_P(SimpleAndFractureHeavy, QuietLanesOnModel, ::testing::Bool());

}  // namespace
}  // namespace osteosim::engine
