#pragma once
/// A fully resolved, validated scenario: what to simulate, with which model parameters,
/// for which strategies. Produced by config::load_scenarios; consumed by engine/.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/parameters.hpp"
#include "model/policy.hpp"
#include "model/uncertainty.hpp"

namespace osteosim::config {

/// cohort: one age (and sex) at entry; cross_section: the population table's 50+ at
/// start_year; open: that cross-section plus each later year's new 50-year-olds (projections).
enum class PopulationKind { cohort, cross_section, open };

/// The scenario-file spelling of a population kind.
inline const char* population_kind_name(PopulationKind kind) {
  switch (kind) {
    case PopulationKind::cohort:
      return "cohort";
    case PopulationKind::cross_section:
      return "cross_section";
    case PopulationKind::open:
      return "open";
  }
  return "cohort";
}

struct PopulationSpec {
  PopulationKind kind = PopulationKind::cohort;
  /// Cohort only: one sex, or both (std::nullopt) in the proportions of the model's
  /// population table at `age_years`.
  std::optional<model::Sex> sex;
  double age_years = 50;    ///< cohort only: age at entry
  std::int64_t agents = 0;  ///< simulated agents
};

/// One arm of the comparison. All strategies of a run share agents and random numbers.
struct Strategy {
  std::string name;
  model::ModelParameters parameters;        ///< model parameters after the strategy's own `set:`
  model::InterventionPolicy interventions;  ///< nothing for the natural history
  /// This strategy's numbers with their distributions (as Scenario::uncertainty, except
  /// that a number the strategy `set:` is fixed at its set value).
  std::vector<model::UncertainParameter> uncertainty;
};

/// Probabilistic sensitivity analysis: `draws` runs of every strategy, each with parameters
/// drawn from their declared distributions and its own random numbers. Off when draws = 0.
/// Pilot draws when psa.pilot_draws is not given: the variance between n draws has a
/// relative standard error of sqrt(2 / (n - 1)) (normal draws), 0.26 at 30, so the agents per
/// draw it gives are within about a quarter of what the target needs.
inline constexpr std::int64_t kDefaultPilotDraws = 30;

struct PsaSpec {
  std::int64_t draws = 0;
  std::int64_t agents_per_draw = 0;
  /// The largest share of the between-draw variance of an incremental cost or QALY that may
  /// be simulation noise; 0 = not asked. When asked, a pilot PSA of pilot_draws draws of
  /// agents_per_draw agents sizes the agents per draw of the PSA (engine/psa_sizing.hpp).
  double noise_share = 0;
  std::int64_t pilot_draws = 0;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source_file;  ///< the scenario file given on the command line
  std::string model_name;   ///< folder in models/
  PopulationSpec population;
  int years = 0;
  int start_year = 2025;
  int time_step_months = 12;
  std::uint32_t seed = 0;
  /// Event histories are written for the agents with id < microdata_agents (all agents if
  /// there are fewer); 0 = none.
  std::int64_t microdata_agents = 0;
  std::vector<Strategy> strategies;  ///< at least one
  PsaSpec psa;
  /// Every number of the model's files (model.yaml, drugs.yaml, interventions.yaml,
  /// economics.yaml, in file order) with its distribution where one is declared: what the
  /// PSA draws and the one-way analysis varies.
  std::vector<model::UncertainParameter> uncertainty;
  std::string resolved_yaml;             ///< scenario + model after extends and set, as YAML
  std::vector<std::string> input_files;  ///< every file read, for provenance checksums
};

/// Command-line overrides applied on top of the files (`--agents`, `--seed`, `--set`).
struct Overrides {
  std::optional<std::int64_t> agents;
  std::optional<std::uint32_t> seed;
  std::vector<std::string> set;  ///< "dotted.key=value" as typed
};

/// Loads, resolves and validates one scenario file and its model. Throws InputError naming
/// file, line and key (all problems found, not only the first).
Scenario load_scenario(const std::string& path, const Overrides& overrides);

/// Several scenario files for one run: each contributes its strategies. They must agree on
/// population, years, time step, start year and seed; strategy names must be unique.
Scenario load_scenarios(const std::vector<std::string>& paths, const Overrides& overrides);

}  // namespace osteosim::config
