#include "output/economics_writer.hpp"

#include <limits>

#include "analysis/cea.hpp"
#include "analysis/psa_noise.hpp"
#include "engine/psa.hpp"
#include "engine/psa_sizing.hpp"
#include "output/evppi_writer.hpp"

namespace osteosim::output {

namespace {

std::vector<double> scaled(const std::vector<std::int64_t>& ticks, double per_unit) {
  std::vector<double> out(ticks.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<double>(ticks[i]) / per_unit;
  return out;
}

/// Per-person totals of a set of strategies: cost[d][s], qaly[d][s] for the PSA summary.
analysis::PsaTable psa_table(const engine::PsaResult& psa, std::size_t strategies) {
  analysis::PsaTable table;
  for (std::int64_t d = 0; d < psa.draws; ++d) {
    std::vector<double> cost, qaly;
    for (std::size_t s = 0; s < strategies; ++s) {
      const auto& e = psa.totals[static_cast<std::size_t>(d) * strategies + s];
      cost.push_back(e.cost_usd);
      qaly.push_back(e.qalys);
    }
    table.cost.push_back(std::move(cost));
    table.qaly.push_back(std::move(qaly));
  }
  return table;
}

/// One column of per-person totals, e.g. every strategy's cost.
template <class Field>
std::vector<double> column(const std::vector<engine::EconomicTotals>& totals, Field field) {
  std::vector<double> out;
  for (const auto& e : totals) out.push_back(e.*field);
  return out;
}

/// By strategy, the share of the between-draw variance of `value` minus the first
/// strategy's that is Monte Carlo noise (analysis/psa_noise.hpp); NaN for the first
/// strategy and with fewer than two draws. `totals` holds draws x strategies, row-major.
std::vector<double> noise_shares(const std::vector<engine::EconomicTotals>& totals,
                                 std::size_t strategies, double engine::EconomicTotals::*value,
                                 double engine::EconomicTotals::*standard_error) {
  std::vector<double> shares(strategies, std::numeric_limits<double>::quiet_NaN());
  const std::size_t draws = strategies == 0 ? 0 : totals.size() / strategies;
  if (draws < 2) return shares;
  for (std::size_t s = 1; s < strategies; ++s)
    shares[s] = engine::incremental_noise(totals, strategies, s, value, standard_error).noise_share;
  return shares;
}

/// By willingness to pay and strategy, the share of the between-draw variance of the
/// incremental net benefit that is Monte Carlo noise; NaN for the first strategy and with
/// fewer than two draws.
std::vector<double> net_benefit_noise_shares(const std::vector<engine::EconomicTotals>& totals,
                                             std::size_t strategies,
                                             const std::vector<double>& wtp) {
  std::vector<double> shares(wtp.size() * strategies, std::numeric_limits<double>::quiet_NaN());
  if (strategies == 0 || totals.size() / strategies < 2) return shares;
  for (std::size_t w = 0; w < wtp.size(); ++w) {
    for (std::size_t s = 1; s < strategies; ++s) {
      shares[w * strategies + s] =
          engine::incremental_net_benefit_noise(totals, strategies, s, wtp[w]).noise_share;
    }
  }
  return shares;
}

void write_psa(hid_t analysis_group, const engine::RunResult& result,
               const std::vector<std::string>& names) {
  const engine::PsaResult& psa = result.psa;
  const h5::Handle handle = h5::create_group(analysis_group, "psa");
  DeclaredGroup group(handle.get(), "/analysis/psa", result.economics.currency);
  group.attribute("agents_per_draw", psa.agents_per_draw);
  if (const auto& sizing = result.psa_sizing; sizing.target_noise_share > 0) {
    group.attribute("noise_share_target", sizing.target_noise_share);
    group.attribute("pilot_draws", sizing.pilot_draws);
    group.attribute("pilot_agents_per_draw", sizing.pilot_agents_per_draw);
  }
  std::vector<std::int64_t> draws(static_cast<std::size_t>(psa.draws));
  for (std::size_t d = 0; d < draws.size(); ++d) draws[d] = static_cast<std::int64_t>(d);
  group.coordinate("psa_draw", draws);
  group.coordinate("strategy", names);
  group.coordinate("parameter", psa.parameter_names);
  group.variable("parameter_value", psa.parameter_values);
  using E = engine::EconomicTotals;
  group.variable("cost", column(psa.totals, &E::cost_usd));
  group.variable("qaly", column(psa.totals, &E::qalys));
  group.variable("life_years", column(psa.totals, &E::life_years));
  group.variable("clinical_fractures", column(psa.totals, &E::clinical_fractures));
  group.variable("incremental_cost_se", column(psa.totals, &E::incremental_cost_se_usd));
  group.variable("incremental_qaly_se", column(psa.totals, &E::incremental_qaly_se));
  group.variable("incremental_cost_noise_share",
                 noise_shares(psa.totals, names.size(), &E::cost_usd, &E::incremental_cost_se_usd));
  group.variable("incremental_qaly_noise_share",
                 noise_shares(psa.totals, names.size(), &E::qalys, &E::incremental_qaly_se));
  group.check_complete();
}

void write_one_way(hid_t analysis_group, const engine::OneWayResult& one_way,
                   const std::vector<std::string>& names, const std::string& currency) {
  const h5::Handle handle = h5::create_group(analysis_group, "one_way");
  DeclaredGroup group(handle.get(), "/analysis/one_way", currency);
  group.coordinate("parameter", one_way.parameter_names);
  group.coordinate("bound", std::vector<std::string>{"low", "high"});
  group.coordinate("strategy", names);
  group.variable("parameter_value", one_way.values);
  using E = engine::EconomicTotals;
  group.variable("cost", column(one_way.totals, &E::cost_usd));
  group.variable("qaly", column(one_way.totals, &E::qalys));
  group.variable("base_cost", column(one_way.base, &E::cost_usd));
  group.variable("base_qaly", column(one_way.base, &E::qalys));
  group.check_complete();
}

}  // namespace

void write_strategy_economics(DeclaredGroup& group, const engine::Tallies& t) {
  group.coordinate("category", std::vector<std::string>(model::kCostCategoryNames.begin(),
                                                        model::kCostCategoryNames.end()));
  group.variable("costs", scaled(t.cost_ticks, engine::kCostTicksPerUsd));
  group.variable("discounted_costs", scaled(t.discounted_cost_ticks, engine::kCostTicksPerUsd));
  group.variable("qalys", scaled(t.qaly_ticks, engine::kTicksPerYear));
  group.variable("discounted_qalys", scaled(t.discounted_qaly_ticks, engine::kTicksPerYear));
  group.variable("discounted_life_years",
                 scaled(t.discounted_life_year_ticks, engine::kTicksPerYear));
}

void write_analysis(hid_t file, const engine::RunResult& result) {
  const h5::Handle analysis_group = h5::create_group(file, "analysis");
  const h5::Handle handle = h5::create_group(analysis_group.get(), "cea");
  DeclaredGroup group(handle.get(), "/analysis/cea", result.economics.currency);
  const model::EconomicsParameters& econ = result.economics;
  group.attribute("perspective",
                  std::string(model::kPerspectiveNames[static_cast<int>(econ.perspective)]));
  group.attribute("currency", econ.currency);
  group.attribute("price_year", std::int32_t{econ.price_year});
  group.attribute("discount_rate_costs", econ.discount_rate_costs_per_year);
  group.attribute("discount_rate_effects", econ.discount_rate_effects_per_year);

  std::vector<std::string> names;
  std::vector<engine::EconomicTotals> totals;
  for (const auto& s : result.strategies) {
    names.push_back(s.name);
    totals.push_back(engine::economic_totals(s.tallies, result.info.agents));
  }
  const std::vector<double> wtp = model::wtp_grid_per_qaly(econ.willingness_to_pay);
  group.coordinate("strategy", names);
  group.coordinate("wtp", wtp);
  group.coordinate("threshold", econ.willingness_to_pay.thresholds_per_qaly);
  using E = engine::EconomicTotals;
  const auto cost = column(totals, &E::cost_usd);
  const auto qaly = column(totals, &E::qalys);
  group.variable("cost", cost);
  group.variable("qaly", qaly);
  group.variable("life_years", column(totals, &E::life_years));
  group.variable("clinical_fractures", column(totals, &E::clinical_fractures));
  const auto rows = analysis::incremental_analysis(cost, qaly);
  std::vector<std::string> status;
  std::vector<double> d_cost, d_qaly, icer;
  for (const auto& r : rows) {
    status.emplace_back(analysis::kDominanceNames[static_cast<int>(r.status)]);
    d_cost.push_back(r.incremental_cost);
    d_qaly.push_back(r.incremental_qaly);
    icer.push_back(r.icer);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  group.strings("dominance", status);
  group.variable("incremental_cost", d_cost, &nan);
  group.variable("incremental_qaly", d_qaly, &nan);
  group.variable("icer", icer, &nan);
  group.variable("incremental_cost_se", column(totals, &E::incremental_cost_se_usd));
  group.variable("incremental_qaly_se", column(totals, &E::incremental_qaly_se));
  std::vector<double> nmb;
  for (const double w : wtp) {
    for (std::size_t s = 0; s < names.size(); ++s) {
      nmb.push_back(analysis::net_monetary_benefit(cost[s], qaly[s], w));
    }
  }
  group.variable("nmb", nmb);
  if (result.psa.draws > 0) {
    const analysis::PsaTable table = psa_table(result.psa, names.size());
    const auto summary = analysis::summarise_psa(table, wtp);
    std::vector<double> ceac;
    for (const auto& row : summary.ceac) ceac.insert(ceac.end(), row.begin(), row.end());
    std::vector<std::string> ceaf;
    for (const int s : summary.frontier) ceaf.push_back(names[static_cast<std::size_t>(s)]);
    group.variable("ceac", ceac);
    group.strings("ceaf", ceaf);
    group.variable("evpi", summary.evpi);
    group.variable("nmb_noise_share", net_benefit_noise_shares(result.psa.totals, names.size(), wtp));
    write_psa(analysis_group.get(), result, names);
    write_one_way(analysis_group.get(), result.one_way, names, result.economics.currency);
    write_evppi(analysis_group.get(), result.psa, table, wtp, result.economics.currency);
  }
  group.check_complete();
}

}  // namespace osteosim::output
