#include "output/summary.hpp"

#include <cmath>
#include <cstdio>
#include <string_view>

#include "output/summary_comparison.hpp"
#include "output/summary_economics.hpp"
#include "output/text_table.hpp"

namespace osteosim::output {

namespace {

using model::Site;

// A cohort with more than this share alive at the end has not run its lifetime course.
constexpr double kExtinctShare = 0.005;

std::string fixed(double value, int decimals) {
  if (std::isnan(value)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

/// Whole number with thousands separators: 1234567 -> "1,234,567".
std::string count(double value) {
  if (std::isnan(value)) return "-";
  const std::string digits = fixed(std::fabs(value), 0);
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on std::string::insert here.
  std::string grouped = value < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

std::string percent(double value) {
  return std::isnan(value) ? "-" : fixed(value, value < 1 ? 2 : 1) + "%";
}

std::string site_label(Site site) { return std::string(model::site_entry(site).label); }

/// Rows that add sites up, from the site registry: each process with more than one site
/// (vertebral: clinical + silent), then every clinical site.
struct SiteGroup {
  std::string label;
  std::vector<Site> sites;
};
std::vector<Site> sites_where(auto&& keep) {
  std::vector<Site> sites;
  for (const auto& row : model::kSiteTable) {
    if (keep(row)) sites.push_back(row.site);
  }
  return sites;
}
std::vector<SiteGroup> process_groups() {
  std::vector<SiteGroup> groups;
  for (int k = 0; k < model::kFractureProcesses; ++k) {
    if (model::sites_of_process(k) < 2) continue;
    groups.push_back({std::string(model::kFractureProcessNames[k]) + ", all morphometric",
                      sites_where([k](const model::SiteEntry& row) {
                        return static_cast<int>(row.process) == k;
                      })});
  }
  return groups;
}
SiteGroup all_clinical_group() {
  return {"all clinical fractures",
          sites_where([](const model::SiteEntry& row) { return model::is_clinical(row.site); })};
}
/// Each site on its own, then the process groups.
std::vector<SiteGroup> site_rows() {
  std::vector<SiteGroup> rows;
  for (const auto& row : model::kSiteTable) rows.push_back({site_label(row.site), {row.site}});
  for (auto& group : process_groups()) rows.push_back(std::move(group));
  return rows;
}

std::string year_range(const ResultHeader& h) {
  if (h.years <= 1) return std::to_string(h.start_year);
  return std::to_string(h.start_year) + "-" + std::to_string(h.start_year + h.years - 1);
}

/// Sexes with anyone in them (a women-only cohort shows no male columns).
std::vector<int> sexes_present(const StrategySummary& s) {
  std::vector<int> sexes;
  for (int sex = 0; sex < model::kSexes; ++sex) {
    if (s.person_years[sex] > 0 || s.initial_population[sex] > 0) sexes.push_back(sex);
  }
  return sexes;
}

std::vector<std::string> sex_header(const std::string& first, const std::vector<int>& sexes,
                                    int columns_per_sex) {
  std::vector<std::string> row{first};
  for (int sex : sexes) {
    for (int c = 0; c < columns_per_sex; ++c) {
      row.emplace_back(c == 0 ? std::string(model::kSexNames[sex]) : "");
    }
  }
  return row;
}

void print_header(const std::string& path, const ResultHeader& h, std::ostream& out) {
  TextTable t(TextTable::Align::all_left);
  t.add_row({"scenario", h.scenario + "  (model " + h.model + ")"});
  char people[32];
  std::snprintf(people, sizeof people, "%.6g", h.persons_per_agent);
  t.add_row({"population", h.population_kind + ", " + count(static_cast<double>(h.agents)) +
                               " agents, each standing for " + std::string(people) + " persons"});
  t.add_row({"simulated", year_range(h) + " (" + std::to_string(h.years) + " years, " +
                              std::to_string(h.time_step_months) + "-month steps), seed " +
                              std::to_string(h.seed)});
  t.add_row({"written by", "osteosim " + h.osteosim_version + " (commit " + h.git_commit +
                               ") at " + h.created});
  out << "osteosim results: " << path << '\n';
  t.print(out);
}

void print_fractures(const ResultHeader& h, const StrategySummary& s, const std::vector<int>& sexes,
                     std::ostream& out) {
  out << "\n  Fractures " << year_range(h)
      << " (simulated agents, and the estimate for the real population)\n";
  TextTable t;
  t.add_row(sex_header("", sexes, 2));
  std::vector<std::string> header{"site"};
  for (std::size_t i = 0; i < sexes.size(); ++i) {
    header.emplace_back("simulated");
    header.emplace_back("estimate");
  }
  t.add_row(header);
  auto add = [&](const std::string& label, const std::vector<Site>& sites) {
    std::vector<std::string> row{label};
    for (int sex : sexes) {
      double simulated = 0;
      double scaled = 0;
      for (Site site : sites) {
        simulated += s.fractures[sex][static_cast<int>(site)];
        scaled += s.fractures_scaled[sex][static_cast<int>(site)];
      }
      row.push_back(count(simulated));
      row.push_back(count(scaled));
    }
    t.add_row(row);
  };
  for (const SiteGroup& row : site_rows()) add(row.label, row.sites);
  const SiteGroup clinical = all_clinical_group();
  add(clinical.label, clinical.sites);
  t.print(out, "  ");
}

bool cohort_extinct(const StrategySummary& s, const std::vector<int>& sexes) {
  for (int sex : sexes) {
    if (!(s.survivors[sex] <= kExtinctShare * s.initial_population[sex])) return false;
  }
  return true;
}

void print_cohort_risks(const ResultHeader& h, const StrategySummary& s, const std::vector<int>& sexes,
                        std::ostream& out) {
  const std::string entry = s.entry_age_bands.empty() ? "" : " (ages " + s.entry_age_bands + ")";
  if (cohort_extinct(s, sexes)) {
    out << "\n  Remaining lifetime risk of a first fracture from entry" << entry
        << ", % of the starting cohort\n";
  } else {
    out << "\n  Risk of a first fracture during the " << h.years << " years simulated, from entry"
        << entry << ", % of the starting cohort\n"
        << "  (not yet a lifetime risk: part of the cohort is still alive at the end)\n";
  }
  TextTable t;
  t.add_row(sex_header("site", sexes, 1));
  for (int site = 0; site < model::kSites; ++site) {
    std::vector<std::string> row{site_label(static_cast<Site>(site))};
    for (int sex : sexes) row.push_back(percent(s.first_fracture_risk_percent[sex][site]));
    t.add_row(row);
  }
  std::vector<std::string> any{"any clinical fracture"};
  for (int sex : sexes) any.push_back(percent(s.any_clinical_risk_percent[sex]));
  t.add_row(any);
  for (int k = 0; k < model::kFractureProcesses; ++k) {
    if (model::sites_of_process(k) < 2) continue;
    std::vector<std::string> row{std::string(model::kFractureProcessNames[k]) +
                                 ", any morphometric *"};
    for (int sex : sexes)
      row.push_back("<= " + percent(s.process_risk_upper_bound_percent[k][sex]));
    t.add_row(row);
  }
  t.print(out, "  ");
  out << "  * upper bound: clinical + silent first fractures; an agent with both counts twice.\n";
}

void print_incidence(const ResultHeader& h, const StrategySummary& s, const std::vector<int>& sexes,
                     std::ostream& out) {
  const bool both = h.years > 1;
  out << "\n  Incidence per 100,000 person-years"
      << (both ? ", over the run and in the first year" : "") << '\n';
  TextTable t;
  t.add_row(sex_header("", sexes, both ? 2 : 1));
  std::vector<std::string> header{"site"};
  for (std::size_t i = 0; i < sexes.size(); ++i) {
    header.push_back(year_range(h));
    if (both) header.push_back(std::to_string(h.start_year));
  }
  t.add_row(header);
  auto add = [&](const std::string& label, const std::vector<Site>& sites) {
    std::vector<std::string> row{label};
    for (int sex : sexes) {
      double run = 0;
      double first = 0;
      for (Site site : sites) {
        run += s.incidence_per_100k[sex][static_cast<int>(site)];
        first += s.incidence_first_year_per_100k[sex][static_cast<int>(site)];
      }
      row.push_back(fixed(run, 1));
      if (both) row.push_back(fixed(first, 1));
    }
    t.add_row(row);
  };
  for (const SiteGroup& row : site_rows()) add(row.label, row.sites);
  t.print(out, "  ");
}

void print_deaths(const ResultHeader& h, const StrategySummary& s, const std::vector<int>& sexes,
                  bool cohort, std::ostream& out) {
  out << "\n  Deaths and survival (simulated agents)\n";
  TextTable t;
  t.add_row(sex_header("", sexes, 1));
  auto add = [&](const std::string& label, auto format) {
    std::vector<std::string> row{label};
    for (int sex : sexes) row.push_back(format(sex));
    t.add_row(row);
  };
  add("alive at the start", [&](int sex) { return count(s.initial_population[sex]); });
  add("deaths", [&](int sex) { return count(s.deaths[sex]); });
  add("  after a fracture (excess)", [&](int sex) { return count(s.deaths_after_fracture[sex]); });
  add("alive at the end", [&](int sex) { return count(s.survivors[sex]); });
  add("person-years", [&](int sex) { return count(s.person_years[sex]); });
  if (cohort) {
    add("life expectancy from entry", [&](int sex) { return fixed(s.life_expectancy_years[sex], 1) + " years"; });
  }
  t.print(out, "  ");
  if (cohort && !cohort_extinct(s, sexes)) {
    out << "  Life expectancy counts only the " << h.years
        << " years simulated (truncated follow-up); it understates\n"
           "  the full remaining life expectancy: ";
    std::string alive;
    for (int sex : sexes) {
      if (!alive.empty()) alive += ", ";
      alive += percent(100 * s.survivors[sex] / s.initial_population[sex]) + " of " +
               std::string(model::kSexNames[sex] == "female" ? "women" : "men");
    }
    out << alive << " are still alive at the end.\n";
  }
}

}  // namespace

void print_summary(const std::string& path, std::ostream& out) {
  const SummaryNumbers numbers = read_summary_numbers(path);
  const ResultHeader& h = numbers.header;
  const bool cohort = h.population_kind == "cohort";
  print_header(path, h, out);
  for (const StrategySummary& s : numbers.strategies) {
    const std::vector<int> sexes = sexes_present(s);
    out << "\nStrategy '" << s.name << "'\n";
    print_fractures(h, s, sexes, out);
    if (cohort) {
      print_cohort_risks(h, s, sexes, out);
    } else {
      print_incidence(h, s, sexes, out);
    }
    print_deaths(h, s, sexes, cohort, out);
  }
  print_comparison(path, h.persons_per_agent, out);
  print_economics(path, out);
}

}  // namespace osteosim::output
