#include "output/summary_economics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "analysis/psa_noise.hpp"
#include "output/hdf5_file.hpp"
#include "output/result_open.hpp"
#include "output/text_table.hpp"

namespace osteosim::output {

namespace {

/// The willingness-to-pay thresholds the file was written with (the scenario's, else the
/// model's: /analysis/cea/threshold).
std::vector<double> shown_thresholds(hid_t cea) {
  std::vector<hsize_t> dims;
  return h5::read_dataset<double>(cea, "threshold", &dims);
}

/// The threshold of single-number comparisons: the middle one (the upper of two), as
/// model::reference_threshold_per_qaly.
double reference_threshold(const std::vector<double>& thresholds) {
  return thresholds.empty() ? 0 : thresholds[thresholds.size() / 2];
}

std::vector<double> read_doubles(hid_t group, const std::string& name) {
  std::vector<hsize_t> dims;
  return h5::read_dataset<double>(group, name, &dims);
}

/// Index of `wtp` in the grid, or -1.
long grid_index(const std::vector<double>& grid, double wtp) {
  const auto it = std::find(grid.begin(), grid.end(), wtp);
  return it == grid.end() ? -1 : static_cast<long>(it - grid.begin());
}

/// "20k", "25.5k", "500".
std::string wtp_label(double wtp) {
  if (wtp < 1000) return fixed(wtp, 0);
  const double thousands = wtp / 1000;
  return fixed(thousands, thousands == std::round(thousands) ? 0 : 1) + "k";
}

/// The noise share a PSA should stay under for its CEAC to show parameter uncertainty
/// rather than simulation noise (a convention of this tool, not a published standard),
/// unless the scenario asked for another (psa.noise_share).
constexpr double kTargetNoiseShare = 0.1;

/// Agents per draw that bring a noise share measured at `agents` to `target`: the noise to
/// parameter variance ratio share / (1 - share) falls as 1/agents (analysis/psa_noise.hpp).
/// "-" where the share cannot tell (NaN, or 1: no parameter variance seen).
std::string agents_for_share(double share, std::int64_t agents, double target) {
  if (!(share >= 0 && share < 1)) return "-";
  analysis::NoiseDecomposition d;
  d.noise_variance = share;
  d.parameter_variance = 1 - share;
  const std::int64_t needed = analysis::agents_for_noise_share(d, agents, target);
  return needed > 0 ? std::to_string(needed) : "-";
}

/// Monte Carlo noise in the PSA against the spread between draws, for the incremental net
/// benefit of each strategy against the first at each threshold (/analysis/cea/
/// nmb_noise_share, the ANOVA of analysis/psa_noise.hpp): the guidance on agents per draw.
void print_psa_error(hid_t psa, hid_t cea, const std::vector<std::string>& names,
                     const std::vector<double>& thresholds, std::ostream& out) {
  const auto shares = read_doubles(cea, "nmb_noise_share");
  const auto wtp = read_doubles(cea, "wtp");
  const auto agents = h5::read_attribute<std::int64_t>(psa, "agents_per_draw");
  // A PSA sized for a noise share is judged by its own target.
  const double target = h5::has_attribute(psa, "noise_share_target")
                            ? h5::read_attribute<double>(psa, "noise_share_target")
                            : kTargetNoiseShare;
  const std::size_t n = names.size();
  if (n < 2 || read_doubles(psa, "qaly").size() / n < 2) return;
  out << "  Monte Carlo noise in the PSA: share of the between-draw variance of the incremental "
         "NMB vs '"
      << names[0] << "' (ANOVA, O'Hagan et al. 2007),\n  and agents per draw for "
      << fixed(100 * target, 0) << "%, at willingness to pay per QALY\n";
  TextTable table;
  std::vector<std::string> header{"strategy"};
  for (const double w : thresholds) {
    header.push_back(wtp_label(w));
    header.push_back("agents/draw");
  }
  table.add_row(header);
  bool too_noisy = false;
  for (std::size_t s = 1; s < n; ++s) {
    std::vector<std::string> row{names[s]};
    for (const double w : thresholds) {
      const long k = grid_index(wtp, w);
      const double share = k < 0 ? std::nan("") : shares[static_cast<std::size_t>(k) * n + s];
      if (share > target) too_noisy = true;
      row.push_back(fixed(share, 2));
      row.push_back(agents_for_share(share, agents, target));
    }
    table.add_row(row);
  }
  table.print(out, "    ");
  out << (too_noisy
              ? "  Over " + fixed(100 * target, 0) +
                    "% of the spread between draws is simulation noise: the CEAC mixes it into "
                    "parameter\n  uncertainty. Raise psa.agents_per_draw to the value shown (the "
                    "noise variance falls as 1/agents),\n  or let the run size it "
                    "(psa.noise_share).\n"
              : "  Simulation noise is under " + fixed(100 * target, 0) +
                    "% of the spread between draws: agents per draw suffice.\n");
}

/// Tornado data at the reference threshold `wtp`: the incremental NMB against the first strategy of
/// the strategy with the highest base-case NMB, at each parameter's low and high value, sorted by
/// the width of its range.
void print_one_way(hid_t one_way, const std::vector<std::string>& names, double wtp,
                   const std::string& currency, std::ostream& out) {
  const auto params = h5::read_string_dataset(one_way, "parameter");
  const auto cost = read_doubles(one_way, "cost");
  const auto qaly = read_doubles(one_way, "qaly");
  const auto base_cost = read_doubles(one_way, "base_cost");
  const auto base_qaly = read_doubles(one_way, "base_qaly");
  const std::size_t n = names.size();
  if (n < 2 || params.empty()) return;
  const auto nmb = [&](double c, double q) { return wtp * q - c; };
  std::size_t best = 1;
  for (std::size_t s = 2; s < n; ++s) {
    if (nmb(base_cost[s], base_qaly[s]) > nmb(base_cost[best], base_qaly[best])) best = s;
  }
  const double base = nmb(base_cost[best], base_qaly[best]) - nmb(base_cost[0], base_qaly[0]);
  struct Bar {
    std::string name;
    double low, high;
  };
  std::vector<Bar> bars;
  for (std::size_t p = 0; p < params.size(); ++p) {
    std::array<double, 2> inmb{};
    for (std::size_t b = 0; b < 2; ++b) {
      const std::size_t at = (p * 2 + b) * n;
      inmb[b] = nmb(cost[at + best], qaly[at + best]) - nmb(cost[at], qaly[at]);
    }
    bars.push_back({params[p], inmb[0], inmb[1]});
  }
  std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) {
    return std::fabs(a.high - a.low) > std::fabs(b.high - b.low);
  });
  out << "  One-way sensitivity (tornado): incremental NMB per person of '" << names[best]
      << "' vs '" << names[0] << "' at " << wtp_label(wtp) << " " << currency
      << " per QALY,\n  base case " << fixed(base, 1) << " " << currency
      << "; each parameter at its 2.5% and 97.5% quantile\n";
  TextTable table;
  table.add_row({"parameter", "at low", "at high", "range"});
  std::size_t without_effect = 0;
  for (const Bar& b : bars) {
    // e.g. a drug neither strategy uses: same agents and random numbers, so exactly 0
    if (b.high == b.low) {
      ++without_effect;
      continue;
    }
    table.add_row({b.name, fixed(b.low, 1), fixed(b.high, 1), fixed(std::fabs(b.high - b.low), 1)});
  }
  table.print(out, "    ");
  if (without_effect > 0) {
    out << "    (" << without_effect
        << " parameters with no effect on this comparison not shown)\n";
  }
}

/// The items of an [wtp][item] EVPPI table at grid point `k`, largest first; skipped ones
/// (NaN) left out; at most `shown`.
std::vector<std::pair<std::string, double>> largest(const std::vector<std::string>& items,
                                                    const std::vector<double>& values,
                                                    std::size_t k, std::size_t shown) {
  std::vector<std::pair<std::string, double>> ranked;
  for (std::size_t i = 0; i < items.size(); ++i) {
    ranked.emplace_back(items[i], values[k * items.size() + i]);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return !std::isnan(a.second) && (std::isnan(b.second) || a.second > b.second);
  });
  std::erase_if(ranked, [](const auto& item) { return std::isnan(item.second); });
  ranked.resize(std::min(ranked.size(), shown));
  return ranked;
}

/// The parameters (and groups) most worth researching at `wtp`: EVPPI per person by the
/// regression method, beside the EVPI that perfect information on all of them would give.
void print_evppi(hid_t evppi_group, double wtp, double evpi, const std::string& currency,
                 std::size_t draws, std::ostream& out) {
  const auto grid = read_doubles(evppi_group, "wtp");
  const long k = grid_index(grid, wtp);
  if (k < 0) return;
  constexpr std::size_t kShown = 10;
  out << "  Expected value of partial perfect information (EVPPI) per person at " << wtp_label(wtp)
      << " " << currency << " per QALY;\n  EVPI (all parameters and the simulation noise) "
      << fixed(evpi, 2) << " " << currency << "\n";
  const auto parameters =
      largest(h5::read_string_dataset(evppi_group, "parameter"), read_doubles(evppi_group, "evppi"),
              static_cast<std::size_t>(k), kShown);
  const auto groups =
      h5::has_link(evppi_group, "parameter_group")
          ? largest(h5::read_string_dataset(evppi_group, "parameter_group"),
                    read_doubles(evppi_group, "group_evppi"), static_cast<std::size_t>(k), kShown)
          : std::vector<std::pair<std::string, double>>{};
  TextTable table;
  table.add_row({"parameter", "EVPPI", "share of EVPI"});
  const auto row = [&](const std::pair<std::string, double>& item) {
    table.add_row(
        {item.first, fixed(item.second, 2), evpi > 0 ? fixed(item.second / evpi, 2) : "-"});
  };
  for (const auto& item : parameters) row(item);
  if (!groups.empty()) table.add_row({"group (parameters jointly)", "", ""});
  for (const auto& item : groups) row(item);
  if (!parameters.empty() || !groups.empty()) table.print(out, "    ");
  if (h5::has_attribute(evppi_group, "skipped")) {
    // The reasons, item by item, are in the file.
    out << "    some parameters or groups not estimated (fewer PSA draws than regression "
           "coefficients; reasons in\n    /analysis/evppi's 'skipped' attribute)\n";
  }
  // Seen on the shipped CEA at 120 draws: parameters without effect on the comparison got
  // ~15 % of the EVPI. A smoother fitted to few noisy draws follows the noise (Strong,
  // Oakley and Brennan 2014 recommend thousands of draws).
  constexpr std::size_t kReliableDraws = 1000;
  if (draws < kReliableDraws) {
    out << "    Caution: from " << draws << " draws the regression estimates of EVPPI are biased "
        << "upwards (the smoother follows\n    the noise of few draws); read them as a rough "
        << "ranking and use " << kReliableDraws << " draws or more.\n";
  }
}

}  // namespace

void print_economics(const std::string& path, std::ostream& out) {
  const h5::Handle file = open_result_file(path);
  if (!h5::has_link(file.get(), "analysis")) return;
  const h5::Handle cea = h5::open_group(file.get(), "analysis/cea");
  const auto names = h5::read_string_dataset(cea.get(), "strategy");
  const auto cost = read_doubles(cea.get(), "cost");
  const auto qaly = read_doubles(cea.get(), "qaly");
  const auto life = read_doubles(cea.get(), "life_years");
  const auto d_cost = read_doubles(cea.get(), "incremental_cost");
  const auto d_qaly = read_doubles(cea.get(), "incremental_qaly");
  const auto icer = read_doubles(cea.get(), "icer");
  const auto cost_se = read_doubles(cea.get(), "incremental_cost_se");
  const auto qaly_se = read_doubles(cea.get(), "incremental_qaly_se");
  const auto status = h5::read_string_dataset(cea.get(), "dominance");
  const auto wtp = read_doubles(cea.get(), "wtp");
  const auto nmb = read_doubles(cea.get(), "nmb");
  const std::size_t n = names.size();
  const std::string currency = h5::read_string_attribute(cea.get(), "currency");
  const std::vector<double> thresholds = shown_thresholds(cea.get());

  out << "\nCost-effectiveness (" << h5::read_string_attribute(cea.get(), "perspective")
      << " perspective, " << currency << " "
      << h5::read_attribute<std::int32_t>(cea.get(), "price_year") << ", discounted "
      << fixed(100 * h5::read_attribute<double>(cea.get(), "discount_rate_costs"), 1)
      << "% costs / "
      << fixed(100 * h5::read_attribute<double>(cea.get(), "discount_rate_effects"), 1)
      << "% QALYs a year; per person)\n";
  out << "  Incremental analysis: sorted by cost; increments and ICERs against the previous "
         "strategy on the frontier\n";
  std::vector<std::size_t> order(n);
  for (std::size_t s = 0; s < n; ++s) order[s] = s;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cost[a] < cost[b]; });
  TextTable table;
  table.add_row({"strategy", "cost", "QALYs", "life-years", "status", "d cost", "d QALYs",
                 "ICER (per QALY)", "MC SE cost*", "MC SE QALYs*"});
  for (const std::size_t s : order) {
    table.add_row({names[s], fixed(cost[s], 0), fixed(qaly[s], 4), fixed(life[s], 4), status[s],
                   fixed(d_cost[s], 0), fixed(d_qaly[s], 4), fixed(icer[s], 0),
                   s == 0 ? "" : fixed(cost_se[s], 0), s == 0 ? "" : fixed(qaly_se[s], 5)});
  }
  table.print(out, "    ");
  out << "  * Monte Carlo SE of the difference from '" << names[0]
      << "' (common random numbers, from block-to-block variation).\n";

  out << "  Net monetary benefit per person (" << currency << ") at willingness to pay per QALY ("
      << currency << ")\n";
  TextTable nmb_table;
  std::vector<std::string> header{"strategy"};
  for (double w : thresholds) header.push_back(wtp_label(w));
  nmb_table.add_row(header);
  for (std::size_t s = 0; s < n; ++s) {
    std::vector<std::string> row{names[s]};
    for (double w : thresholds) {
      const long k = grid_index(wtp, w);
      row.push_back(k < 0 ? "-" : fixed(nmb[static_cast<std::size_t>(k) * n + s], 0));
    }
    nmb_table.add_row(row);
  }
  nmb_table.print(out, "    ");

  if (!h5::has_link(file.get(), "analysis/psa")) return;
  const h5::Handle psa = h5::open_group(file.get(), "analysis/psa");
  const auto draws = h5::read_string_dataset(psa.get(), "strategy").size() > 0
                         ? read_doubles(psa.get(), "qaly").size() / n
                         : 0;
  const auto ceac = read_doubles(cea.get(), "ceac");
  const auto evpi = read_doubles(cea.get(), "evpi");
  out << "  Probabilistic sensitivity analysis: " << draws << " draws x "
      << h5::read_attribute<std::int64_t>(psa.get(), "agents_per_draw") << " agents";
  if (h5::has_attribute(psa.get(), "noise_share_target")) {
    out << ", sized by a pilot of " << h5::read_attribute<std::int64_t>(psa.get(), "pilot_draws")
        << " draws x " << h5::read_attribute<std::int64_t>(psa.get(), "pilot_agents_per_draw")
        << " agents for a noise share of at most "
        << fixed(100 * h5::read_attribute<double>(psa.get(), "noise_share_target"), 0) << "%";
  }
  out << '\n';
  out << "  Probability of being cost-effective (CEAC) at willingness to pay per QALY\n";
  TextTable ceac_table;
  ceac_table.add_row(header);
  for (std::size_t s = 0; s < n; ++s) {
    std::vector<std::string> row{names[s]};
    for (double w : thresholds) {
      const long k = grid_index(wtp, w);
      row.push_back(k < 0 ? "-" : fixed(ceac[static_cast<std::size_t>(k) * n + s], 3));
    }
    ceac_table.add_row(row);
  }
  std::vector<std::string> evpi_row{"EVPI per person (" + currency + ")"};
  for (double w : thresholds) {
    const long k = grid_index(wtp, w);
    evpi_row.push_back(k < 0 ? "-" : fixed(evpi[static_cast<std::size_t>(k)], 2));
  }
  ceac_table.add_row(evpi_row);
  ceac_table.print(out, "    ");
  print_psa_error(psa.get(), cea.get(), names, thresholds, out);
  if (h5::has_link(file.get(), "analysis/one_way")) {
    const h5::Handle one_way = h5::open_group(file.get(), "analysis/one_way");
    print_one_way(one_way.get(), names, reference_threshold(thresholds), currency, out);
  }
  if (h5::has_link(file.get(), "analysis/evppi")) {
    const h5::Handle evppi_group = h5::open_group(file.get(), "analysis/evppi");
    const double reference = reference_threshold(thresholds);
    const long k = grid_index(wtp, reference);
    print_evppi(evppi_group.get(), reference,
                k < 0 ? std::nan("") : evpi[static_cast<std::size_t>(k)], currency, draws, out);
  }
}

}  // namespace osteosim::output
