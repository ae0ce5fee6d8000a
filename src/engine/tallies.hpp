#pragma once
/// Counts of one strategy's simulated events, by calendar year, sex, age band and site.
/// Every tally is an integer (person-time in fixed-point ticks), so merging per-thread or
/// per-rank tallies in any order gives bit-identical results.
#include <array>
#include <cstdint>
#include <vector>

#include "model/types.hpp"

namespace osteosim::engine {

/// Person-time is counted in ticks of 2^-30 years (about 0.03 s): exact integer sums.
inline constexpr double kTicksPerYear = 1073741824.0;

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

  explicit Tallies(int n_years = 0)
      : years(n_years),
        fractures(cells_by_site(n_years)),
        first_fractures(cells_by_site(n_years)),
        first_any_fracture(cells(n_years)),
        deaths(cells(n_years)),
        deaths_after_fracture(cells(n_years)),
        population(cells(n_years)),
        falls(cells(n_years)),
        person_time_ticks(cells(n_years)) {}

  template <class Self>  // Tallies or const Tallies
  static auto columns_of(Self& t) {
    return std::array{&t.fractures, &t.first_fractures, &t.first_any_fracture, &t.deaths,
                      &t.deaths_after_fracture, &t.population, &t.falls, &t.person_time_ticks};
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
