#include "output/summary_comparison.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "analysis/block_variance.hpp"
#include "output/hdf5_file.hpp"
#include "output/result_format.hpp"
#include "output/result_open.hpp"
#include "output/text_table.hpp"

namespace osteosim::output {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr int kAllClinical = engine::kAllClinicalOutcome;

template <class T>
std::vector<T> read_all(hid_t group, const std::string& name) {
  std::vector<hsize_t> dims;
  return h5::read_dataset<T>(group, name, &dims);
}

template <class T>
double total(const std::vector<T>& values) {
  return static_cast<double>(std::accumulate(values.begin(), values.end(), T{}));
}

/// Sums a [...][k] array (k fastest) over everything but its last dimension.
template <class T, std::size_t K>
std::array<double, K> by_last(const std::vector<T>& values) {
  std::array<double, K> out{};
  for (std::size_t i = 0; i < values.size(); ++i) out[i % K] += static_cast<double>(values[i]);
  return out;
}

std::string number(double value, int decimals = 0) {
  if (std::isnan(value)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string with_interval(const McInterval& x, double scale) {
  if (std::isnan(x.low)) return number(x.total * scale);
  return number(x.total * scale) + " (" + number(x.low * scale) + " to " + number(x.high * scale) +
         ")";
}

}  // namespace

std::vector<StrategyComparison> read_strategy_comparisons(const std::string& path) {
  const h5::Handle file = open_result_file(path);
  const h5::Handle strategies = h5::open_group(file.get(), kStrategiesGroup);
  std::vector<StrategyComparison> out;
  std::array<std::int64_t, engine::kOutcomes> comparator_sum{}, comparator_squares{};
  for (const std::string& name : h5::child_groups(strategies.get())) {
    const h5::Handle g = h5::open_group(strategies.get(), name);
    if (!h5::has_link(g.get(), "paired_difference_sum")) return {};
    StrategyComparison c;
    c.name = name;
    c.persons_screened = total(read_all<std::int64_t>(g.get(), "persons_screened"));
    c.screenings = total(read_all<std::int64_t>(g.get(), "screened"));
    c.dxa_scans = total(read_all<std::int64_t>(g.get(), "dxa_scans"));
    c.persons_treated = total(read_all<std::int64_t>(g.get(), "persons_treated"));
    c.treated_person_years =
        by_last<double, model::kDrugs>(read_all<double>(g.get(), "treated_person_years"));
    c.adverse_events =
        by_last<std::int64_t, model::kDrugs>(read_all<std::int64_t>(g.get(), "adverse_events"));
    c.programme_starts = by_last<std::int64_t, model::kProgrammes>(
        read_all<std::int64_t>(g.get(), "programme_starts"));
    const auto blocks = h5::read_attribute<std::int64_t>(g.get(), "blocks");
    const auto d_sum = read_all<std::int64_t>(g.get(), "paired_difference_sum");
    const auto d_squares = read_all<std::int64_t>(g.get(), "paired_difference_sum_squares");
    const auto own_sum = read_all<std::int64_t>(g.get(), "block_fractures_sum");
    const auto own_squares = read_all<std::int64_t>(g.get(), "block_fractures_sum_squares");
    if (out.empty()) {
      std::copy(own_sum.begin(), own_sum.end(), comparator_sum.begin());
      std::copy(own_squares.begin(), own_squares.end(), comparator_squares.begin());
    }
    for (int k = 0; k < engine::kOutcomes; ++k) {
      const McInterval d = block_total_interval(d_sum[k], d_squares[k], blocks);
      c.averted[k] = {-d.total, d.se, -d.high, -d.low};
    }
    const double paired =
        analysis::block_variance(d_sum[kAllClinical], d_squares[kAllClinical], blocks);
    const double independent =
        analysis::block_variance(own_sum[kAllClinical], own_squares[kAllClinical], blocks) +
        analysis::block_variance(comparator_sum[kAllClinical], comparator_squares[kAllClinical],
                                 blocks);
    c.crn_variance_ratio = paired > 0 ? independent / paired : kNan;
    const double averted = c.averted[kAllClinical].total;
    // Only meaningful when the strategy screens (treats) anyone and averts fractures.
    c.number_needed_to_screen =
        averted > 0 && c.persons_screened > 0 ? c.persons_screened / averted : kNan;
    c.number_needed_to_treat =
        averted > 0 && c.persons_treated > 0 ? c.persons_treated / averted : kNan;
    out.push_back(std::move(c));
  }
  return out;
}

void print_comparison(const std::string& path, double persons_per_agent, std::ostream& out) {
  const auto strategies = read_strategy_comparisons(path);
  if (strategies.size() < 2) return;
  out << "\nComparison with '" << strategies.front().name
      << "' (common random numbers; fractures averted with 95% Monte Carlo intervals,\n"
         "population estimates = simulated x persons_per_agent)\n";
  TextTable volumes;
  volumes.add_row(
      {"strategy", "screened", "DXA scans", "treated", "treated py", "adverse ev.", "programmes"});
  for (const auto& c : strategies) {
    volumes.add_row(
        {c.name, number(c.persons_screened), number(c.dxa_scans), number(c.persons_treated),
         number(std::accumulate(c.treated_person_years.begin(), c.treated_person_years.end(), 0.0)),
         number(std::accumulate(c.adverse_events.begin(), c.adverse_events.end(), 0.0)),
         number(std::accumulate(c.programme_starts.begin(), c.programme_starts.end(), 0.0))});
  }
  out << "  Volumes (simulated agents; persons counted once)\n";
  volumes.print(out, "    ");
  TextTable averted;
  std::vector<std::string> head{"strategy"};
  for (auto name : engine::kOutcomeNames) head.emplace_back(name);
  averted.add_row(head);
  for (std::size_t s = 1; s < strategies.size(); ++s) {
    std::vector<std::string> row{strategies[s].name};
    for (const auto& x : strategies[s].averted) row.push_back(with_interval(x, 1));
    averted.add_row(row);
  }
  out << "  Fractures averted (simulated agents)\n";
  averted.print(out, "    ");
  TextTable per_population;
  per_population.add_row(
      {"strategy", "all clinical averted (population)", "NNS", "NNT", "CRN variance ratio"});
  for (std::size_t s = 1; s < strategies.size(); ++s) {
    const auto& c = strategies[s];
    per_population.add_row({c.name, with_interval(c.averted[kAllClinical], persons_per_agent),
                            number(c.number_needed_to_screen, 1),
                            number(c.number_needed_to_treat, 1), number(c.crn_variance_ratio, 1)});
  }
  out << "  Per clinical fracture averted: persons screened (NNS) and treated (NNT)\n";
  per_population.print(out, "    ");
}

}  // namespace osteosim::output
