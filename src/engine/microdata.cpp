#include "engine/microdata.hpp"

#include <algorithm>
#include <limits>

#include "model/bone.hpp"

namespace osteosim::engine {

namespace {
constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();
}  // namespace

void sort_by_agent(Microdata& block) {
  std::stable_sort(block.events.begin(), block.events.end(),
                   [](const EventRow& a, const EventRow& b) { return a.agent < b.agent; });
}

void record_entry(const model::ModelParameters& params, const model::Agents& agents,
                  Eigen::Index i, double entry_time_years, Microdata& out) {
  const auto agent = static_cast<std::int64_t>(agents.first_id) + i;
  const double age = agents.age_years[i];
  out.baseline.push_back({agent, entry_time_years, age, agents.bmd_g_cm2[i],
                          model::t_score(agents.bmd_g_cm2[i], params.bone), agents.weight_kg[i],
                          agents.sex[i], agents.risk_factors[i]});
  out.events.push_back({agent, entry_time_years, age, EventKind::entry, kNoSite, kNoValue});
}

void MicrodataRecorder::add(EventKind kind, double age_years, std::int8_t site, double value) {
  rows_.push_back({agent_, time_offset_ + age_years, age_years, kind, site, value});
}

void MicrodataRecorder::fall(double age_years) {
  inner_.fall(age_years);
  add(EventKind::fall, age_years, kNoSite, kNoValue);
}

void MicrodataRecorder::fracture(model::Site site, double age_years, bool first_at_site,
                                 bool first_clinical) {
  inner_.fracture(site, age_years, first_at_site, first_clinical);
  add(EventKind::fracture, age_years, static_cast<std::int8_t>(site), first_at_site ? 1 : 0);
}

void MicrodataRecorder::death(double age_years, bool after_fracture) {
  inner_.death(age_years, after_fracture);
  add(after_fracture ? EventKind::death_after_fracture : EventKind::death_background, age_years,
      kNoSite, kNoValue);
}

void MicrodataRecorder::screened(double age_years, bool first_time) {
  inner_.screened(age_years, first_time);
  add(EventKind::screened, age_years, kNoSite, first_time ? 1 : 0);
}

// One row per scan, written when its result is known (dxa_scan is always followed by it).
void MicrodataRecorder::dxa_result(double age_years, double measured_t_score) {
  inner_.dxa_result(age_years, measured_t_score);
  add(EventKind::dxa, age_years, kNoSite, measured_t_score);
}

void MicrodataRecorder::treatment_start(model::Drug drug, double age_years, bool first_time) {
  inner_.treatment_start(drug, age_years, first_time);
  add(EventKind::treatment_start, age_years, kNoSite, static_cast<int>(drug));
}

void MicrodataRecorder::treatment_stop(model::Drug drug, double age_years, bool completed) {
  inner_.treatment_stop(drug, age_years, completed);
  add(EventKind::treatment_stop, age_years, kNoSite, static_cast<int>(drug));
}

void MicrodataRecorder::adverse_event(model::Drug drug, double age_years) {
  inner_.adverse_event(drug, age_years);
  add(EventKind::adverse_event, age_years, kNoSite, static_cast<int>(drug));
}

void MicrodataRecorder::programme_start(model::Programme programme, double age_years) {
  inner_.programme_start(programme, age_years);
  add(EventKind::programme_start, age_years, kNoSite, static_cast<int>(programme));
}

}  // namespace osteosim::engine
