#pragma once
/// What one strategy does: its screening programme, fracture liaison service and
/// community programmes. Built by config/ from the scenario's `strategies:` entry; a
/// default-constructed policy does nothing (the natural history).
#include <limits>
#include <optional>
#include <vector>

#include "model/intervention_parameters.hpp"

namespace osteosim::model {

/// One drug for a number of years; a regimen is a sequence of courses (e.g. teriparatide
/// for 2 years, then alendronate for 5).
struct Course {
  Drug drug = Drug::alendronate;
  double years = 5;
};

struct Regimen {
  std::vector<Course> courses;
  double uptake = 1;  ///< share of those offered treatment who start it
};

/// Who is invited: sex, age and, optionally, at least one clinical risk factor or a prior
/// fracture.
struct Eligibility {
  std::optional<Sex> sex;
  double min_age_years = 0;
  double max_age_years = 200;
  bool requires_risk_factor = false;
};

enum class PrescreenTool : std::uint8_t { none, ost, fracture_probability };

struct ScreeningPolicy {
  bool enabled = false;
  Eligibility eligible;
  double start_years = 0;       ///< first offers this long after the start of the run
  double interval_years = 5;    ///< re-offered this long after the last offer
  double uptake = 1;            ///< share of those invited who attend
  PrescreenTool prescreen = PrescreenTool::none;
  /// The prescreen applies up to this age; older attendees go straight to DXA.
  double prescreen_max_age_years = 200;
  /// fracture_probability prescreen: refer to DXA if the 10-year major osteoporotic
  /// fracture probability (without BMD) is at least this.
  double prescreen_probability_min = 0;
  // Treatment rule after DXA: treat if any of these holds.
  double treat_t_score_max = -std::numeric_limits<double>::infinity();
  double treat_probability_min = std::numeric_limits<double>::infinity();
  bool treat_prior_fracture = false;
  Regimen regimen;
};

/// Fracture liaison service: treatment offered after a clinical fracture.
struct FractureLiaisonPolicy {
  bool enabled = false;
  double start_years = 0;
  double min_age_years = 0;
  double uptake = 1;  ///< share of fracture patients the service reaches and who accept
  Regimen regimen;
};

/// A community programme offered once, at the first step an agent is eligible.
struct ProgrammePolicy {
  Programme programme = Programme::exercise;
  Eligibility eligible;
  double start_years = 0;
  double uptake = 1;
};

struct InterventionPolicy {
  ScreeningPolicy screening;
  FractureLiaisonPolicy fracture_liaison;
  std::vector<ProgrammePolicy> programmes;

  bool any() const {
    return screening.enabled || fracture_liaison.enabled || !programmes.empty();
  }
};

}  // namespace osteosim::model
