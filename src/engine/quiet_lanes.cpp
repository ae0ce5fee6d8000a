#include "engine/quiet_lanes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/philox_lanes.hpp"
#include "engine/rng.hpp"
#include "model/falls.hpp"

// glibc declares the vector variants of its maths functions (libmvec: _ZGVeN8v_exp, ...)
// only under -ffast-math, which this project cannot use (it relies on infinities). This
// declaration lets the `omp simd` loops below call them; the file is built with
// -fno-math-errno (CMakeLists.txt), as vector maths sets no errno.
extern "C" {
#pragma omp declare simd notinbranch
double exp(double);
}

namespace osteosim::engine {

namespace {

/// Twice the general step's margin (model/event_clock.hpp): covers the last-bit
/// differences between this bound and exact arithmetic, and segments of 1e-12 years that
/// rounding may add at a breakpoint.
constexpr double kQuietMargin = 2e-9;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::size_t lane_of(Eigen::Index i) { return static_cast<std::size_t>(i); }

/// Years from an event to `now`; +inf for an event that never happened.
double years_since(double now, double time_of_event) {
  return time_of_event == model::kNever ? kInf : now - time_of_event;
}

}  // namespace

void LaneEffects::reset(Eigen::Index size) {
  for (auto& column : fracture_rr) column.assign(lane_of(size), 1.0);
  fall_rate_multiplier.assign(lane_of(size), 1.0);
}

void LaneEffects::set(Eigen::Index i, const model::InterventionEffects& effects) {
  for (std::size_t k = 0; k < fracture_rr.size(); ++k) {
    fracture_rr[k][lane_of(i)] = effects.fracture_rr[k];
  }
  fall_rate_multiplier[lane_of(i)] = effects.fall_rate_multiplier;
}

model::InterventionEffects LaneEffects::get(Eigen::Index i) const {
  model::InterventionEffects effects;
  for (std::size_t k = 0; k < fracture_rr.size(); ++k) {
    effects.fracture_rr[k] = fracture_rr[k][lane_of(i)];
  }
  effects.fall_rate_multiplier = fall_rate_multiplier[lane_of(i)];
  return effects;
}

QuietLanes::QuietLanes(const model::ModelParameters& params, Eigen::Index capacity)
    : params_(params) {
  for (std::size_t k = 0; k < risk_factor_product_.size(); ++k) {
    for (std::size_t bits = 0; bits < kRiskFactorCombinations; ++bits) {
      double product = 1;
      for (std::size_t f = 0; f < params.risk_factors.size(); ++f) {
        if ((bits >> f) & 1u) product *= params.risk_factors[f].rr[k];
      }
      risk_factor_product_[k][bits] = product;
    }
    fall_share_[k] = params.fractures.site[k].fall_share;
  }
  std::vector<std::vector<double>*> columns{
      &verdict_, &fall_rate_multiplier_, &male_,           &bmd_g_cm2_,
      &bmd_mean_g_cm2_,    &bmd_sd_g_cm2_,   &background_death_per_year_,
      &mean_fall_rate_per_year_, &years_since_fall_, &years_since_fracture_,
      &years_since_hip_,   &years_since_vertebral_, &prior_fracture_rr_,
      &death_rr_,          &clock_uniform_};
  for (auto& column : fall_rate_per_year_) columns.push_back(&column);
  for (std::size_t k = 0; k < incidence_per_year_.size(); ++k) {
    columns.push_back(&incidence_per_year_[k]);
    columns.push_back(&mean_relative_risk_[k]);
    columns.push_back(&risk_factor_rr_[k]);
  }
  for (auto* column : columns) column->assign(lane_of(capacity), 0.0);
  row_.assign(lane_of(capacity), 0);
  agent_id_.assign(lane_of(capacity), 0);
  quiet_.assign(lane_of(capacity), 0);
}

int QuietLanes::gather(model::StepContext& context, const model::StepTime& time,
                       const model::Agents& agents, Eigen::Index size,
                       const LaneEffects& effects, std::uint64_t first_id,
                       std::uint64_t scalar_below) {
  const double now = time.start_years;
  std::size_t lane = 0;
  for (Eigen::Index i = 0; i < size; ++i) {
    const std::uint64_t id = first_id + static_cast<std::uint64_t>(i);
    if (!agents.alive[i] || id < scalar_below) continue;
    row_[lane] = i;
    agent_id_[lane] = id;
    // The general step's rates: the age/sex rates at mid-step (model::AgeRates).
    const model::AgeRates& rates =
        context.age_rates(agents.sex_of(i), agents.age_years[i] + 0.5 * time.length_years);
    male_[lane] = agents.sex_of(i) == model::Sex::male ? 1.0 : 0.0;
    bmd_g_cm2_[lane] = agents.bmd_g_cm2[i];
    bmd_mean_g_cm2_[lane] = rates.fracture.bmd_mean_g_cm2;
    bmd_sd_g_cm2_[lane] = rates.fracture.bmd_sd_g_cm2;
    background_death_per_year_[lane] = rates.background_death_per_year;
    for (std::size_t fell = 0; fell < fall_rate_per_year_.size(); ++fell) {
      fall_rate_per_year_[fell][lane] = rates.fall_rate_per_year[fell];
    }
    mean_fall_rate_per_year_[lane] = rates.mean_fall_rate_per_year;
    const auto bits = static_cast<std::size_t>(agents.risk_factors[i]);
    for (std::size_t k = 0; k < incidence_per_year_.size(); ++k) {
      incidence_per_year_[k][lane] = rates.fracture.incidence_per_year[k];
      mean_relative_risk_[k][lane] = rates.fracture.mean_relative_risk[k];
      // Treatment multiplies the hazard like a risk factor.
      risk_factor_rr_[k][lane] = risk_factor_product_[k][bits] * effects.fracture_rr[k][lane_of(i)];
    }
    fall_rate_multiplier_[lane] = effects.fall_rate_multiplier[lane_of(i)];
    years_since_fall_[lane] = years_since(now, agents.time_of_last_fall[i]);
    years_since_fracture_[lane] = years_since(now, agents.time_of_last_fracture[i]);
    years_since_hip_[lane] = years_since(now, agents.time_of_last_hip_fracture[i]);
    years_since_vertebral_[lane] =
        years_since(now, agents.time_of_last_clinical_vertebral_fracture[i]);
    ++lane;
  }
  return static_cast<int>(lane);
}

void QuietLanes::draw_clock_uniforms(const LaneRandom& random, int lanes) {
  // The clock's uniform is word 0 of the agent's first events quad (model/step.cpp).
  const std::uint32_t stream_word = static_cast<std::uint32_t>(model::Stream::events) << 24;
  const std::uint64_t* const id = agent_id_.data();
  double* const clock = clock_uniform_.data();
  const std::uint32_t step = random.step;  // locals: the loop reads no struct
  const std::uint32_t seed = random.seed;
  const std::uint32_t psa_draw = random.psa_draw;
#pragma omp simd
  for (int i = 0; i < lanes; ++i) {
    const auto words = philox4x32_10(static_cast<std::uint32_t>(id[i]),
                                     static_cast<std::uint32_t>(id[i] >> 32), step, stream_word,
                                     seed, psa_draw);
    clock[i] = to_open_unit(words[0]);
  }
}

void QuietLanes::raise_to_table_maximum(const model::AgeTable& table,
                                        const std::vector<double>& since, double dt, int lanes,
                                        std::vector<double>& largest) const {
  // Row r holds for keys in [key_r, key_r+1) (row 0 also below key_0, the last row
  // beyond its key): it counts when that interval meets [since, since + dt].
  const std::size_t rows = table.keys.size();
  const double* const from = since.data();
  double* const out = largest.data();
  for (std::size_t r = 0; r < rows; ++r) {
    const double low = r == 0 ? -kInf : table.keys[r];
    const double high = r + 1 == rows ? kInf : table.keys[r + 1];
    const double female_value = table.values[0][r];
    const double male_value = table.values[1][r];
    const double* const male = male_.data();
#pragma omp simd
    for (int i = 0; i < lanes; ++i) {
      const bool meets = from[i] < kInf && high > from[i] && low <= from[i] + dt;
      const double value = male[i] > 0 ? male_value : female_value;
      out[i] = meets && value > out[i] ? value : out[i];
    }
  }
}

void QuietLanes::classify(model::StepContext& context, const model::StepTime& time,
                          const model::Agents& agents, Eigen::Index size,
                          const LaneEffects& effects, const LaneRandom& random,
                          std::uint64_t scalar_below) {
  std::fill_n(quiet_.begin(), size, std::uint8_t{0});
  // Lanes are the candidates (alive, not sampled), packed: the dead take no lane.
  const int lanes = gather(context, time, agents, size, effects, random.first_id, scalar_below);
  const double dt = time.length_years;
  draw_clock_uniforms(random, lanes);

  // Relative risks that change with time since a fracture: their largest value within
  // the step (1 without that fracture). The excess death hazard uses the larger of the
  // post-hip and post-vertebral RRs, never below 1 (model/mortality.hpp).
  std::fill_n(death_rr_.begin(), lanes, 1.0);
  raise_to_table_maximum(params_.mortality.rr_after_hip_fracture, years_since_hip_, dt, lanes,
                         death_rr_);
  raise_to_table_maximum(params_.mortality.rr_after_vertebral_fracture, years_since_vertebral_,
                         dt, lanes, death_rr_);
  std::fill_n(prior_fracture_rr_.begin(), lanes, -kInf);
  raise_to_table_maximum(params_.fractures.rr_by_years_since_fracture, years_since_fracture_, dt,
                         lanes, prior_fracture_rr_);

  // The bound on the integrated hazard, with the general step's hazards (model/step.cpp:
  // event_hazards): background and excess death, falls without fracture, and each
  // process after and without a fall; the fall rate is the agent's until its fall history
  // ends (`fall_history_end` into the step), then the rate without a recent fall.
  const model::FractureConstants& constants = context.fracture_constants();
  const double* const bmd = bmd_g_cm2_.data();
  const double* const bmd_mean = bmd_mean_g_cm2_.data();
  const double* const bmd_sd = bmd_sd_g_cm2_.data();
  const double* const death = background_death_per_year_.data();
  const double* const death_rr = death_rr_.data();
  const double* const prior_rr = prior_fracture_rr_.data();
  const double* const since_fall = years_since_fall_.data();
  const double* const rate_without_fall = fall_rate_per_year_[0].data();
  const double* const rate_after_fall = fall_rate_per_year_[1].data();
  const double* const mean_fall = mean_fall_rate_per_year_.data();
  const double* const fall_multiplier = fall_rate_multiplier_.data();
  const double* const clock = clock_uniform_.data();
  double* const verdict = verdict_.data();
#pragma omp simd
  for (int i = 0; i < lanes; ++i) {
    const double z = (bmd[i] - bmd_mean[i]) / bmd_sd[i];
    const double prior = prior_rr[i] > -kInf ? prior_rr[i] : 1.0;
    // Fracture hazards per year before the fall split; after-fall and without-fall sums
    // for a fall-rate ratio of 1.
    double after_fall = 0;
    double without_fall = 0;
    for (std::size_t k = 0; k < model::kFractureProcesses; ++k) {
      const model::BmdGradient& gradient = constants.bmd_gradient[k];
      const double bmd_rr = std::exp(-gradient.log_rr * z - gradient.half_log_rr_squared);
      const double hazard = incidence_per_year_[k][lane_of(i)] * prior *
                            (bmd_rr * risk_factor_rr_[k][lane_of(i)]) /
                            mean_relative_risk_[k][lane_of(i)];
      after_fall += hazard * fall_share_[k];
      without_fall += hazard * (1 - fall_share_[k]);
    }
    const double death_hazard = death[i] + death[i] * (death_rr[i] - 1);
    const auto total = [&](double fall_rate) {
      const double ratio = mean_fall[i] > 0 ? fall_rate / mean_fall[i] : 1.0;
      return death_hazard + std::max(fall_rate, after_fall * ratio) + without_fall;
    };
    const double fall_history_end = std::clamp(model::kFallHistoryYears - since_fall[i], 0.0, dt);
    const double bound = total(rate_after_fall[i] * fall_multiplier[i]) * fall_history_end +
                         total(rate_without_fall[i] * fall_multiplier[i]) * (dt - fall_history_end);
    verdict[i] = bound + kQuietMargin < 1 - clock[i] ? 1.0 : 0.0;
  }
  for (int i = 0; i < lanes; ++i) quiet_[lane_of(row_[lane_of(i)])] = verdict[i] > 0;
}

}  // namespace osteosim::engine
