#include "analysis/evppi.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "analysis/additive_spline.hpp"

namespace osteosim::analysis {

std::vector<double> evppi(const PsaTable& psa, const std::vector<std::vector<double>>& terms,
                          const std::vector<double>& wtp_grid) {
  const std::size_t draws = psa.cost.size();
  const std::size_t strategies = draws > 0 ? psa.cost.front().size() : 0;
  std::vector<double> out(wtp_grid.size(), 0.0);
  const AdditiveSplineSmoother smoother(terms);
  if (strategies < 2 || smoother.coefficients() == 1) return out;
  // fitted incremental cost and QALYs of strategy s + 1 against strategy 0, by draw
  std::vector<std::vector<double>> cost_fit, qaly_fit;
  for (std::size_t s = 1; s < strategies; ++s) {
    std::vector<double> d_cost(draws), d_qaly(draws);
    for (std::size_t d = 0; d < draws; ++d) {
      d_cost[d] = psa.cost[d][s] - psa.cost[d][0];
      d_qaly[d] = psa.qaly[d][s] - psa.qaly[d][0];
    }
    cost_fit.push_back(smoother.fit(d_cost));
    qaly_fit.push_back(smoother.fit(d_qaly));
  }
  const double per_draw = 1.0 / static_cast<double>(draws);
  for (std::size_t w = 0; w < wtp_grid.size(); ++w) {
    // the first strategy's incremental net benefit is 0 in every draw
    double mean_of_max = 0;
    std::vector<double> mean_inb(strategies - 1, 0.0);
    for (std::size_t d = 0; d < draws; ++d) {
      double best = 0;
      for (std::size_t s = 0; s + 1 < strategies; ++s) {
        const double inb = wtp_grid[w] * qaly_fit[s][d] - cost_fit[s][d];
        mean_inb[s] += inb * per_draw;
        best = std::max(best, inb);
      }
      mean_of_max += best * per_draw;
    }
    const double max_of_mean = std::max(0.0, *std::max_element(mean_inb.begin(), mean_inb.end()));
    out[w] = std::max(0.0, mean_of_max - max_of_mean);
  }
  return out;
}

std::vector<ParameterGroup> parameter_groups(const std::vector<std::string>& names) {
  std::map<std::string, std::vector<std::size_t>> by_prefix;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    const auto first_dot = name.find('.');
    const auto last_dot = name.rfind('.');
    if (first_dot == std::string::npos) continue;
    by_prefix[name.substr(0, first_dot)].push_back(i);
    if (last_dot != first_dot) by_prefix[name.substr(0, last_dot)].push_back(i);
  }
  std::vector<ParameterGroup> groups;
  for (auto& [prefix, members] : by_prefix) {
    if (members.size() >= 2) groups.push_back({prefix + ".*", std::move(members)});
  }
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.name.size() > b.name.size(); });
  std::set<std::vector<std::size_t>> seen;
  std::vector<ParameterGroup> unique;
  for (auto& g : groups) {
    if (seen.insert(g.members).second) unique.push_back(std::move(g));
  }
  std::sort(unique.begin(), unique.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return unique;
}

}  // namespace osteosim::analysis
