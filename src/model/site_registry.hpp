#pragma once
/// The one registry of fracture processes and tallied sites. Every site list of the program
/// derives from the site table: the Site and FractureProcess enums and their array sizes,
/// the event layout of a step, tallies and outcome names, cost rows, calibrated quantities,
/// model-file keys and summary groups. The table is model/site_table.hpp unless the build
/// names another with OSTEOSIM_SITE_TABLE (tests/four_sites/ adds a test site); the checks
/// below reject an inconsistent table at compile time.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "model/site_registry_types.hpp"

#ifdef OSTEOSIM_SITE_TABLE
#include OSTEOSIM_SITE_TABLE
#else
#include "model/site_table.hpp"
#endif

namespace osteosim::model {

// The enums and tables from the rows of the site table.
#define OSTEOSIM_ENUMERATOR(name_, ...) name_,
enum class FractureProcess : std::uint8_t { OSTEOSIM_PROCESSES(OSTEOSIM_ENUMERATOR) };
enum class Site : std::uint8_t { OSTEOSIM_SITES(OSTEOSIM_ENUMERATOR) };
#undef OSTEOSIM_ENUMERATOR

#define OSTEOSIM_PROCESS_ENTRY(name_, fall_related_, counts) \
  ProcessEntry{.process = FractureProcess::name_,            \
               .name = #name_,                               \
               .fall_related = fall_related_,                \
               .incidence_counts = IncidenceCounts::counts},
inline constexpr std::array kFractureProcessTable{OSTEOSIM_PROCESSES(OSTEOSIM_PROCESS_ENTRY)};
#undef OSTEOSIM_PROCESS_ENTRY

#define OSTEOSIM_SITE_ENTRY(name_, process_, recognition_, key, category, aftermath_, calibrated_, \
                            label_)                                                                \
  SiteEntry{.site = Site::name_,                                                                   \
            .name = #name_,                                                                        \
            .process = FractureProcess::process_,                                                  \
            .recognition = Recognition::recognition_,                                              \
            .economics_key = key,                                                                  \
            .cost_category = category,                                                             \
            .aftermath = Aftermath::aftermath_,                                                    \
            .calibrated = calibrated_,                                                             \
            .label = label_},
inline constexpr std::array kSiteTable{OSTEOSIM_SITES(OSTEOSIM_SITE_ENTRY)};
#undef OSTEOSIM_SITE_ENTRY

inline constexpr int kFractureProcesses = static_cast<int>(kFractureProcessTable.size());
inline constexpr int kSites = static_cast<int>(kSiteTable.size());

constexpr const ProcessEntry& process_entry(int k) { return kFractureProcessTable[k]; }
constexpr const SiteEntry& site_entry(Site s) { return kSiteTable[static_cast<int>(s)]; }
constexpr int process_index(Site s) { return static_cast<int>(site_entry(s).process); }

namespace registry_detail {
template <std::size_t N, class Row>
constexpr std::array<std::string_view, N> names_of(const std::array<Row, N>& rows) {
  std::array<std::string_view, N> names{};
  for (std::size_t i = 0; i < N; ++i) names[i] = rows[i].name;
  return names;
}
}  // namespace registry_detail

inline constexpr std::array<std::string_view, kFractureProcesses> kFractureProcessNames =
    registry_detail::names_of(kFractureProcessTable);
inline constexpr std::array<std::string_view, kSites> kSiteNames =
    registry_detail::names_of(kSiteTable);

/// Sites whose fracture comes to clinical attention (used for "any clinical fracture").
constexpr bool is_clinical(Site s) { return site_entry(s).recognition == Recognition::clinical; }

/// The site of a `site` label (result files, validation targets), if any.
constexpr std::optional<Site> site_named(std::string_view name) {
  for (const auto& row : kSiteTable) {
    if (row.name == name) return row.site;
  }
  return std::nullopt;
}

/// Whether process k's incidence table counts clinically recognised fractures only, so that
/// its events are split into a clinical and a morphometric site.
constexpr bool counts_clinical_only(int k) {
  return process_entry(k).incidence_counts == IncidenceCounts::clinical_only;
}

/// Number of sites of process k.
constexpr int sites_of_process(int k) {
  int n = 0;
  for (const auto& row : kSiteTable) n += static_cast<int>(row.process) == k ? 1 : 0;
  return n;
}

/// The site a fracture of process k is tallied at: its clinical site, or (processes whose
/// incidence counts clinical fractures only) its morphometric one when not recognised.
constexpr Site site_of_fracture(int k, bool recognised) {
  for (const auto& row : kSiteTable) {
    if (static_cast<int>(row.process) != k) continue;
    if ((row.recognition == Recognition::clinical) == recognised) return row.site;
  }
  return kSiteTable[0].site;  // unreachable for a table that passes the checks below
}

/// The site whose tallies `osteosim calibrate` compares with process k's incidence table.
constexpr Site calibrated_site(int k) {
  for (const auto& row : kSiteTable) {
    if (static_cast<int>(row.process) == k && row.calibrated) return row.site;
  }
  return kSiteTable[0].site;  // unreachable for a table that passes the checks below
}

/// A value for every process (relative risks start at 1) or every site.
template <class T>
constexpr std::array<T, kFractureProcesses> for_each_process(T value) {
  std::array<T, kFractureProcesses> a{};
  a.fill(value);
  return a;
}
template <class T>
constexpr std::array<T, kSites> for_each_site(T value) {
  std::array<T, kSites> a{};
  a.fill(value);
  return a;
}

// ---- Costs: one first-year row per site with an economics key, in site order.

inline constexpr int kFirstYearCostCategories = [] {
  int n = 0;
  for (const auto& row : kSiteTable) n += row.cost_category.empty() ? 0 : 1;
  return n;
}();

/// Row of `site`'s first-year cost in the `category` dimension (-1: none).
constexpr int first_year_cost_row(Site s) {
  int row = 0;
  for (const auto& entry : kSiteTable) {
    if (entry.site == s) return entry.cost_category.empty() ? -1 : row;
    row += entry.cost_category.empty() ? 0 : 1;
  }
  return -1;
}

// ---- Checks of the table.

namespace registry_detail {
constexpr bool rows_in_enum_order() {
  for (int k = 0; k < kFractureProcesses; ++k) {
    if (static_cast<int>(kFractureProcessTable[k].process) != k) return false;
  }
  for (int s = 0; s < kSites; ++s) {
    if (static_cast<int>(kSiteTable[s].site) != s) return false;
  }
  return true;
}
constexpr bool processes_have_their_sites() {
  for (int k = 0; k < kFractureProcesses; ++k) {
    int clinical = 0, morphometric = 0, calibrated = 0;
    for (const auto& row : kSiteTable) {
      if (static_cast<int>(row.process) != k) continue;
      clinical += row.recognition == Recognition::clinical ? 1 : 0;
      morphometric += row.recognition == Recognition::morphometric ? 1 : 0;
      calibrated += row.calibrated ? 1 : 0;
    }
    // One clinical site, plus one morphometric site exactly when the incidence counts
    // clinical fractures only; the calibrated site is the clinical one.
    if (clinical != 1 || morphometric != (counts_clinical_only(k) ? 1 : 0)) return false;
    if (calibrated != 1 || !is_clinical(calibrated_site(k))) return false;
  }
  return true;
}
constexpr bool economics_consistent() {
  for (const auto& row : kSiteTable) {
    const bool costed = !row.economics_key.empty();
    if (costed == row.cost_category.empty()) return false;
    if (costed != (row.aftermath != Aftermath::none)) return false;
    if (!costed && row.recognition == Recognition::clinical) return false;
  }
  return true;
}
/// Readers of a result file (scripts/, tests/python/) tell morphometric-only sites from
/// their `site` label alone: silent_<name>.
constexpr bool morphometric_sites_named_silent() {
  for (const auto& row : kSiteTable) {
    if ((row.recognition == Recognition::morphometric) != row.name.starts_with("silent_")) {
      return false;
    }
  }
  return true;
}
constexpr bool names_unique() {
  for (int a = 0; a < kSites; ++a) {
    for (int b = a + 1; b < kSites; ++b) {
      if (kSiteTable[a].name == kSiteTable[b].name) return false;
    }
  }
  for (int a = 0; a < kFractureProcesses; ++a) {
    for (int b = a + 1; b < kFractureProcesses; ++b) {
      if (kFractureProcessTable[a].name == kFractureProcessTable[b].name) return false;
    }
  }
  return true;
}
}  // namespace registry_detail

static_assert(kFractureProcesses > 0 && kSites >= kFractureProcesses);
static_assert(registry_detail::rows_in_enum_order(),
              "site table: rows must follow the Site / FractureProcess enumerators in order");
static_assert(registry_detail::processes_have_their_sites(),
              "site table: each process needs one clinical, calibrated site (plus one "
              "morphometric site iff its incidence counts clinical fractures only)");
static_assert(registry_detail::economics_consistent(),
              "site table: a site has an economics key, a cost category and an aftermath "
              "together, and every clinical site has them");
static_assert(registry_detail::names_unique(), "site table: names must be unique");
static_assert(registry_detail::morphometric_sites_named_silent(),
              "site table: a site is named silent_<name> exactly when it is morphometric only");

}  // namespace osteosim::model
