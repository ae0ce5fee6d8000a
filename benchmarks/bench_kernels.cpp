// Micro-benchmarks of the kernels an agent-year costs: Philox draws and one model step.
// Run: build with -DOSTEOSIM_BUILD_BENCHMARKS=ON, then build/benchmarks/osteosim_benchmarks.
#include <benchmark/benchmark.h>

#include "engine/rng.hpp"
#include "model/population.hpp"
#include "model/step.hpp"
#include "model_fixture.hpp"

namespace {

using namespace osteosim;

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

class NullRecorder final : public model::EventRecorder {
 public:
  void person_time(double, double) override {}
  void fall(double) override {}
  void fracture(model::Site, double, bool, bool) override {}
  void death(double, bool) override {}
};

/// One 12-month step of a living 75-year-old woman (dead agents are re-entered so that
/// every iteration times a full step).
void BM_ModelStep(benchmark::State& state) {
  const auto params = testing::simple_parameters();
  const model::PopulationSynthesis synthesis(params, {true, model::Sex::female, 75});
  model::Agents agents(1);
  NullRecorder recorder;
  std::uint64_t id = 0;
  for (auto _ : state) {
    if (!agents.alive[0]) synthesis.enter(params, engine::AgentStepRandom(1, 0, ++id, 0), agents, 0);
    if (agents.age_years[0] > 95) agents.age_years[0] = 75;
    model::simulate_step(params, {0, 1}, engine::AgentStepRandom(1, 0, id, 1), agents, 0, recorder);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ModelStep);

}  // namespace
