#include "engine/economics_recorder.hpp"

#include <cmath>

namespace osteosim::engine {

using model::CostCategory;

namespace {

double since(double now, double time_of_event) {
  return time_of_event == model::kNever ? 1e300 : now - time_of_event;
}

std::size_t cost_cell(int year, CostCategory category) {
  return static_cast<std::size_t>(year) * model::kCostCategories + static_cast<int>(category);
}

}  // namespace

EconomicsRecorder::EconomicsRecorder(const model::EconomicsParameters& params,
                                     model::EventRecorder& inner, Tallies& tallies, int year,
                                     const model::StepTime& time, const model::Agents& agents,
                                     Eigen::Index i)
    : params_(params),
      inner_(inner),
      tallies_(tallies),
      year_(year),
      step_start_(time.start_years),
      step_length_(time.length_years),
      age_at_start_(agents.age_years[i]),
      agents_(agents),
      i_(i) {}

void EconomicsRecorder::cost(CostCategory category, double usd, double discounted_usd) {
  if (usd == 0 && discounted_usd == 0) return;  // most segments: adding 0 ticks changes nothing
  tallies_.cost_ticks[cost_cell(year_, category)] += round_to_ticks(usd * kCostTicksPerUsd);
  tallies_.discounted_cost_ticks[cost_cell(year_, category)] +=
      round_to_ticks(discounted_usd * kCostTicksPerUsd);
}

void EconomicsRecorder::cost_at(CostCategory category, double usd, double at_years) {
  if (usd == 0) return;
  cost(category, usd, usd * model::discount_factor(params_.discount_rate_costs_per_year, at_years));
}

void EconomicsRecorder::person_time(double age_years, double years) {
  inner_.person_time(age_years, years);
  const int band = model::utility_band(age_years);
  if (holding_ && band == held_band_) return;  // the held segment goes on
  const double from = age_years - age_at_start_;
  integrate_held_until(from);
  // The model reports person-time before it applies the event that ends the segment, so
  // the history read here is the one that holds from here to the next fracture.
  const double from_years = time_at(age_years);
  held_history_.years_since_hip = since(from_years, agents_.time_of_last_hip_fracture[i_]);
  held_history_.years_since_vertebral =
      since(from_years, agents_.time_of_last_clinical_vertebral_fracture[i_]);
  held_history_.fractured_sites = agents_.fractured_sites[i_];
  holding_ = true;
  held_from_ = from;
  held_age_ = age_years;
  held_band_ = band;
}

void EconomicsRecorder::integrate_held_until(double until) {
  if (!holding_) return;
  holding_ = false;
  const model::SegmentOutcome o =
      model::segment_outcome(params_, agents_.sex_of(i_), held_age_, step_start_ + held_from_,
                             until - held_from_, held_history_);
  const auto y = static_cast<std::size_t>(year_);
  tallies_.qaly_ticks[y] += round_to_ticks(o.qalys * kTicksPerYear);
  tallies_.discounted_qaly_ticks[y] += round_to_ticks(o.discounted_qalys * kTicksPerYear);
  tallies_.discounted_life_year_ticks[y] += round_to_ticks(o.discounted_life_years * kTicksPerYear);
  cost(CostCategory::fracture_later_years, o.later_fracture_cost_usd,
       o.discounted_later_fracture_cost_usd);
  cost(CostCategory::long_term_care, o.long_term_care_usd, o.discounted_long_term_care_usd);
}

void EconomicsRecorder::death(double age_years, bool after_fracture) {
  integrate_held_until(age_years - age_at_start_);
  inner_.death(age_years, after_fracture);
}

void EconomicsRecorder::fracture(model::Site site, double age_years, bool first_at_site,
                                 bool first_clinical) {
  // The fracture changes utility and costs from here on.
  integrate_held_until(age_years - age_at_start_);
  inner_.fracture(site, age_years, first_at_site, first_clinical);
  const double at = time_at(age_years);
  const std::size_t s = static_cast<std::size_t>(site);
  const model::SiteEntry& entry = model::site_entry(site);
  if (!entry.cost_category.empty()) {  // silent vertebral: not diagnosed, so no cost
    cost_at(model::first_year_cost_category(site), params_.fracture_first_year_usd[s], at);
  }
  if (entry.aftermath == model::Aftermath::one_off) {
    // The first-year utility loss of a site whose time is not tracked (wrist) is a one-off
    // over the year after the event.
    const double loss = model::first_year_qaly_loss(params_, site, agents_.sex_of(i_), age_years);
    const auto y = static_cast<std::size_t>(year_);
    tallies_.qaly_ticks[y] -= round_to_ticks(loss * kTicksPerYear);
    tallies_.discounted_qaly_ticks[y] -= round_to_ticks(
        loss * model::discounted_duration(params_.discount_rate_effects_per_year, at, 1.0) *
        kTicksPerYear);
  }
  cost_at(CostCategory::productivity_and_caregiving,
          model::societal_fracture_cost_usd(params_, site), at);
}

void EconomicsRecorder::screened(double age_years, bool first_time) {
  inner_.screened(age_years, first_time);
  cost_at(CostCategory::prescreening, params_.prescreening_usd, time_at(age_years));
}

void EconomicsRecorder::dxa_scan(double age_years) {
  inner_.dxa_scan(age_years);
  cost_at(CostCategory::dxa, params_.dxa_usd, time_at(age_years));
}

void EconomicsRecorder::treated_time(model::Drug drug, double age_years, double years) {
  inner_.treated_time(drug, age_years, years);
  const double d =
      model::discounted_duration(params_.discount_rate_costs_per_year, time_at(age_years), years);
  const double drug_usd = params_.drug_usd_per_year[static_cast<std::size_t>(drug)];
  cost(CostCategory::drugs, drug_usd * years, drug_usd * d);
  const double visit_usd = params_.monitoring_usd_per_year_on_treatment;
  cost(CostCategory::monitoring, visit_usd * years, visit_usd * d);
}

void EconomicsRecorder::adverse_event(model::Drug drug, double age_years) {
  inner_.adverse_event(drug, age_years);
  cost_at(CostCategory::adverse_events, params_.adverse_event_usd, time_at(age_years));
}

void EconomicsRecorder::programme_start(model::Programme programme, double age_years) {
  inner_.programme_start(programme, age_years);
  cost_at(CostCategory::fall_programmes, params_.programme_usd[static_cast<std::size_t>(programme)],
          time_at(age_years));
}

}  // namespace osteosim::engine
