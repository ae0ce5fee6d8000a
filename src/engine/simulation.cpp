#include "engine/simulation.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "engine/block_order.hpp"
#include "engine/block_statistics.hpp"
#include "engine/economics_recorder.hpp"
#include "engine/parallel_failure.hpp"
#include "engine/rng.hpp"
#include "engine/step_lanes.hpp"
#include "model/interventions.hpp"
#include "model/population.hpp"
#include "model/step.hpp"

namespace osteosim::engine {

namespace {

model::EntrySpec entry_spec(const config::PopulationSpec& population) {
  return {population.kind == config::PopulationKind::cohort, population.sex, population.age_years};
}

/// Counts one agent's events into its strategy's tallies for one calendar year.
class TallyRecorder final : public model::EventRecorder {
 public:
  TallyRecorder(Tallies& tallies, int year, model::Sex sex)
      : tallies_(tallies), year_(year), sex_(sex) {}

  void person_time(double age_years, double years) override {
    tallies_.person_time_ticks[cell(age_years)] += round_to_ticks(years * kTicksPerYear);
  }
  void fall(double age_years) override { ++tallies_.falls[cell(age_years)]; }
  void fracture(model::Site site, double age_years, bool first_at_site,
                bool first_clinical) override {
    const auto band = model::age_band(age_years);
    ++tallies_.fractures[Tallies::index(year_, sex_, band, site)];
    if (first_at_site) ++tallies_.first_fractures[Tallies::index(year_, sex_, band, site)];
    if (first_clinical) ++tallies_.first_any_fracture[Tallies::index(year_, sex_, band)];
  }
  void death(double age_years, bool after_fracture) override {
    ++tallies_.deaths[cell(age_years)];
    if (after_fracture) ++tallies_.deaths_after_fracture[cell(age_years)];
  }
  void screened(double age_years, bool first_time) override {
    ++tallies_.screened[cell(age_years)];
    if (first_time) ++tallies_.persons_screened[cell(age_years)];
  }
  void dxa_scan(double age_years) override { ++tallies_.dxa_scans[cell(age_years)]; }
  void treatment_start(model::Drug drug, double age_years, bool first_time) override {
    ++tallies_.treatment_starts[drug_cell(drug, age_years)];
    if (first_time) ++tallies_.persons_treated[cell(age_years)];
  }
  void treated_time(model::Drug drug, double age_years, double years) override {
    tallies_.treated_time_ticks[drug_cell(drug, age_years)] +=
        round_to_ticks(years * kTicksPerYear);
  }
  void adverse_event(model::Drug drug, double age_years) override {
    ++tallies_.adverse_events[drug_cell(drug, age_years)];
  }
  void programme_start(model::Programme programme, double age_years) override {
    ++tallies_.programme_starts[Tallies::index(year_, sex_, model::age_band(age_years), programme)];
  }

 private:
  std::size_t cell(double age_years) const {
    return Tallies::index(year_, sex_, model::age_band(age_years));
  }
  std::size_t drug_cell(model::Drug drug, double age_years) const {
    return Tallies::index(year_, sex_, model::age_band(age_years), drug);
  }
  Tallies& tallies_;
  int year_;
  model::Sex sex_;
};

/// Which agents of a block have their events recorded as rows, and where the rows go.
struct Sampled {
  std::uint64_t end_id = 0;   ///< agents with id < end_id
  Microdata* rows = nullptr;  ///< null when the block has no sampled agent
  bool contains(std::uint64_t id) const { return rows != nullptr && id < end_id; }
};

/// Simulates one block of agents for one strategy from entry (at `entry_step`) to the end
/// of follow-up.
void simulate_block(const config::Scenario& scenario, const config::Strategy& strategy,
                    const model::PopulationSynthesis& synthesis, std::uint64_t first_id,
                    Eigen::Index size, int entry_step, std::uint32_t psa_draw,
                    model::Agents& agents, Tallies& tallies, const Sampled& sampled, bool use_lanes,
                    std::int64_t& random_quads) {
  const model::ModelParameters& params = strategy.parameters;
  const int steps_per_year = 12 / scenario.time_step_months;
  const double dt = 1.0 / steps_per_year;
  const int steps = scenario.years * steps_per_year;
  // Derived from the parameters this run uses (after any PSA draw written into them).
  model::StepContext context(params);
  agents.first_id = first_id;
  for (Eigen::Index i = 0; i < size; ++i) {
    // Entry draws use counter step 0 whatever the entry step: ids are unique, so streams are.
    const AgentStepRandom rng(scenario.seed, psa_draw, first_id + i, 0);
    synthesis.enter(params, rng, agents, i, entry_step * dt);
    random_quads += rng.draws();
    if (sampled.contains(first_id + i)) {
      record_entry(params, agents, i, entry_step * dt, *sampled.rows);
    }
  }
  std::optional<StepLanes> lanes;
  if (use_lanes) lanes.emplace(params, size);
  LaneEffects effects;
  effects.reset(size);
  const model::InterventionPolicy& policy = strategy.interventions;
  const std::uint64_t scalar_below = sampled.rows != nullptr ? sampled.end_id : 0;
  for (int step = entry_step; step < steps; ++step) {
    const int year = step / steps_per_year;
    const model::StepTime time{step * dt, dt};
    const auto counter = static_cast<std::uint32_t>(step);
    // Runs `f` with the recorders of agent i for this step: tallies and economics, and the
    // event rows of a sampled agent.
    const auto with_recorder = [&](Eigen::Index i, auto&& f) {
      TallyRecorder recorder(tallies, year, agents.sex_of(i));
      EconomicsRecorder economics(params.economics, recorder, tallies, year, time, agents, i);
      if (sampled.contains(first_id + static_cast<std::uint64_t>(i))) {
        MicrodataRecorder microdata(economics, static_cast<std::int64_t>(first_id + i),
                                    time.start_years - agents.age_years[i], sampled.rows->events);
        f(microdata);
      } else {
        f(economics);
      }
    };
    bool anyone_alive = false;
    for (Eigen::Index i = 0; i < size; ++i) {
      if (!agents.alive[i]) continue;
      anyone_alive = true;
      if (step % steps_per_year == 0) {
        ++tallies.population[Tallies::index(year, agents.sex_of(i),
                                            model::age_band(agents.age_years[i]))];
      }
      if (policy.any()) {
        const AgentStepRandom rng(scenario.seed, psa_draw, first_id + i, counter);
        with_recorder(i, [&](model::EventRecorder& recorder) {
          effects.set(i, model::interventions_at_step_start(context, policy, time, rng, agents, i,
                                                            recorder));
        });
        random_quads += rng.draws();
      }
    }
    if (!anyone_alive) break;
    // With the lanes, most agents' steps are taken in SIMD lanes for the whole block at
    // once; the others (a fracture, a death, ...) by the general step, one by one.
    if (lanes) {
      lanes->run(context, time, agents, size, effects, {scenario.seed, psa_draw, first_id, counter},
                 scalar_below);
    }
    for (Eigen::Index i = 0; i < size; ++i) {
      if (!agents.alive[i]) continue;
      if (lanes && lanes->completed(i)) {
        with_recorder(i, [&](model::EventRecorder& recorder) {
          random_quads += lanes->commit(context, policy, time, agents, i, recorder);
        });
        continue;
      }
      const AgentStepRandom rng(scenario.seed, psa_draw, first_id + i, counter);
      with_recorder(i, [&](model::EventRecorder& recorder) {
        model::simulate_step_after_start(context, policy, effects.get(i), time, rng, agents, i,
                                         recorder);
      });
      random_quads += rng.draws();
    }
  }
}

/// Blocks holding agents with id < end_id: a prefix of the plan, which is in id order.
std::int64_t microdata_blocks(const std::vector<BlockSpec>& plan, std::uint64_t end_id) {
  std::int64_t n = 0;
  while (n < static_cast<std::int64_t>(plan.size()) &&
         plan[static_cast<std::size_t>(n)].first_id < end_id) {
    ++n;
  }
  return n;
}

/// What each thread of simulate() keeps for its blocks. Per-thread tallies: integers, so
/// merging them in any order is exact. Each block counts into its own tallies first, so
/// on_block_done sees that block alone.
struct ThreadBlocks {
  ThreadBlocks(std::size_t strategies, int years, std::int64_t block_size)
      : local(strategies, Tallies(years)),
        block_tallies(strategies, Tallies(years)),
        agents(static_cast<Eigen::Index>(block_size)) {}
  std::vector<Tallies> local;
  std::vector<Tallies> block_tallies;
  model::Agents agents;
};

/// Entry of the open population's new 50-year-olds: a one-sex cohort at exactly 50.
model::EntrySpec entrant_spec(model::Sex sex) { return {true, sex, 50}; }

}  // namespace

double persons_per_agent(const config::Scenario& scenario) {
  const model::PopulationSynthesis synthesis(scenario.strategies.front().parameters,
                                             entry_spec(scenario.population));
  return synthesis.persons_represented() / static_cast<double>(scenario.population.agents);
}

std::int64_t block_count(std::int64_t agents, std::int64_t block_size) {
  return (agents + block_size - 1) / block_size;
}

std::int64_t entrant_agents(const config::Scenario& scenario, model::Sex sex, int year) {
  const auto& table = scenario.strategies.front().parameters.demography.entrants_age50;
  return std::llround(table.at(sex, year) / persons_per_agent(scenario));
}

std::vector<BlockSpec> block_plan(const config::Scenario& scenario, std::int64_t block_size) {
  std::vector<BlockSpec> plan;
  std::uint64_t next_id = 0;
  const auto add_group = [&](std::int64_t agents, int entry_step, EntryGroup group) {
    for (std::int64_t first = 0; first < agents; first += block_size) {
      const std::int64_t size = std::min(block_size, agents - first);
      plan.push_back({next_id, size, entry_step, group});
      next_id += static_cast<std::uint64_t>(size);
    }
  };
  add_group(scenario.population.agents, 0, EntryGroup::start);
  if (scenario.population.kind == config::PopulationKind::open) {
    // The start year's 50-year-olds are in the cross-section; later years' enter at the
    // start of their year (a simplification: on average they turn 50 mid-year).
    const int steps_per_year = 12 / scenario.time_step_months;
    for (int y = 1; y < scenario.years; ++y) {
      const int year = scenario.start_year + y;
      add_group(entrant_agents(scenario, model::Sex::female, year), y * steps_per_year,
                EntryGroup::female_age50);
      add_group(entrant_agents(scenario, model::Sex::male, year), y * steps_per_year,
                EntryGroup::male_age50);
    }
  }
  return plan;
}

std::int64_t block_count(const config::Scenario& scenario, std::int64_t block_size) {
  return static_cast<std::int64_t>(block_plan(scenario, block_size).size());
}

std::vector<Tallies> simulate(const config::Scenario& scenario, const RunOptions& options) {
  const std::size_t n_strategies = scenario.strategies.size();
  // One synthesis per strategy and entry group (indexed by EntryGroup).
  const bool open = scenario.population.kind == config::PopulationKind::open;
  std::vector<std::vector<model::PopulationSynthesis>> synthesis(n_strategies);
  for (std::size_t s = 0; s < n_strategies; ++s) {
    const auto& params = scenario.strategies[s].parameters;
    synthesis[s].emplace_back(params, entry_spec(scenario.population));
    if (open) {
      synthesis[s].emplace_back(params, entrant_spec(model::Sex::female));
      synthesis[s].emplace_back(params, entrant_spec(model::Sex::male));
    }
  }
  const std::int64_t block_size = options.block_size;
  const std::vector<BlockSpec> plan = block_plan(scenario, block_size);
  const auto blocks = static_cast<std::int64_t>(plan.size());
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();

  std::vector<Tallies> totals(n_strategies, Tallies(scenario.years));
  std::mutex merge_mutex;
  std::atomic<std::int64_t> blocks_done{0};
  // Set when a stop was requested or a thread failed: later blocks are skipped, since an
  // exception must not leave an OpenMP region and the loop cannot break.
  std::atomic<bool> stopping{false};
  FirstFailure failure;
  const auto microdata_end =
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, options.microdata_agents));
  BlockOrder<std::vector<Microdata>> microdata_order(
      microdata_blocks(plan, microdata_end), 2 * static_cast<std::int64_t>(threads),
      [&options](std::int64_t b, const std::vector<Microdata>& per_strategy) {
        // An empty vector stands for a skipped block, which has nothing to report.
        if (!per_strategy.empty() && options.on_block_microdata) {
          options.on_block_microdata(b, per_strategy);
        }
      });
  const auto fail = [&] {
    stopping = true;
    microdata_order.abandon();  // blocks due will never come: release waiting threads
  };
  const std::string run_shape = std::to_string(block_size) + " agents x " +
                                std::to_string(n_strategies) + " strategies, " +
                                std::to_string(scenario.years) + " years";

#pragma omp parallel num_threads(threads)
  {
    // Per-thread tallies and block state; a thread that cannot allocate them still runs
    // the loop below (every thread must), skipping every block.
    std::optional<ThreadBlocks> own;
    if (!failure.capture([&] { own.emplace(n_strategies, scenario.years, block_size); },
                         [&] { return "preparing a thread's blocks (" + run_shape + ")"; })) {
      fail();
    }
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t b = 0; b < blocks; ++b) {
      // A block finished by an earlier run (resume) is not simulated again, unless it holds
      // sampled agents: their event histories are not checkpointed, and the same random
      // numbers give the same events. Its tallies are then thrown away (they are counted).
      const bool finished_earlier = options.skip_block && options.skip_block(b);
      const bool replay = finished_earlier && b < microdata_order.end();
      if (finished_earlier && !replay) {
        ++blocks_done;
        continue;
      }
      if (stopping || (options.should_stop && options.should_stop())) {
        fail();
        continue;
      }
      auto& [local, block_tallies, block_agents] = *own;
      const auto doing = [&] {
        return "simulating block " + std::to_string(b) + " (" + run_shape + ")";
      };
      const bool ok = failure.capture(
          [&] {
            const BlockSpec& block = plan[static_cast<std::size_t>(b)];
            for (auto& t : block_tallies) t.clear();
            const bool sampled = b < microdata_order.end();
            std::vector<Microdata> block_microdata(sampled ? n_strategies : 0);
            std::int64_t random_quads = 0;
            for (std::size_t s = 0; s < n_strategies; ++s) {
              simulate_block(scenario, scenario.strategies[s],
                             synthesis[s][static_cast<std::size_t>(block.group)], block.first_id,
                             static_cast<Eigen::Index>(block.size), block.entry_step,
                             options.psa_draw, block_agents, block_tallies[s],
                             {microdata_end, sampled ? &block_microdata[s] : nullptr},
                             options.step_lanes, random_quads);
            }
            if (options.random_quads) *options.random_quads += random_quads;
            if (!replay) {
              // Paired with the first strategy, so all of the block's strategies come first.
              record_block_statistics(block_tallies);
              for (std::size_t s = 0; s < n_strategies; ++s) local[s].merge(block_tallies[s]);
            }
            if (sampled) {
              for (Microdata& rows : block_microdata) sort_by_agent(rows);
              microdata_order.deliver(b, std::move(block_microdata));
            }
            const std::int64_t done = ++blocks_done;
            if (replay) return;
            // The hooks' failure is kept before the lock is released, so that the first hook
            // to fail is the one rethrown, and no hook runs after one has failed.
            const std::lock_guard lock(merge_mutex);
            if (failure.failed()) return;
            const bool hooks_ok = failure.capture(
                [&] {
                  if (options.on_block_done) options.on_block_done(b, block_tallies);
                  if (options.progress) {
                    options.progress(static_cast<double>(done) / static_cast<double>(blocks));
                  }
                },
                doing);
            if (!hooks_ok) fail();
          },
          doing);
      if (!ok) fail();
    }
    if (own) {
      const std::lock_guard lock(merge_mutex);
      for (std::size_t s = 0; s < n_strategies; ++s) totals[s].merge(own->local[s]);
    }
  }
  // Taking the lock once more orders every thread's merge before this point for
  // ThreadSanitizer, which cannot see libgomp's own barrier (it costs nothing).
  const std::lock_guard lock(merge_mutex);
  failure.rethrow_if_failed();
  if (stopping) {
    throw Interrupted("stopped after " + std::to_string(blocks_done.load()) + " of " +
                      std::to_string(blocks) + " blocks");
  }
  return totals;
}

}  // namespace osteosim::engine
