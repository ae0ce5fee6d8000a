#pragma once
/// The name and shape of every tally column, in the order of Tallies::columns(): for
/// reports that must show every number by name (the golden digests of tests/regression),
/// so that a column added to Tallies cannot be left out of them silently. Kept out of
/// tallies.hpp, which most of the engine includes, since only such reports need it.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/tallies.hpp"

namespace osteosim::engine {

/// What a column's outer index runs over (the inner index follows it, fastest).
enum class TallySpan : std::uint8_t {
  cell,  ///< [year][sex][age_band]
  year,  ///< [year]
  run,   ///< nothing: the inner index alone (block statistics)
};

struct TallyColumn {
  std::string_view name;
  std::vector<std::int64_t> Tallies::*member;
  TallySpan span;
  /// Names of the inner index (sites, drugs, ...); empty: one number per outer index.
  std::span<const std::string_view> inner;

  /// Numbers the column holds in a run of `years` years.
  std::size_t size(int years) const {
    const std::size_t outer = span == TallySpan::cell   ? Tallies::cells(years)
                              : span == TallySpan::year ? static_cast<std::size_t>(years)
                                                        : 1;
    return outer * (inner.empty() ? 1 : inner.size());
  }
};

/// Same order as Tallies::columns_of; the member pointers let a reader check it.
inline constexpr std::array kTallyColumns{
    TallyColumn{"fractures", &Tallies::fractures, TallySpan::cell, model::kSiteNames},
    TallyColumn{"first_fractures", &Tallies::first_fractures, TallySpan::cell, model::kSiteNames},
    TallyColumn{"first_any_fracture", &Tallies::first_any_fracture, TallySpan::cell, {}},
    TallyColumn{"deaths", &Tallies::deaths, TallySpan::cell, {}},
    TallyColumn{"deaths_after_fracture", &Tallies::deaths_after_fracture, TallySpan::cell, {}},
    TallyColumn{"population", &Tallies::population, TallySpan::cell, {}},
    TallyColumn{"falls", &Tallies::falls, TallySpan::cell, {}},
    TallyColumn{"person_time_ticks", &Tallies::person_time_ticks, TallySpan::cell, {}},
    TallyColumn{"screened", &Tallies::screened, TallySpan::cell, {}},
    TallyColumn{"persons_screened", &Tallies::persons_screened, TallySpan::cell, {}},
    TallyColumn{"dxa_scans", &Tallies::dxa_scans, TallySpan::cell, {}},
    TallyColumn{"persons_treated", &Tallies::persons_treated, TallySpan::cell, {}},
    TallyColumn{"treatment_starts", &Tallies::treatment_starts, TallySpan::cell, model::kDrugNames},
    TallyColumn{"treated_time_ticks", &Tallies::treated_time_ticks, TallySpan::cell,
                model::kDrugNames},
    TallyColumn{"adverse_events", &Tallies::adverse_events, TallySpan::cell, model::kDrugNames},
    TallyColumn{"programme_starts", &Tallies::programme_starts, TallySpan::cell,
                model::kProgrammeNames},
    TallyColumn{"blocks", &Tallies::blocks, TallySpan::run, {}},
    TallyColumn{"block_fractures_sum", &Tallies::block_fractures_sum, TallySpan::run,
                kOutcomeNames},
    TallyColumn{"block_fractures_sum_squares", &Tallies::block_fractures_sum_squares,
                TallySpan::run, kOutcomeNames},
    TallyColumn{"paired_difference_sum", &Tallies::paired_difference_sum, TallySpan::run,
                kOutcomeNames},
    TallyColumn{"paired_difference_sum_squares", &Tallies::paired_difference_sum_squares,
                TallySpan::run, kOutcomeNames},
    TallyColumn{"cost_ticks", &Tallies::cost_ticks, TallySpan::year, model::kCostCategoryNames},
    TallyColumn{"discounted_cost_ticks", &Tallies::discounted_cost_ticks, TallySpan::year,
                model::kCostCategoryNames},
    TallyColumn{"qaly_ticks", &Tallies::qaly_ticks, TallySpan::year, {}},
    TallyColumn{"discounted_qaly_ticks", &Tallies::discounted_qaly_ticks, TallySpan::year, {}},
    TallyColumn{
        "discounted_life_year_ticks", &Tallies::discounted_life_year_ticks, TallySpan::year, {}},
    TallyColumn{
        "paired_cost_difference_sum", &Tallies::paired_cost_difference_sum, TallySpan::run, {}},
    TallyColumn{"paired_cost_difference_sum_squares",
                &Tallies::paired_cost_difference_sum_squares,
                TallySpan::run,
                {}},
    TallyColumn{
        "paired_qaly_difference_sum", &Tallies::paired_qaly_difference_sum, TallySpan::run, {}},
    TallyColumn{"paired_qaly_difference_sum_squares",
                &Tallies::paired_qaly_difference_sum_squares,
                TallySpan::run,
                {}},
    TallyColumn{"paired_cost_qaly_difference_sum_products",
                &Tallies::paired_cost_qaly_difference_sum_products,
                TallySpan::run,
                {}},
};

static_assert(kTallyColumns.size() ==
                  std::tuple_size_v<decltype(Tallies::columns_of(std::declval<Tallies&>()))>,
              "a column was added to Tallies::columns_of: name it in kTallyColumns too");

/// True if kTallyColumns walks the columns of `t` in the order of Tallies::columns(), each
/// of the size its layout says (the static_assert above only sees the count).
inline bool tally_layout_matches(const Tallies& t) {
  const auto columns = t.columns();
  for (std::size_t c = 0; c < kTallyColumns.size(); ++c) {
    const TallyColumn& layout = kTallyColumns[c];
    if (&(t.*layout.member) != columns[c] || columns[c]->size() != layout.size(t.years)) {
      return false;
    }
  }
  return true;
}

}  // namespace osteosim::engine
