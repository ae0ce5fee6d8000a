#pragma once
/// Counts of one strategy's simulated events, by calendar year, sex, age band and site.
/// Every tally is an integer (person-time in fixed-point ticks), so merging per-thread or
/// per-rank tallies in any order gives bit-identical results.
#include <array>
#include <cstdint>
#include <vector>
#include <string_view>

#include "model/economics.hpp"
#include "model/intervention_parameters.hpp"
#include "model/types.hpp"

namespace osteosim::engine {

/// Person-time is counted in ticks of 2^-30 years (about 0.03 s): exact integer sums.
inline constexpr double kTicksPerYear = 1073741824.0;

/// `x` rounded to the nearest integer, halves away from zero: std::llround's value for
/// |x| < 2^63, without its library call (it sits on every segment of the event loop).
/// The fractional part x - trunc(x) of a double is exact, so the comparison is exact too.
constexpr std::int64_t round_to_ticks(double x) {
  const auto whole = static_cast<std::int64_t>(x);
  const double rest = x - static_cast<double>(whole);
  return whole + (rest >= 0.5 ? 1 : 0) - (rest <= -0.5 ? 1 : 0);
}
/// Costs are counted in ticks of 10^-4 USD: exact integer sums up to ~10^14 USD.
inline constexpr double kCostTicksPerUsd = 1e4;
/// Block statistics of the economics use coarser units so that squares fit in 64 bits.
inline constexpr double kBlockUsdUnit = 1.0;
inline constexpr double kBlockQalyUnit = 1e-4;

/// Outcomes compared between strategies block by block: the fracture sites and all
/// clinical fractures together (its variance needs the covariance of the sites, so it is
/// accumulated on its own).
inline constexpr int kOutcomes = model::kSites + 1;
inline constexpr int kAllClinicalOutcome = model::kSites;  ///< index of all_clinical
inline constexpr std::array<std::string_view, kOutcomes> kOutcomeNames = [] {
  std::array<std::string_view, kOutcomes> names{};
  for (int s = 0; s < model::kSites; ++s) names[s] = model::kSiteNames[s];
  names[kAllClinicalOutcome] = "all_clinical";
  return names;
}();

struct Tallies {
  int years = 0;
  /// [year][sex][age_band][site] (row-major, site fastest)
  std::vector<std::int64_t> fractures;        ///< all fractures
  std::vector<std::int64_t> first_fractures;  ///< an agent's first fracture at that site
  /// [year][sex][age_band]
  std::vector<std::int64_t> first_any_fracture;  ///< first clinical fracture at any site
  std::vector<std::int64_t> deaths;              ///< all deaths
  std::vector<std::int64_t> deaths_after_fracture;  ///< deaths drawn from post-fracture excess hazard
  std::vector<std::int64_t> population;          ///< alive at the start of the year (by age then)
  std::vector<std::int64_t> falls;               ///< falls (with or without fracture)
  std::vector<std::int64_t> person_time_ticks;   ///< person-time alive, kTicksPerYear per year

  // Interventions, [year][sex][age_band]:
  std::vector<std::int64_t> screened;          ///< attendances at a screening invitation
  std::vector<std::int64_t> persons_screened;  ///< first attendance of an agent
  std::vector<std::int64_t> dxa_scans;
  std::vector<std::int64_t> persons_treated;   ///< first treatment start of an agent
  /// [year][sex][age_band][drug]
  std::vector<std::int64_t> treatment_starts;  ///< courses started
  std::vector<std::int64_t> treated_time_ticks;  ///< time on the drug, kTicksPerYear per year
  std::vector<std::int64_t> adverse_events;    ///< serious adverse events on the drug
  /// [year][sex][age_band][programme]
  std::vector<std::int64_t> programme_starts;  ///< agents joining a community programme

  // Economics: [year][cost category] in kCostTicksPerUsd, and [year] in kTicksPerYear.
  std::vector<std::int64_t> cost_ticks;
  std::vector<std::int64_t> discounted_cost_ticks;
  std::vector<std::int64_t> qaly_ticks;
  std::vector<std::int64_t> discounted_qaly_ticks;
  std::vector<std::int64_t> discounted_life_year_ticks;

  // Block statistics for Monte Carlo intervals: blocks of agents are independent
  // replicates, so the variance of a total is (blocks) x (variance of a block's count).
  // Integer sums (of counts and squared counts), so any merge order gives the same bits.
  std::vector<std::int64_t> blocks;  ///< [1] blocks counted
  std::vector<std::int64_t> block_fractures_sum;          ///< [outcome]
  std::vector<std::int64_t> block_fractures_sum_squares;  ///< [outcome]
  /// [outcome] block by block: this strategy's count minus the first strategy's (paired,
  /// common random numbers)
  std::vector<std::int64_t> paired_difference_sum;
  std::vector<std::int64_t> paired_difference_sum_squares;
  /// [1] block by block, discounted total cost (kBlockUsdUnit) and QALYs (kBlockQalyUnit)
  /// minus the first strategy's: the Monte Carlo error of incremental costs and QALYs.
  std::vector<std::int64_t> paired_cost_difference_sum;
  std::vector<std::int64_t> paired_cost_difference_sum_squares;
  std::vector<std::int64_t> paired_qaly_difference_sum;
  std::vector<std::int64_t> paired_qaly_difference_sum_squares;
  /// [1] block by block, the product of the two differences above: their covariance makes
  /// the Monte Carlo error of an incremental net benefit (lambda x QALYs - cost).
  std::vector<std::int64_t> paired_cost_qaly_difference_sum_products;

  explicit Tallies(int n_years = 0)
      : years(n_years),
        fractures(cells_by_site(n_years)),
        first_fractures(cells_by_site(n_years)),
        first_any_fracture(cells(n_years)),
        deaths(cells(n_years)),
        deaths_after_fracture(cells(n_years)),
        population(cells(n_years)),
        falls(cells(n_years)),
        person_time_ticks(cells(n_years)),
        screened(cells(n_years)),
        persons_screened(cells(n_years)),
        dxa_scans(cells(n_years)),
        persons_treated(cells(n_years)),
        treatment_starts(cells(n_years) * model::kDrugs),
        treated_time_ticks(cells(n_years) * model::kDrugs),
        adverse_events(cells(n_years) * model::kDrugs),
        programme_starts(cells(n_years) * model::kProgrammes),
        cost_ticks(static_cast<std::size_t>(n_years) * model::kCostCategories),
        discounted_cost_ticks(static_cast<std::size_t>(n_years) * model::kCostCategories),
        qaly_ticks(static_cast<std::size_t>(n_years)),
        discounted_qaly_ticks(static_cast<std::size_t>(n_years)),
        discounted_life_year_ticks(static_cast<std::size_t>(n_years)),
        blocks(1),
        block_fractures_sum(kOutcomes),
        block_fractures_sum_squares(kOutcomes),
        paired_difference_sum(kOutcomes),
        paired_difference_sum_squares(kOutcomes),
        paired_cost_difference_sum(1),
        paired_cost_difference_sum_squares(1),
        paired_qaly_difference_sum(1),
        paired_qaly_difference_sum_squares(1),
        paired_cost_qaly_difference_sum_products(1) {}

  template <class Self>  // Tallies or const Tallies
  static auto columns_of(Self& t) {
    return std::array{&t.fractures, &t.first_fractures, &t.first_any_fracture, &t.deaths,
                      &t.deaths_after_fracture, &t.population, &t.falls, &t.person_time_ticks,
                      &t.screened, &t.persons_screened, &t.dxa_scans, &t.persons_treated,
                      &t.treatment_starts, &t.treated_time_ticks, &t.adverse_events,
                      &t.programme_starts, &t.blocks, &t.block_fractures_sum,
                      &t.block_fractures_sum_squares, &t.paired_difference_sum,
                      &t.paired_difference_sum_squares, &t.cost_ticks, &t.discounted_cost_ticks,
                      &t.qaly_ticks, &t.discounted_qaly_ticks, &t.discounted_life_year_ticks,
                      &t.paired_cost_difference_sum, &t.paired_cost_difference_sum_squares,
                      &t.paired_qaly_difference_sum, &t.paired_qaly_difference_sum_squares,
                      &t.paired_cost_qaly_difference_sum_products};
  }

  static std::size_t cells(int n_years) {
    return static_cast<std::size_t>(n_years) * model::kSexes * model::kAgeBands;
  }
  static std::size_t cells_by_site(int n_years) { return cells(n_years) * model::kSites; }

  static std::size_t index(int year, model::Sex sex, int band) {
    return (static_cast<std::size_t>(year) * model::kSexes + static_cast<int>(sex)) *
               model::kAgeBands + band;
  }
  static std::size_t index(int year, model::Sex sex, int band, model::Site site) {
    return index(year, sex, band) * model::kSites + static_cast<int>(site);
  }
  static std::size_t index(int year, model::Sex sex, int band, model::Drug drug) {
    return index(year, sex, band) * model::kDrugs + static_cast<int>(drug);
  }
  static std::size_t index(int year, model::Sex sex, int band, model::Programme programme) {
    return index(year, sex, band) * model::kProgrammes + static_cast<int>(programme);
  }

  /// Every tally column, in a fixed order. merge() and the checkpoint file both walk this
  /// list, so a tally added here is merged and checkpointed without further edits.
  auto columns() { return columns_of(*this); }
  auto columns() const { return columns_of(*this); }

  /// Sets every count to zero, keeping the shape.
  void clear();

  /// Adds another strategy-compatible tally (same years) into this one.
  void merge(const Tallies& other);
};

}  // namespace osteosim::engine
