#pragma once
/// Health economics of one agent: what an event costs, the utility of a year lived at a
/// given age with a given fracture history, and discounting. Pure functions; the engine
/// turns them into tallies. Parameters come from models/<name>/economics.yaml.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/intervention_parameters.hpp"
#include "model/types.hpp"

namespace osteosim::model {

/// Cost categories of the result file's `category` dimension: first the first-year cost of
/// each site that has one, in the site registry's order (hip_first_year,
/// vertebral_first_year, wrist_first_year: silent vertebral fractures cost nothing), then
/// these. Append only.
enum class CostCategory : std::uint8_t {
  /// Sites whose time since fracture is tracked, after the first year.
  fracture_later_years = kFirstYearCostCategories,
  long_term_care,  ///< nursing home after hip fracture
  drugs,
  monitoring,  ///< visits and tests while on treatment
  dxa,
  prescreening,  ///< attendance at a screening invitation (risk tool, visit)
  fall_programmes,
  adverse_events,
  productivity_and_caregiving,  ///< societal perspective only
};
inline constexpr int kCostCategories =
    static_cast<int>(CostCategory::productivity_and_caregiving) + 1;

/// The first-year cost row of a site that has one (site_entry(s).cost_category not empty).
constexpr CostCategory first_year_cost_category(Site s) {
  return static_cast<CostCategory>(first_year_cost_row(s));
}

inline constexpr std::array<std::string_view, kCostCategories> kCostCategoryNames = [] {
  std::array<std::string_view, kCostCategories> names{};
  int row = 0;
  for (const auto& site : kSiteTable) {
    if (!site.cost_category.empty()) names[row++] = site.cost_category;
  }
  for (const std::string_view name :
       {"fracture_later_years", "long_term_care", "drugs", "monitoring", "dxa", "prescreening",
        "fall_programmes", "adverse_events", "productivity_and_caregiving"}) {
    names[row++] = name;
  }
  return names;
}();

enum class Perspective : std::uint8_t { payer = 0, societal };
inline constexpr std::array<std::string_view, 2> kPerspectiveNames{"payer", "societal"};

/// Utility age bands: 50-59, 60-69, 70-79, 80+ (as the published US norms).
inline constexpr int kUtilityBands = 4;
constexpr int utility_band(double age_years) {
  const int band = (static_cast<int>(age_years) - 50) / 10;
  return band < 0 ? 0 : (band >= kUtilityBands ? kUtilityBands - 1 : band);
}

/// Willingness to pay per QALY, in the model's currency: the grid over which net monetary
/// benefit, the CEAC and EVPI are computed (0 to grid_max by grid_step, plus every
/// threshold) and the thresholds a summary shows (e.g. NICE's 20,000 and 30,000 GBP).
struct WillingnessToPay {
  double grid_max_per_qaly = 0;
  double grid_step_per_qaly = 0;
  std::vector<double> thresholds_per_qaly;
};

/// The sorted grid of a WillingnessToPay: multiples of the step up to the maximum, and the
/// thresholds.
std::vector<double> wtp_grid_per_qaly(const WillingnessToPay& wtp);

/// The threshold at which single-number comparisons (the tornado) are made: the middle one
/// (the upper of two), so that a range such as 20,000-30,000 is judged at its top.
double reference_threshold_per_qaly(const WillingnessToPay& wtp);

struct EconomicsParameters {
  Perspective perspective = Perspective::payer;
  std::string currency;  ///< ISO 4217 code of every cost (no default: a model must say)
  int price_year = 2024;
  WillingnessToPay willingness_to_pay;  ///< the model's default; a scenario may replace it
  /// Annual discount rates; discounting is continuous at ln(1 + rate) per year.
  double discount_rate_costs_per_year = 0.03;
  double discount_rate_effects_per_year = 0.03;

  std::array<double, kSites> fracture_first_year_usd{};  ///< at the fracture
  /// Per year alive after the first year (hip and clinical vertebral; others ignored), for
  /// later_years_cost_duration_years after it.
  std::array<double, kSites> fracture_later_years_usd_per_year{};
  double later_years_cost_duration_years = 1;
  /// Long-term care after hip fracture: the share admitted for good times the annual cost,
  /// accrued from the fracture on.
  double nursing_home_share_after_hip = 0;
  double nursing_home_usd_per_year = 0;
  double societal_usd_per_clinical_fracture = 0;  ///< productivity + informal care

  std::array<double, kDrugs> drug_usd_per_year{};
  double monitoring_usd_per_year_on_treatment = 0;
  double dxa_usd = 0;
  double prescreening_usd = 0;
  std::array<double, kProgrammes> programme_usd{};  ///< per agent joining
  double adverse_event_usd = 0;

  std::array<std::array<double, kUtilityBands>, kSexes> baseline_utility{};
  /// Utility multipliers in the year after a fracture and in later years, by site.
  std::array<double, kSites> utility_first_year = for_each_site(1.0);
  std::array<double, kSites> utility_later_years = for_each_site(1.0);
};

/// Discount factor at `t_years` after the start of the run: (1 + rate)^-t.
double discount_factor(double rate_per_year, double t_years);
/// Exact integral of the discount factor over [from, from + length]: the present value of
/// one unit per year received continuously over the interval.
double discounted_duration(double rate_per_year, double from_years, double length_years);

/// Baseline utility (no fracture) at an age.
double baseline_utility(const EconomicsParameters& p, Sex sex, double age_years);

/// An agent's fracture history as the utility needs it: years since the most recent hip and
/// clinical vertebral fracture (the sites with Aftermath::tracked; infinite if none) and the
/// sites ever fractured (Agents::fractured_sites), for the one-off sites (wrist).
struct FractureHistory {
  double years_since_hip = 1e300;
  double years_since_vertebral = 1e300;
  std::uint8_t fractured_sites = 0;
};

/// Quality-adjusted and plain life-years over one segment lived at constant age band.
struct SegmentOutcome {
  double qalys = 0;
  double discounted_qalys = 0;
  double discounted_life_years = 0;
  double later_fracture_cost_usd = 0;  ///< fracture_later_years accrued
  double discounted_later_fracture_cost_usd = 0;
  double long_term_care_usd = 0;
  double discounted_long_term_care_usd = 0;
};

/// Integrates utility and time-dependent costs over [from, from + length] (run time), during
/// which the history ages by the same amount. The segment is split where a fracture passes
/// its first anniversary, so the first-year multiplier applies for exactly one year.
/// Sites with Aftermath::one_off (wrist; their time is not tracked) take their later-years
/// multiplier from the event on; the first-year loss is a one-off (first_year_qaly_loss).
SegmentOutcome segment_outcome(const EconomicsParameters& p, Sex sex, double age_years,
                               double from_years, double length_years,
                               const FractureHistory& history);

/// One-off utility loss of a fracture at a site with Aftermath::one_off (wrist) at
/// `age_years`: a year lived at the first-year instead of the later-years multiplier
/// (assumes survival through that year: these fractures carry no excess mortality in the
/// model). Undiscounted; the caller discounts over the year after the event.
double first_year_qaly_loss(const EconomicsParameters& p, Site site, Sex sex, double age_years);

/// Productivity and informal-care cost of a fracture: clinical fractures under the
/// societal perspective only.
double societal_fracture_cost_usd(const EconomicsParameters& p, Site site);

}  // namespace osteosim::model
