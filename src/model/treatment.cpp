#include "model/treatment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/parameters.hpp"

namespace osteosim::model {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Discontinuation hazard per year on each persistence interval; the last one continues.
std::array<double, kPersistencePoints> discontinuation_hazards(const DrugParameters& drug) {
  std::array<double, kPersistencePoints> h{};
  double previous_share = 1;
  double previous_time = 0;
  for (int k = 0; k < kPersistencePoints; ++k) {
    const double share = drug.persistence[k];
    h[k] = share >= previous_share ? 0.0
                                   : std::log(previous_share / share) /
                                         (kPersistenceYears[k] - previous_time);
    previous_share = share;
    previous_time = kPersistenceYears[k];
  }
  return h;
}

double interval_start(int k) { return k == 0 ? 0.0 : kPersistenceYears[k - 1]; }

}  // namespace

double persistence_at(const DrugParameters& drug, double years) {
  const auto h = discontinuation_hazards(drug);
  double cumulative = 0;
  for (int k = 0; k < kPersistencePoints; ++k) {
    const double start = interval_start(k);
    const double end = k + 1 < kPersistencePoints ? kPersistenceYears[k] : kInf;
    if (years <= start) break;
    cumulative += h[k] * (std::min(years, end) - start);
  }
  return std::exp(-cumulative);
}

double years_to_discontinuation(const DrugParameters& drug, double u) {
  const auto h = discontinuation_hazards(drug);
  double remaining = -std::log(u);  // unit exponential
  for (int k = 0; k < kPersistencePoints; ++k) {
    const bool last = k + 1 == kPersistencePoints;
    const double width = last ? kInf : kPersistenceYears[k] - interval_start(k);
    if (h[k] <= 0) {
      if (last) return kInf;
      continue;
    }
    if (remaining <= h[k] * width) return interval_start(k) + remaining / h[k];
    remaining -= h[k] * width;
  }
  return kInf;
}

ProcessRr rr_on_treatment(const DrugParameters& drug, double years_on) {
  const double ramp =
      drug.onset_years > 0 ? std::clamp(years_on / drug.onset_years, 0.0, 1.0) : 1.0;
  ProcessRr rr{};
  for (int k = 0; k < kFractureProcesses; ++k) {
    const double full = std::pow(drug.rr[k], drug.adherence_effect_fraction);
    rr[k] = 1 - ramp * (1 - full);
  }
  return rr;
}

double offset_years(const DrugParameters& drug, double years_on) {
  return std::clamp(drug.offset_per_year_on * years_on, drug.offset_min_years,
                    drug.offset_max_years);
}

ProcessRr rr_after_stopping(const DrugParameters& drug, double years_on, double years_off) {
  const ProcessRr at_stop = rr_on_treatment(drug, years_on);
  const double offset = offset_years(drug, years_on);
  const double remaining = offset > 0 ? std::clamp(1 - years_off / offset, 0.0, 1.0) : 0.0;
  ProcessRr rr{};
  for (int k = 0; k < kFractureProcesses; ++k) rr[k] = 1 - remaining * (1 - at_stop[k]);
  if (years_off < drug.rebound_years) {
    rr[static_cast<int>(FractureProcess::vertebral)] *= drug.rebound_vertebral_rr;
  }
  return rr;
}

ProcessRr treatment_rr(const InterventionParameters& catalogue, const Agents& agents,
                       Eigen::Index i, double now) {
  ProcessRr rr = for_each_process(1.0);
  const auto combine = [&rr](const ProcessRr& other) {
    for (int k = 0; k < kFractureProcesses; ++k) rr[k] = std::min(rr[k], other[k]);
  };
  if (agents.drug[i] != kNoDrug && now >= agents.course_start_time[i]) {
    const DrugParameters& drug = catalogue.drugs[agents.drug[i]];
    const double start = agents.course_start_time[i];
    const double end = agents.course_end_time[i];
    combine(now < end ? rr_on_treatment(drug, now - start)
                      : rr_after_stopping(drug, end - start, now - end));
  }
  if (agents.previous_drug[i] != kNoDrug) {
    const DrugParameters& drug = catalogue.drugs[agents.previous_drug[i]];
    const double years_on = agents.previous_stop_time[i] - agents.previous_start_time[i];
    const ProcessRr after =
        rr_after_stopping(drug, years_on, now - agents.previous_stop_time[i]);
    // A rebound (rr > 1) is suppressed by a drug taken now; otherwise it shows.
    if (agents.drug[i] == kNoDrug) {
      rr = after;
    } else {
      combine(after);
    }
  }
  return rr;
}

void start_course(const InterventionParameters& catalogue, const Regimen& regimen, int course,
                  std::uint8_t source, double now, double u, Agents& agents, Eigen::Index i) {
  const Course& c = regimen.courses[static_cast<std::size_t>(course)];
  const DrugParameters& drug = catalogue.drugs[static_cast<int>(c.drug)];
  agents.drug[i] = static_cast<std::uint8_t>(c.drug);
  agents.regimen_course[i] = static_cast<std::uint8_t>(course);
  agents.regimen_source[i] = source;
  agents.course_start_time[i] = now;
  agents.course_planned_years[i] = c.years;
  agents.course_end_time[i] = now + std::min(c.years, years_to_discontinuation(drug, u));
  agents.intervention_flags[i] |= kEverTreatedBit;
}

bool end_course_if_due(Agents& agents, Eigen::Index i, double now, bool& completed) {
  if (agents.drug[i] == kNoDrug || now < agents.course_end_time[i]) return false;
  const double start = agents.course_start_time[i];
  const double end = agents.course_end_time[i];
  completed = end - start >= agents.course_planned_years[i] * (1 - 1e-12);
  agents.previous_drug[i] = agents.drug[i];
  agents.previous_start_time[i] = start;
  agents.previous_stop_time[i] = end;
  agents.drug[i] = kNoDrug;
  return true;
}

bool may_start_treatment(const Agents& agents, Eigen::Index i, double now) {
  return agents.drug[i] == kNoDrug && now >= agents.no_treatment_until[i];
}

}  // namespace osteosim::model
