#include "engine/psa.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "analysis/block_variance.hpp"
#include "engine/rng.hpp"
#include "engine/simulation.hpp"
#include "model/uncertainty.hpp"

namespace osteosim::engine {

namespace {

constexpr std::int64_t kPsaBlocks = 32;

}  // namespace

EconomicTotals economic_totals(const Tallies& t, std::int64_t agents) {
  EconomicTotals e;
  const double n = static_cast<double>(agents);
  std::int64_t cost = 0;
  std::int64_t qaly = 0;
  std::int64_t life = 0;
  for (const auto x : t.discounted_cost_ticks) cost += x;
  for (const auto x : t.discounted_qaly_ticks) qaly += x;
  for (const auto x : t.discounted_life_year_ticks) life += x;
  std::int64_t fractures = 0;
  for (std::size_t i = 0; i < t.fractures.size(); ++i) {
    if (model::is_clinical(static_cast<model::Site>(i % model::kSites)))
      fractures += t.fractures[i];
  }
  e.cost_usd = static_cast<double>(cost) / kCostTicksPerUsd / n;
  e.qalys = static_cast<double>(qaly) / kTicksPerYear / n;
  e.life_years = static_cast<double>(life) / kTicksPerYear / n;
  e.clinical_fractures = static_cast<double>(fractures) / n;
  e.incremental_cost_se_usd =
      analysis::block_total_se(t.paired_cost_difference_sum[0],
                               t.paired_cost_difference_sum_squares[0], t.blocks[0]) *
      kBlockUsdUnit / n;
  e.incremental_qaly_se =
      analysis::block_total_se(t.paired_qaly_difference_sum[0],
                               t.paired_qaly_difference_sum_squares[0], t.blocks[0]) *
      kBlockQalyUnit / n;
  e.incremental_cost_qaly_covariance =
      analysis::block_covariance(t.paired_cost_difference_sum[0], t.paired_qaly_difference_sum[0],
                                 t.paired_cost_qaly_difference_sum_products[0], t.blocks[0]) *
      static_cast<double>(t.blocks[0]) * kBlockUsdUnit * kBlockQalyUnit / (n * n);
  return e;
}

namespace {

/// `count` uniforms for the parameter at `position` of scenario.uncertainty in PSA draw `draw`.
std::vector<double> parameter_uniforms(std::uint32_t seed, std::uint32_t draw, std::size_t position,
                                       std::size_t count) {
  std::vector<double> u(count);
  for (std::size_t j = 0; j < count; ++j) {
    const auto w = philox_words(seed, draw, 0, static_cast<std::uint32_t>(position),
                                model::Stream::psa_parameters, static_cast<std::uint32_t>(j / 4));
    u[j] = to_open_unit(w[j % 4]);
  }
  return u;
}

/// Where each name stands in scenario.uncertainty (the address of its random numbers).
std::map<std::string, std::size_t> positions(const config::Scenario& scenario) {
  std::map<std::string, std::size_t> at;
  for (std::size_t k = 0; k < scenario.uncertainty.size(); ++k)
    at.emplace(scenario.uncertainty[k].name, k);
  return at;
}

/// EconomicTotals travel between ranks as this many doubles (append_flat / from_flat).
constexpr std::size_t kTotalsFields = 7;
static_assert(sizeof(EconomicTotals) == kTotalsFields * sizeof(double),
              "a new EconomicTotals field must be added to append_flat and from_flat");

void append_flat(const std::vector<EconomicTotals>& totals, std::vector<double>& out) {
  for (const auto& e : totals) {
    out.insert(out.end(),
               {e.cost_usd, e.qalys, e.life_years, e.clinical_fractures, e.incremental_cost_se_usd,
                e.incremental_qaly_se, e.incremental_cost_qaly_covariance});
  }
}

std::vector<EconomicTotals> from_flat(const std::vector<double>& flat) {
  std::vector<EconomicTotals> totals(flat.size() / kTotalsFields);
  for (std::size_t i = 0; i < totals.size(); ++i) {
    const double* x = &flat[i * kTotalsFields];
    totals[i] = {x[0], x[1], x[2], x[3], x[4], x[5], x[6]};
  }
  return totals;
}

/// Runs `runs` independent simulations, each giving one EconomicTotals per strategy: this
/// rank runs its contiguous share; rank 0 returns all of them in run order (other ranks
/// nothing). Each run depends on its index only, so the result is the same for any number
/// of ranks, and a run `finished` restores needs no simulating.
std::vector<EconomicTotals> run_shared(
    std::int64_t runs, std::size_t strategies, const RankInfo& ranks,
    const std::function<std::vector<EconomicTotals>(std::int64_t)>& run,
    const std::function<void(double)>& progress, const FinishedRuns& finished) {
  const BlockRange mine = rank_block_range(runs, ranks.rank, ranks.ranks);
  std::vector<double> flat;
  for (std::int64_t i = mine.first; i < mine.last; ++i) {
    const std::vector<double>* restored = finished.restore ? finished.restore(i) : nullptr;
    if (restored == nullptr) {
      std::vector<double> outcome;
      append_flat(run(i), outcome);
      if (finished.save) finished.save(i, outcome);
      flat.insert(flat.end(), outcome.begin(), outcome.end());
    } else if (restored->size() == strategies * kTotalsFields) {
      flat.insert(flat.end(), restored->begin(), restored->end());
    } else {  // the checkpoint's fingerprint names the scenario and build: cannot happen
      throw std::logic_error("run_shared: a restored run has the wrong number of outcomes");
    }
    if (progress)
      progress(static_cast<double>(i + 1 - mine.first) /
               static_cast<double>(mine.last - mine.first));
  }
  gather_to_rank0(flat, ranks);
  return from_flat(flat);
}

/// The scenario for the PSA and one-way runs: agents_per_draw agents, and blocks sized so
/// that a run is cut into about kPsaBlocks replicates (the basis of each run's Monte Carlo
/// error; a function of the agents only, so results stay independent of the thread count,
/// and totals do not depend on the block size at all).
std::pair<config::Scenario, RunOptions> analysis_run(const config::Scenario& scenario, int threads,
                                                     std::uint32_t draw,
                                                     const std::function<bool()>& should_stop) {
  config::Scenario run = scenario;
  run.population.agents = scenario.psa.agents_per_draw;
  RunOptions options;
  options.threads = threads;
  options.psa_draw = draw;
  options.should_stop = should_stop;
  options.block_size =
      std::max<std::int64_t>(64, (run.population.agents + kPsaBlocks - 1) / kPsaBlocks);
  return {std::move(run), options};
}

std::vector<EconomicTotals> simulate_totals(const config::Scenario& run,
                                            const RunOptions& options) {
  std::vector<EconomicTotals> out;
  for (const Tallies& t : simulate(run, options))
    out.push_back(economic_totals(t, run.population.agents));
  return out;
}

}  // namespace

std::vector<model::ModelParameters> draw_parameters(const config::Scenario& scenario,
                                                    std::uint32_t draw,
                                                    std::vector<double>* values) {
  const auto at = positions(scenario);
  std::vector<model::ModelParameters> out;
  for (const auto& strategy : scenario.strategies) {
    model::ModelParameters p = strategy.parameters;
    for (const auto& u : strategy.uncertainty) {
      if (!u.varies()) continue;  // incl. a number the strategy `set:` to a plain value
      const std::size_t k = at.at(u.name);
      model::apply_draw(u, parameter_uniforms(scenario.seed, draw, k, u.size()), p, nullptr);
    }
    out.push_back(std::move(p));
  }
  if (values) {
    model::ModelParameters scratch = scenario.strategies.front().parameters;
    for (std::size_t k = 0; k < scenario.uncertainty.size(); ++k) {
      const auto& u = scenario.uncertainty[k];
      if (u.varies())
        model::apply_draw(u, parameter_uniforms(scenario.seed, draw, k, u.size()), scratch, values);
    }
  }
  return out;
}

PsaResult run_psa(const config::Scenario& scenario, int threads,
                  const std::function<void(double)>& progress, const RankInfo& ranks,
                  const std::function<bool()>& should_stop, const FinishedRuns& finished) {
  PsaResult result;
  result.draws = scenario.psa.draws;
  result.agents_per_draw = scenario.psa.agents_per_draw;
  for (const auto& u : scenario.uncertainty) {
    if (!u.varies()) continue;
    for (auto& name : u.value_names()) result.parameter_names.push_back(std::move(name));
  }
  // The drawn values are cheap: every rank computes all of them (rank 0 writes them).
  for (std::int64_t d = 0; d < result.draws; ++d) {
    draw_parameters(scenario, static_cast<std::uint32_t>(d), &result.parameter_values);
  }
  result.totals = run_shared(
      result.draws, scenario.strategies.size(), ranks,
      [&](std::int64_t d) {
        auto [run, options] =
            analysis_run(scenario, threads, static_cast<std::uint32_t>(d), should_stop);
        // Every strategy of the draw has its parameters drawn from the same uniforms and,
        // through the key, the same random numbers.
        const auto drawn = draw_parameters(scenario, options.psa_draw, nullptr);
        for (std::size_t s = 0; s < run.strategies.size(); ++s)
          run.strategies[s].parameters = drawn[s];
        return simulate_totals(run, options);
      },
      progress, finished);
  return result;
}

std::vector<const model::UncertainParameter*> one_way_parameters(const config::Scenario& scenario) {
  std::vector<const model::UncertainParameter*> varied;
  for (const auto& u : scenario.uncertainty) {
    if (u.varies() && u.distribution != model::Distribution::dirichlet) varied.push_back(&u);
  }
  return varied;
}

std::int64_t one_way_runs(const config::Scenario& scenario) {
  return 1 + 2 * static_cast<std::int64_t>(one_way_parameters(scenario).size());
}

OneWayResult run_one_way(const config::Scenario& scenario, int threads,
                         const std::function<void(double)>& progress, const RankInfo& ranks,
                         const std::function<bool()>& should_stop, const FinishedRuns& finished) {
  OneWayResult result;
  const auto varied = one_way_parameters(scenario);
  for (const auto* u : varied) {
    result.parameter_names.push_back(u->name);
    for (const double q : kOneWayQuantiles)
      result.values.push_back(model::parameter_quantile(*u, q));
  }
  // Run 0: every parameter at its value; run 1 + 2i + j: parameter i at quantile j.
  const std::int64_t runs = one_way_runs(scenario);
  auto totals = run_shared(
      runs, scenario.strategies.size(), ranks,
      [&](std::int64_t r) {
        auto [run, options] = analysis_run(scenario, threads, kOneWayDraw, should_stop);
        if (r > 0) {
          const std::string& name = varied[static_cast<std::size_t>((r - 1) / 2)]->name;
          const double q = kOneWayQuantiles[static_cast<std::size_t>((r - 1) % 2)];
          for (auto& strategy : run.strategies) {
            for (const auto& u : strategy.uncertainty) {
              if (u.name == name && u.varies())
                u.ref(strategy.parameters) = model::parameter_quantile(u, q);
            }
          }
        }
        return simulate_totals(run, options);
      },
      progress, finished);
  if (ranks.rank != 0) return result;
  const std::size_t strategies = scenario.strategies.size();
  result.base.assign(totals.begin(), totals.begin() + static_cast<std::ptrdiff_t>(strategies));
  result.totals.assign(totals.begin() + static_cast<std::ptrdiff_t>(strategies), totals.end());
  return result;
}

}  // namespace osteosim::engine
