#pragma once
/// The competing events of a step and how their hazards combine, for one agent. The
/// engine's SIMD lanes (engine/step_lanes.cpp) do the same arithmetic column by column, in
/// the same order, so that both compute the same bits (tests/unit/test_step_lanes.cpp).
#include <algorithm>
#include <array>

#include "model/parameters.hpp"

namespace osteosim::model {

/// The competing events of a step. A fall that breaks a bone is one event (a fall and a
/// fracture), so falls without fracture have the fall rate minus the fall-related
/// fracture hazards: the fall and fracture processes stay consistent. Each fracture
/// process k has two events, after a fall (kFirstFractureEvent + 2k) and without (+ 1).
enum Event : int {
  background_death,
  death_after_fracture,
  fall_without_fracture,
  kFirstFractureEvent,
  kEvents = kFirstFractureEvent + 2 * kFractureProcesses
};
constexpr int after_fall_event(int process) { return kFirstFractureEvent + 2 * process; }
constexpr int without_fall_event(int process) { return kFirstFractureEvent + 2 * process + 1; }
constexpr int process_of(int event) { return (event - kFirstFractureEvent) / 2; }
constexpr bool is_after_fall(int event) { return (event - kFirstFractureEvent) % 2 == 0; }

using ByProcess = std::array<double, kFractureProcesses>;

inline ByProcess fall_shares(const FractureParameters& fractures) {
  ByProcess share{};
  for (std::size_t k = 0; k < share.size(); ++k) share[k] = fractures.site[k].fall_share;
  return share;
}

struct EventHazards {
  std::array<double, kEvents> per_year{};
  double total = 0;
};

/// The hazards per year of every event of one segment.
/// `process_hazard`: each fracture process's hazard before the fall split (model/fracture.hpp);
/// `fall_rate`: the agent's, with any fall prevention; `treatment_rr`: by process, 1 without.
inline EventHazards combine_event_hazards(double background_per_year,
                                          double after_fracture_per_year, double fall_rate,
                                          double mean_fall_rate, const ByProcess& process_hazard,
                                          const ByProcess& fall_share,
                                          const ByProcess& treatment_rr) {
  // A fall rate above the population mean raises the fall-related fracture hazards.
  const double fall_rate_ratio = mean_fall_rate > 0 ? fall_rate / mean_fall_rate : 1.0;
  EventHazards h;
  h.per_year[background_death] = background_per_year;
  h.per_year[death_after_fracture] = after_fracture_per_year;
  double fall_related_fractures = 0;
  for (int k = 0; k < kFractureProcesses; ++k) {
    const auto p = static_cast<std::size_t>(k);
    const double after_fall = process_hazard[p] * fall_share[p] * fall_rate_ratio;
    const double without_fall = process_hazard[p] * (1 - fall_share[p]);
    h.per_year[after_fall_event(k)] = after_fall * treatment_rr[p];
    h.per_year[without_fall_event(k)] = without_fall * treatment_rr[p];
    fall_related_fractures += h.per_year[after_fall_event(k)];
  }
  h.per_year[fall_without_fracture] = std::max(0.0, fall_rate - fall_related_fractures);
  for (double x : h.per_year) h.total += x;
  return h;
}

/// The event that happens, given that one does: the events share the unit interval in
/// proportion to their hazards, in the order of the enum.
inline int choose_event(const EventHazards& h, double u) {
  double threshold = u * h.total;
  for (int e = 0; e < kEvents - 1; ++e) {
    if (threshold < h.per_year[e]) return e;
    threshold -= h.per_year[e];
  }
  return kEvents - 1;
}

}  // namespace osteosim::model
