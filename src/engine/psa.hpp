#pragma once
/// Probabilistic sensitivity analysis: for each draw, parameters sampled from their declared
/// distributions (a pure function of the seed, the draw and the parameter's position) and
/// every strategy simulated on the same `agents_per_draw` agents with the same random
/// numbers (key = seed, draw). Runs outside simulate(), one simulate() call per draw, so the
/// checkpoint logic of a single run is untouched; under MPI the draws (not the blocks of a
/// draw) are shared out over the ranks.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "engine/distributed.hpp"
#include "engine/tallies.hpp"

namespace osteosim::engine {

/// Per-person outcomes of one strategy's tallies (discounted unless named otherwise).
struct EconomicTotals {
  double cost_usd = 0;
  double qalys = 0;
  double life_years = 0;
  double clinical_fractures = 0;
  /// Monte Carlo standard error of this strategy's cost and QALYs minus the first
  /// strategy's, per person (from the paired block statistics).
  double incremental_cost_se_usd = 0;
  double incremental_qaly_se = 0;
  /// Monte Carlo covariance of those two per-person differences: with the SEs it gives the
  /// Monte Carlo variance of an incremental net benefit, l^2 se_q^2 + se_c^2 - 2 l cov.
  double incremental_cost_qaly_covariance = 0;
};

/// Per person: totals divided by `agents`.
EconomicTotals economic_totals(const Tallies& tallies, std::int64_t agents);

struct PsaResult {
  std::int64_t draws = 0;
  std::int64_t agents_per_draw = 0;
  std::vector<std::string> parameter_names;  ///< drawn numbers (Dirichlet: one per share)
  std::vector<double> parameter_values;      ///< [draw][parameter]
  std::vector<EconomicTotals> totals;        ///< [draw][strategy]
};

/// Each strategy's parameters in PSA draw `draw`: every uncertain number of the strategy at
/// its quantile for uniforms from Stream::psa_parameters addressed by (seed, draw, the
/// number's position in scenario.uncertainty), so a number has the same uniform in every
/// strategy. The drawn values of scenario.uncertainty (those that vary) go to `values`.
std::vector<model::ModelParameters> draw_parameters(const config::Scenario& scenario,
                                                    std::uint32_t draw,
                                                    std::vector<double>* values);

/// Runs (PSA draws, one-way runs) an earlier, interrupted process finished, and where to
/// report new ones: `osteosim run --resume` keeps them in its checkpoint. A run's outcome is
/// a pure function of its index, so a restored run is the run it replaces, bit for bit.
/// Outcomes travel as flat doubles (the fields of EconomicTotals, strategy after strategy).
/// Both hooks are optional and called from the calling thread only.
struct FinishedRuns {
  std::function<const std::vector<double>*(std::int64_t run)> restore;
  std::function<void(std::int64_t run, const std::vector<double>& outcome)> save;
};

/// One-way sensitivity analysis (tornado data): each scalar parameter with a distribution
/// set to its 2.5% and 97.5% quantiles while the others stay at their values. Every run uses
/// the same agents and random numbers (key (seed, kOneWayDraw)), so differences between runs
/// are the parameter's effect alone, free of Monte Carlo noise. (Dirichlet groups are not
/// varied one way: a group has no single low and high.)
struct OneWayResult {
  std::vector<std::string> parameter_names;  ///< parameters with a non-fixed distribution
  std::vector<double> values;                ///< [parameter][low, high]
  std::vector<EconomicTotals> base;          ///< [strategy], all parameters at their values
  std::vector<EconomicTotals> totals;        ///< [parameter][low, high][strategy]
};

/// The random-number key (draw word) of the one-way runs: apart from every PSA draw.
inline constexpr std::uint32_t kOneWayDraw = 0xFFFFFFFFu;
inline constexpr std::array<double, 2> kOneWayQuantiles{0.025, 0.975};

/// The numbers the one-way analysis varies: those with a distribution, except Dirichlet
/// shares. One list for run_one_way and the run-time estimate, so they cannot disagree.
std::vector<const model::UncertainParameter*> one_way_parameters(const config::Scenario& scenario);

/// Simulations the one-way analysis makes: the base run plus a low and a high run for each
/// of one_way_parameters.
std::int64_t one_way_runs(const config::Scenario& scenario);

/// Runs the one-way analysis with `scenario.psa.agents_per_draw` agents. Under MPI each
/// rank runs a contiguous share of the runs and rank 0 gathers them (other ranks' results
/// are empty); every run is the same whatever the rank count.
/// `should_stop` (e.g. a signal) interrupts a run as it does the base run (Interrupted).
OneWayResult run_one_way(const config::Scenario& scenario, int threads,
                         const std::function<void(double)>& progress, const RankInfo& ranks = {},
                         const std::function<bool()>& should_stop = nullptr,
                         const FinishedRuns& finished = {});

/// Runs the PSA of `scenario.psa`, draws shared out over the ranks like run_one_way.
/// `progress` gets the fraction of this rank's draws done.
/// `finished` restores the draws an interrupted run saved and is told of new ones.
PsaResult run_psa(const config::Scenario& scenario, int threads,
                  const std::function<void(double)>& progress, const RankInfo& ranks = {},
                  const std::function<bool()>& should_stop = nullptr,
                  const FinishedRuns& finished = {});

}  // namespace osteosim::engine
