#pragma once
/// The row types of the site registry (model/site_registry.hpp), which makes one per row of
/// the site table (model/site_table.hpp, or a test's).
#include <array>
#include <cstdint>
#include <string_view>

namespace osteosim::model {

/// Declared here, defined with their enumerators by the registry from the site table.
enum class FractureProcess : std::uint8_t;
enum class Site : std::uint8_t;

/// What a process's population incidence table counts.
enum class IncidenceCounts : std::uint8_t {
  all_fractures,
  /// Only clinically recognised ones (vertebral): the process's hazard is the table divided
  /// by fractures.<process>.clinical_fraction, and each event is split into the process's
  /// clinical and morphometric site with that probability.
  clinical_only,
};

/// Whether a fracture at a site comes to clinical attention.
enum class Recognition : std::uint8_t { clinical, morphometric };

/// What follows a fracture in the economics (utility, later costs).
enum class Aftermath : std::uint8_t {
  none,  ///< nothing (undiagnosed)
  /// The time since the most recent one is followed (an Agents column): first-year then
  /// later-years utility multiplier, later-years costs, excess mortality.
  tracked,
  /// The later-years utility multiplier from the event on and the first-year loss as a
  /// one-off; no later costs (the time since is not followed).
  one_off,
};

struct ProcessEntry {
  FractureProcess process;
  std::string_view name;  ///< key in model files: fractures.<name>, rr_<name>, ...
  /// Fractures may follow a fall (the model reads fractures.<name>.fall_share; without,
  /// the share is 0 and no fall-related hazard is drawn).
  bool fall_related;
  IncidenceCounts incidence_counts;
};

struct SiteEntry {
  Site site;
  std::string_view name;  ///< the result file's `site` label and outcome name
  FractureProcess process;
  Recognition recognition;
  /// Stem of the economics.yaml keys (costs.<key>_first_year_usd, utilities.<key>_...);
  /// empty = the site costs nothing and has no utility loss.
  std::string_view economics_key;
  std::string_view cost_category;  ///< first-year cost row of `category`; empty iff no key
  Aftermath aftermath;
  /// Its tallies are compared with its process's incidence table by `osteosim calibrate`
  /// (one site per process).
  bool calibrated;
  std::string_view label;  ///< for people (osteosim summary)
};

}  // namespace osteosim::model
