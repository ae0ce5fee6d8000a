#include "engine/psa.hpp"

#include <algorithm>
#include <cmath>

#include "engine/rng.hpp"
#include "engine/simulation.hpp"
#include "model/uncertainty.hpp"

namespace osteosim::engine {

namespace {

constexpr std::int64_t kPsaBlocks = 32;

/// Standard error of a total from block sums: sqrt(B var) with var the between-block
/// variance (blocks are i.i.d. replicates).
double block_total_se(std::int64_t sum, std::int64_t sum_squares, std::int64_t blocks) {
  if (blocks < 2) return std::nan("");  // one replicate says nothing about the variance
  const double n = static_cast<double>(blocks);
  const double mean = static_cast<double>(sum) / n;
  const double var = (static_cast<double>(sum_squares) - n * mean * mean) / (n - 1);
  return std::sqrt(std::max(0.0, var) * n);
}

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
    if (model::is_clinical(static_cast<model::Site>(i % model::kSites))) fractures += t.fractures[i];
  }
  e.cost_usd = static_cast<double>(cost) / kCostTicksPerUsd / n;
  e.qalys = static_cast<double>(qaly) / kTicksPerYear / n;
  e.life_years = static_cast<double>(life) / kTicksPerYear / n;
  e.clinical_fractures = static_cast<double>(fractures) / n;
  e.incremental_cost_se_usd = block_total_se(t.paired_cost_difference_sum[0],
                                             t.paired_cost_difference_sum_squares[0], t.blocks[0]) *
                              kBlockUsdUnit / n;
  e.incremental_qaly_se = block_total_se(t.paired_qaly_difference_sum[0],
                                         t.paired_qaly_difference_sum_squares[0], t.blocks[0]) *
                          kBlockQalyUnit / n;
  return e;
}

model::EconomicsParameters sample_economics(const config::Scenario& scenario,
                                            std::uint32_t draw, std::vector<double>* values) {
  model::EconomicsParameters p = scenario.strategies.front().parameters.economics;
  for (std::size_t k = 0; k < scenario.economics_uncertainty.size(); ++k) {
    const model::UncertainParameter& u = scenario.economics_uncertainty[k];
    const auto w = philox_words(scenario.seed, draw, 0, static_cast<std::uint32_t>(k),
                                model::Stream::psa_parameters, 0);
    const double x = model::parameter_quantile(u, to_open_unit(w[0]));
    u.ref(p) = x;
    if (values) values->push_back(x);
  }
  return p;
}

PsaResult run_psa(const config::Scenario& scenario, int threads,
                  const std::function<void(double)>& progress) {
  PsaResult result;
  result.draws = scenario.psa.draws;
  result.agents_per_draw = scenario.psa.agents_per_draw;
  for (const auto& u : scenario.economics_uncertainty) result.parameter_names.push_back(u.name);
  config::Scenario run = scenario;
  run.population.agents = scenario.psa.agents_per_draw;
  RunOptions options;
  options.threads = threads;
  // Blocks are the replicates behind each draw's Monte Carlo error, so a draw is cut into
  // about kPsaBlocks of them (a function of the agents only: results stay independent of
  // the thread count, and totals do not depend on the block size at all).
  options.block_size = std::max<std::int64_t>(64, (run.population.agents + kPsaBlocks - 1) / kPsaBlocks);
  for (std::int64_t d = 0; d < result.draws; ++d) {
    options.psa_draw = static_cast<std::uint32_t>(d);
    // Every strategy of the draw shares its parameters (and, through the key, its random
    // numbers).
    const model::EconomicsParameters drawn =
        sample_economics(scenario, options.psa_draw, &result.parameter_values);
    for (auto& strategy : run.strategies) strategy.parameters.economics = drawn;
    const std::vector<Tallies> tallies = simulate(run, options);
    for (const Tallies& t : tallies) result.totals.push_back(economic_totals(t, run.population.agents));
    if (progress) progress(static_cast<double>(d + 1) / static_cast<double>(result.draws));
  }
  return result;
}

OneWayResult run_one_way(const config::Scenario& scenario, int threads,
                         const std::function<void(double)>& progress) {
  OneWayResult result;
  config::Scenario run = scenario;
  run.population.agents = scenario.psa.agents_per_draw;
  RunOptions options;
  options.threads = threads;
  options.psa_draw = kOneWayDraw;
  const auto simulate_with = [&](const model::EconomicsParameters& p) {
    for (auto& strategy : run.strategies) strategy.parameters.economics = p;
    std::vector<EconomicTotals> out;
    for (const Tallies& t : simulate(run, options)) out.push_back(economic_totals(t, run.population.agents));
    return out;
  };
  const model::EconomicsParameters base = scenario.strategies.front().parameters.economics;
  std::vector<std::size_t> varied;
  for (std::size_t k = 0; k < scenario.economics_uncertainty.size(); ++k) {
    const auto& u = scenario.economics_uncertainty[k];
    if (u.distribution != model::Distribution::fixed && u.se > 0) varied.push_back(k);
  }
  result.base = simulate_with(base);
  for (std::size_t i = 0; i < varied.size(); ++i) {
    const model::UncertainParameter& u = scenario.economics_uncertainty[varied[i]];
    result.parameter_names.push_back(u.name);
    for (const double q : kOneWayQuantiles) {
      model::EconomicsParameters p = base;
      const double x = model::parameter_quantile(u, q);
      u.ref(p) = x;
      result.values.push_back(x);
      const auto totals = simulate_with(p);
      result.totals.insert(result.totals.end(), totals.begin(), totals.end());
    }
    if (progress) progress(static_cast<double>(i + 1) / static_cast<double>(varied.size()));
  }
  return result;
}

}  // namespace osteosim::engine
