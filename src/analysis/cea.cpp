#include "analysis/cea.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace osteosim::analysis {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

std::vector<CeaRow> incremental_analysis(const std::vector<double>& cost,
                                         const std::vector<double>& qaly) {
  const std::size_t n = cost.size();
  std::vector<CeaRow> rows(n);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return cost[a] != cost[b] ? cost[a] < cost[b] : qaly[a] > qaly[b];
  });
  // Strong dominance: a strategy is dominated by a cheaper (or equally cheap, listed
  // earlier) strategy with at least as much effect.
  std::vector<std::size_t> candidates;
  double best_qaly = -std::numeric_limits<double>::infinity();
  for (const std::size_t s : order) {
    if (qaly[s] <= best_qaly) {
      rows[s].status = Dominance::dominated;
    } else {
      candidates.push_back(s);
      best_qaly = qaly[s];
    }
  }
  // Extended dominance: walk the candidates keeping ICERs strictly increasing; a strategy
  // whose ICER is not below the next one's is removed, and the check repeats backwards.
  std::vector<std::size_t> frontier;
  const auto icer = [&](std::size_t from, std::size_t to) {
    return (cost[to] - cost[from]) / (qaly[to] - qaly[from]);
  };
  for (const std::size_t s : candidates) {
    while (frontier.size() >= 2 &&
           icer(frontier[frontier.size() - 2], frontier.back()) >= icer(frontier.back(), s)) {
      rows[frontier.back()].status = Dominance::extendedly_dominated;
      frontier.pop_back();
    }
    frontier.push_back(s);
  }
  for (std::size_t s = 0; s < n; ++s) {
    if (rows[s].status != Dominance::frontier) {
      rows[s].incremental_cost = kNaN;
      rows[s].incremental_qaly = kNaN;
      rows[s].icer = kNaN;
    }
  }
  rows[frontier.front()].icer = kNaN;
  for (std::size_t k = 1; k < frontier.size(); ++k) {
    const std::size_t from = frontier[k - 1];
    const std::size_t to = frontier[k];
    rows[to].incremental_cost = cost[to] - cost[from];
    rows[to].incremental_qaly = qaly[to] - qaly[from];
    rows[to].icer = icer(from, to);
  }
  return rows;
}

double net_monetary_benefit(double cost, double qaly, double wtp_per_qaly) {
  return wtp_per_qaly * qaly - cost;
}

PsaSummary summarise_psa(const PsaTable& psa, const std::vector<double>& wtp_grid) {
  PsaSummary out;
  const std::size_t draws = psa.cost.size();
  const std::size_t n = draws > 0 ? psa.cost.front().size() : 0;
  for (const double wtp : wtp_grid) {
    std::vector<double> wins(n, 0.0);
    std::vector<double> mean_nmb(n, 0.0);
    double mean_max = 0;
    for (std::size_t d = 0; d < draws; ++d) {
      std::size_t best = 0;
      double best_nmb = -std::numeric_limits<double>::infinity();
      for (std::size_t s = 0; s < n; ++s) {
        const double nmb = net_monetary_benefit(psa.cost[d][s], psa.qaly[d][s], wtp);
        mean_nmb[s] += nmb / static_cast<double>(draws);
        if (nmb > best_nmb) {
          best_nmb = nmb;
          best = s;
        }
      }
      wins[best] += 1;
      mean_max += best_nmb / static_cast<double>(draws);
    }
    for (double& w : wins) w /= static_cast<double>(std::max<std::size_t>(draws, 1));
    const auto best_mean = std::max_element(mean_nmb.begin(), mean_nmb.end());
    out.ceac.push_back(wins);
    out.frontier.push_back(static_cast<int>(best_mean - mean_nmb.begin()));
    // Never negative in exact arithmetic; clamp the rounding residue.
    out.evpi.push_back(n > 0 ? std::max(0.0, mean_max - *best_mean) : 0.0);
  }
  return out;
}

}  // namespace osteosim::analysis
