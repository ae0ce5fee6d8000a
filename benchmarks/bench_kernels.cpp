// Micro-benchmarks of what an agent-year costs: Philox draws, each model process's hazard
// evaluation, one whole step, and tallying. Build with -DOSTEOSIM_BUILD_BENCHMARKS=ON and
// run build-bench/benchmarks/osteosim_benchmarks (scripts/bench does both).
#include <benchmark/benchmark.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "engine/rng.hpp"
#include "engine/step_lanes.hpp"
#include "engine/tallies.hpp"
#include "model/bone.hpp"
#include "model/falls.hpp"
#include "model/fracture.hpp"
#include "model/interventions.hpp"
#include "model/mortality.hpp"
#include "model/population.hpp"
#include "model/step.hpp"
#include "model_fixture.hpp"

namespace {

using namespace osteosim;

/// Ages cycled through by the process benchmarks, so table lookups are not all one row.
double age_of(std::int64_t i) { return 50.0 + static_cast<double>(i % 50); }

void BM_PhiloxUniforms(benchmark::State& state) {
  std::uint64_t agent = 0;
  double sink = 0;
  for (auto _ : state) {
    const engine::AgentStepRandom rng(1, 0, agent++, 3);
    const auto u = rng.uniforms(model::Stream::events, 0);
    sink += u[0] + u[1] + u[2] + u[3];
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * 4);
}
BENCHMARK(BM_PhiloxUniforms);

/// Normals by Box-Muller from one Philox quad (two pairs): the entry stream's method.
void BM_PhiloxNormals(benchmark::State& state) {
  std::uint64_t agent = 0;
  double sink = 0;
  for (auto _ : state) {
    const auto u = engine::AgentStepRandom(1, 0, agent++, 0).uniforms(model::Stream::entry, 0);
    for (int pair = 0; pair < 2; ++pair) {
      const double radius = std::sqrt(-2.0 * std::log(u[2 * pair]));
      const double angle = 2.0 * std::numbers::pi * u[2 * pair + 1];
      sink += radius * std::cos(angle) + radius * std::sin(angle);
    }
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * 4);
}
BENCHMARK(BM_PhiloxNormals);

/// The factor BMD is multiplied by over a 12-month step (what the step calls).
void BM_BoneLoss(benchmark::State& state) {
  const auto p = testing::simple_parameters();
  std::int64_t i = 0;
  double sink = 0;
  for (auto _ : state) {
    const double age = age_of(i++);
    sink += model::bone_remaining_fraction(p.bone, model::Sex::female, age, 1.0, 1.1, 51);
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BoneLoss);

void BM_FallRate(benchmark::State& state) {
  const auto p = testing::simple_parameters();
  std::int64_t i = 0;
  double sink = 0;
  for (auto _ : state) {
    const double mean = model::mean_fall_rate_per_year(p.falls, model::Sex::female, age_of(i));
    sink += model::fall_rate_per_year(p.falls, mean, (i++ & 3) == 0);
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FallRate);

/// The age/sex part of the step's rates (life-table hazard, fall rates, fracture
/// baseline): computed once per block, step and sex in a cohort (StepContext's memo), once
/// per agent-step when ages differ.
void BM_AgeRates(benchmark::State& state) {
  const auto p = testing::simple_parameters();
  std::int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model::age_rates(p, model::Sex::female, age_of(i++)));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AgeRates);

/// The agent's step-constant fracture risk (three BMD relative risks, risk factors): once
/// per agent-step.
void BM_AgentFractureRisk(benchmark::State& state) {
  const auto p = testing::simple_parameters();
  const auto constants = model::fracture_constants(p.fractures);
  const auto baseline = model::fracture_baseline(p, model::Sex::female, 75);
  std::int64_t i = 0;
  for (auto _ : state) {
    const double bmd = 0.5 + 0.001 * static_cast<double>(i % 300);
    benchmark::DoNotOptimize(model::agent_fracture_risk(p, constants, baseline, bmd,
                                                        static_cast<std::uint8_t>(i & 0x3F)));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AgentFractureRisk);

/// The hazards of one segment between breakpoints, from the step-constant risk (one agent
/// in eight with a prior fracture, whose hazard is rebuilt).
void BM_FractureHazards(benchmark::State& state) {
  const auto p = testing::simple_parameters();
  const auto baseline = model::fracture_baseline(p, model::Sex::female, 75);
  const auto risk =
      model::agent_fracture_risk(p, model::fracture_constants(p.fractures), baseline, 0.62, 0x05);
  std::int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model::fracture_hazards_per_year(
        p, model::Sex::female, baseline, risk,
        (i & 7) ? std::numeric_limits<double>::infinity() : 1.5, 1.0));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FractureHazards);

void BM_DeathHazards(benchmark::State& state) {
  const auto p = testing::simple_parameters();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::int64_t i = 0;
  double sink = 0;
  for (auto _ : state) {
    const double background =
        model::background_death_hazard_per_year(p.mortality, model::Sex::male, age_of(i));
    sink += model::death_hazards_per_year(p.mortality, model::Sex::male, background,
                                          (i++ & 15) ? kInf : 0.4, kInf)
                .after_fracture_per_year;
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DeathHazards);

/// One 12-month step of a living woman aged 75-95 (dead agents are re-entered so that
/// every iteration times a full step of a living agent), with one StepContext as the
/// engine uses. The age changes every step, so the age rates are evaluated each time (as
/// for a population of mixed ages; a cohort block reuses them across its agents).
void BM_ModelStep(benchmark::State& state) {
  const auto params = testing::simple_parameters();
  const model::PopulationSynthesis synthesis(params, {true, model::Sex::female, 75});
  model::StepContext context(params);
  const model::InterventionPolicy natural_history;
  model::Agents agents(1);
  testing::SilentRecorder recorder;
  std::uint64_t id = 0;
  for (auto _ : state) {
    if (!agents.alive[0])
      synthesis.enter(params, engine::AgentStepRandom(1, 0, ++id, 0), agents, 0);
    if (agents.age_years[0] > 95) agents.age_years[0] = 75;
    model::simulate_step(context, natural_history, {0, 1}, engine::AgentStepRandom(1, 0, id, 1),
                         agents, 0, recorder);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ModelStep);

/// Counting one event into the tallies (index arithmetic and an integer add).
void BM_Tally(benchmark::State& state) {
  engine::Tallies tallies(50);
  std::int64_t i = 0;
  for (auto _ : state) {
    const int year = static_cast<int>(i % 50);
    const auto sex = static_cast<model::Sex>(i & 1);
    ++tallies.fractures[engine::Tallies::index(year, sex, model::age_band(age_of(i)),
                                               model::Site::hip)];
    ++i;
  }
  benchmark::DoNotOptimize(tallies.fractures.data());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Tally);

/// One 12-month step of a block of 4096 women aged 75 (a fresh block each 10 steps, so the
/// block stays mostly alive), for the lanes (run, then commit or the general step) and for
/// the general step alone; items are agent-steps. Same agents and random numbers: the
/// ratio of the two is what the lanes buy on a block.
void step_block(benchmark::State& state, bool lanes_on) {
  const auto params = testing::simple_parameters();
  const model::PopulationSynthesis synthesis(params, {true, model::Sex::female, 75});
  constexpr Eigen::Index kBlock = 4096;
  model::Agents agents(kBlock);
  model::StepContext context(params);
  engine::StepLanes lanes(params, kBlock);
  engine::LaneEffects effects;
  effects.reset(kBlock);
  const model::InterventionPolicy natural_history;
  testing::SilentRecorder recorder;
  std::int64_t steps = 0;
  std::int64_t in_lanes = 0;
  std::uint32_t step = 0;
  for (auto _ : state) {
    if (step % 10 == 0) {
      state.PauseTiming();
      for (Eigen::Index i = 0; i < kBlock; ++i) {
        synthesis.enter(params, engine::AgentStepRandom(1, 0, static_cast<std::uint64_t>(i), 0),
                        agents, i);
      }
      state.ResumeTiming();
    }
    const model::StepTime time{static_cast<double>(step % 10), 1};
    if (lanes_on) lanes.run(context, time, agents, kBlock, effects, {1, 0, 0, step}, 0);
    for (Eigen::Index i = 0; i < kBlock; ++i) {
      if (!agents.alive[i]) continue;
      ++steps;
      if (lanes_on && lanes.completed(i)) {
        ++in_lanes;
        lanes.commit(context, natural_history, time, agents, i, recorder);
      } else {
        model::simulate_step_after_start(
            context, natural_history, {}, time,
            engine::AgentStepRandom(1, 0, static_cast<std::uint64_t>(i), step), agents, i,
            recorder);
      }
    }
    ++step;
  }
  state.SetItemsProcessed(steps);
  state.counters["lane_share"] = static_cast<double>(in_lanes) / static_cast<double>(steps);
}
void BM_BlockStepGeneral(benchmark::State& state) { step_block(state, false); }
void BM_BlockStepLanes(benchmark::State& state) { step_block(state, true); }
BENCHMARK(BM_BlockStepGeneral)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BlockStepLanes)->Unit(benchmark::kMicrosecond);

}  // namespace
