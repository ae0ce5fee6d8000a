#include "model/economics.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "model/agents.hpp"  // site_bit

namespace osteosim::model {

namespace {

/// Continuous rate equivalent to an annual discount rate: (1 + r)^-t = exp(-delta t).
double continuous_rate(double rate_per_year) { return std::log1p(rate_per_year); }

/// The sites whose time since fracture is followed are those with a column in Agents and a
/// field in FractureHistory: a new tracked site needs both (and its mortality, if any).
constexpr bool tracked_sites_are_hip_and_clinical_vertebral() {
  for (const auto& row : kSiteTable) {
    const bool has_column = row.site == Site::hip || row.site == Site::clinical_vertebral;
    if ((row.aftermath == Aftermath::tracked) != has_column) return false;
  }
  return true;
}
static_assert(tracked_sites_are_hip_and_clinical_vertebral());

/// Agents::fractured_sites bits of the sites with Aftermath::one_off.
constexpr std::uint8_t kOneOffSiteBits = [] {
  std::uint8_t bits = 0;
  for (const auto& row : kSiteTable)
    bits |= row.aftermath == Aftermath::one_off ? site_bit(row.site) : 0;
  return bits;
}();

/// Product of the later-years multipliers of the one-off sites ever fractured (1 if none).
double one_off_multiplier(const EconomicsParameters& p, std::uint8_t fractured_sites) {
  double multiplier = 1.0;
  if (!(fractured_sites & kOneOffSiteBits)) return multiplier;  // most segments
  for (const auto& row : kSiteTable) {
    if (row.aftermath == Aftermath::one_off && (fractured_sites & site_bit(row.site))) {
      multiplier *= p.utility_later_years[static_cast<int>(row.site)];
    }
  }
  return multiplier;
}

/// Multiplier of one tracked site: first-year value until the first anniversary, then the
/// later-years value; 1 without a fracture.
double site_multiplier(double years_since, double first_year, double later_years) {
  if (years_since >= 1e299) return 1.0;
  return years_since < 1.0 ? first_year : later_years;
}

/// discounted_duration for a rate whose continuous equivalent `delta` is known: the same
/// expressions, so the same value bit for bit.
double discounted_duration_at(double delta, double from_years, double length_years) {
  // Below ~1e-12 the closed form loses all digits to cancellation; the limit is the length
  // (times the discount factor at the start, exp(-delta a) = (1 + rate)^-a).
  if (delta * length_years < 1e-12) return length_years * std::exp(-delta * from_years);
  // integral_a^b exp(-delta t) dt = exp(-delta a) (1 - exp(-delta L)) / delta
  return std::exp(-delta * from_years) * -std::expm1(-delta * length_years) / delta;
}

/// discounted_duration with a per-thread cache of recent arguments. The segments of a step
/// mostly start at the step's start and last the whole step, for every agent of a block
/// alike, so most calls repeat an earlier one: a pure function's cached value. A few
/// direct-mapped slots keep the common arguments when agents with split segments come
/// between them.
class DiscountCache {
 public:
  double operator()(double rate_per_year, double from_years, double length_years) {
    if (!(rate_per_year == rate_)) {
      *this = DiscountCache{};
      rate_ = rate_per_year;
      delta_ = continuous_rate(rate_per_year);
    }
    Slot& slot = slots_[slot_of(from_years, length_years)];
    if (!(slot.from == from_years && slot.length == length_years)) {
      slot = {from_years, length_years, discounted_duration_at(delta_, from_years, length_years)};
    }
    return slot.value;
  }

 private:
  static constexpr int kSlots = 16;
  struct Slot {
    double from = std::numeric_limits<double>::quiet_NaN();  // NaN: empty
    double length = 0;
    double value = 0;
  };
  static std::size_t slot_of(double from, double length) {
    constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ull;  // Fibonacci hashing
    const std::uint64_t bits =
        std::bit_cast<std::uint64_t>(from) ^ (std::bit_cast<std::uint64_t>(length) * kGolden);
    return static_cast<std::size_t>((bits * kGolden) >> 60);  // 16 slots
  }
  double rate_ = std::numeric_limits<double>::quiet_NaN();
  double delta_ = 0;
  std::array<Slot, kSlots> slots_{};
};

}  // namespace

double discount_factor(double rate_per_year, double t_years) {
  return std::exp(-continuous_rate(rate_per_year) * t_years);
}

double discounted_duration(double rate_per_year, double from_years, double length_years) {
  return discounted_duration_at(continuous_rate(rate_per_year), from_years, length_years);
}

std::vector<double> wtp_grid_per_qaly(const WillingnessToPay& wtp) {
  std::vector<double> grid = wtp.thresholds_per_qaly;
  if (wtp.grid_step_per_qaly > 0) {
    for (int k = 0; k * wtp.grid_step_per_qaly <= wtp.grid_max_per_qaly; ++k) {
      grid.push_back(k * wtp.grid_step_per_qaly);
    }
  }
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  return grid;
}

double reference_threshold_per_qaly(const WillingnessToPay& wtp) {
  const auto& t = wtp.thresholds_per_qaly;
  return t.empty() ? 0 : t[t.size() / 2];
}

double baseline_utility(const EconomicsParameters& p, Sex sex, double age_years) {
  return p.baseline_utility[static_cast<int>(sex)][utility_band(age_years)];
}

SegmentOutcome segment_outcome(const EconomicsParameters& p, Sex sex, double age_years,
                               double from_years, double length_years,
                               const FractureHistory& history) {
  SegmentOutcome out;
  const double u0 = baseline_utility(p, sex, age_years);
  const double rc = p.discount_rate_costs_per_year;
  const double re = p.discount_rate_effects_per_year;
  const int hip = static_cast<int>(Site::hip);
  const int vert = static_cast<int>(Site::clinical_vertebral);
  const double once_multiplier = one_off_multiplier(p, history.fractured_sites);

  thread_local DiscountCache effects_cache, costs_cache;
  // No tracked fracture (the common case): one piece at the baseline utility, with the
  // very operations of the general loop below (u * 1 * 1 == u, 0 + x == x for x >= 0).
  if (history.years_since_hip >= 1e299 && history.years_since_vertebral >= 1e299) {
    if (!(length_years > 0)) return out;
    const double utility = u0 * once_multiplier;
    const double d_effects = effects_cache(re, from_years, length_years);
    out.qalys = utility * length_years;
    out.discounted_qalys = utility * d_effects;
    out.discounted_life_years = d_effects;
    return out;
  }
  // Sub-segments end where a tracked fracture turns one year old.
  double t = 0;
  while (t < length_years) {
    const double since_hip = history.years_since_hip + t;
    const double since_vert = history.years_since_vertebral + t;
    double end = length_years;
    const double later_end = 1.0 + p.later_years_cost_duration_years;
    for (const double s : {since_hip, since_vert}) {
      if (s < 1.0)
        end = std::min(end, t + (1.0 - s));
      else if (s < later_end)
        end = std::min(end, t + (later_end - s));
    }
    const double piece = end - t;
    const double start = from_years + t;
    const double utility =
        u0 * once_multiplier *
        site_multiplier(since_hip, p.utility_first_year[hip], p.utility_later_years[hip]) *
        site_multiplier(since_vert, p.utility_first_year[vert], p.utility_later_years[vert]);
    const double d_effects = effects_cache(re, start, piece);
    const double d_costs = rc == re ? d_effects : costs_cache(rc, start, piece);
    out.qalys += utility * piece;
    out.discounted_qalys += utility * d_effects;
    out.discounted_life_years += d_effects;

    double later_cost_per_year = 0;
    const auto in_later_years = [&](double s) { return s >= 1.0 && s < later_end; };
    if (in_later_years(since_hip)) later_cost_per_year += p.fracture_later_years_usd_per_year[hip];
    if (in_later_years(since_vert))
      later_cost_per_year += p.fracture_later_years_usd_per_year[vert];
    out.later_fracture_cost_usd += later_cost_per_year * piece;
    out.discounted_later_fracture_cost_usd += later_cost_per_year * d_costs;
    if (since_hip < 1e299) {
      const double care = p.nursing_home_share_after_hip * p.nursing_home_usd_per_year;
      out.long_term_care_usd += care * piece;
      out.discounted_long_term_care_usd += care * d_costs;
    }
    t = end;
  }
  return out;
}

double first_year_qaly_loss(const EconomicsParameters& p, Site site, Sex sex, double age_years) {
  const auto s = static_cast<std::size_t>(site);
  return baseline_utility(p, sex, age_years) * (p.utility_later_years[s] - p.utility_first_year[s]);
}

double societal_fracture_cost_usd(const EconomicsParameters& p, Site site) {
  if (p.perspective != Perspective::societal || !is_clinical(site)) return 0;
  return p.societal_usd_per_clinical_fracture;
}

}  // namespace osteosim::model
