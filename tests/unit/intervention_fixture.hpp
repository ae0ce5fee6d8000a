#pragma once
// A small intervention catalogue for tests: round numbers, so expected values are easy to
// compute by hand. Not the shipped catalogue (models/us-2025/drugs.yaml).
#include "model/intervention_parameters.hpp"

namespace osteosim::testing {

inline model::InterventionParameters simple_catalogue() {
  using namespace model;
  InterventionParameters c;
  for (auto& d : c.drugs) {
    d.rr = {0.6, 0.5, 0.8};
    d.onset_years = 0;
    d.offset_per_year_on = 1;
    d.offset_min_years = 0.5;
    d.offset_max_years = 5;
    d.persistence = {1, 1, 1};
    d.course_years = 5;
    d.holiday_years = 2;
  }
  auto& denosumab = c.drugs[static_cast<int>(Drug::denosumab)];
  denosumab.offset_per_year_on = 0;
  denosumab.offset_min_years = denosumab.offset_max_years = 1;
  denosumab.rebound_vertebral_rr = 1.5;
  denosumab.rebound_years = 2;
  c.programmes[static_cast<int>(Programme::exercise)] = {0.7, {1, 1, 1}, 1, 2};
  c.dxa_precision_sd_g_cm2 = 0.02;
  c.body_weight.mean_kg = {{{75, 74, 72, 66}, {90, 88, 85, 78}}};
  c.body_weight.cv = 0.2;
  return c;
}

}  // namespace osteosim::testing
