#include <cstdint>
#include <limits>

#include "engine/tallies.hpp"
#include "output/result_format.hpp"
#include "output/summary.hpp"

namespace osteosim::output {

namespace {

using engine::Tallies;
using model::Sex;
using model::Site;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : kNaN;
}

/// Sums of one strategy's arrays over a range of years and all age bands.
struct Totals {
  BySexSite fractures{};
  BySexSite first_fractures{};
  BySex first_any_fracture{};
  BySex deaths{};
  BySex deaths_after_fracture{};
  BySex person_years{};
};

Totals sum_years(const StrategyArrays& s, int first_year, int end_year) {
  Totals t;
  for (int year = first_year; year < end_year; ++year) {
    for (int sex = 0; sex < model::kSexes; ++sex) {
      for (int band = 0; band < model::kAgeBands; ++band) {
        const std::size_t cell = Tallies::index(year, static_cast<Sex>(sex), band);
        t.first_any_fracture[sex] += static_cast<double>(s.first_any_fracture[cell]);
        t.deaths[sex] += static_cast<double>(s.deaths[cell]);
        t.deaths_after_fracture[sex] += static_cast<double>(s.deaths_after_fracture[cell]);
        t.person_years[sex] += s.person_years[cell];
        for (int site = 0; site < model::kSites; ++site) {
          const std::size_t i = Tallies::index(year, static_cast<Sex>(sex), band, static_cast<Site>(site));
          t.fractures[sex][site] += static_cast<double>(s.fractures[i]);
          t.first_fractures[sex][site] += static_cast<double>(s.first_fractures[i]);
        }
      }
    }
  }
  return t;
}

BySex population_in_year(const StrategyArrays& s, int year) {
  BySex population{};
  for (int sex = 0; sex < model::kSexes; ++sex) {
    for (int band = 0; band < model::kAgeBands; ++band) {
      population[sex] += static_cast<double>(s.population[Tallies::index(year, static_cast<Sex>(sex), band)]);
    }
  }
  return population;
}

// "50-54" for a cohort entering at 50, "50-100+" for a cross-section; "" if empty.
std::string populated_bands(const StrategyArrays& s, int year) {
  int youngest = -1;
  int oldest = -1;
  for (int band = 0; band < model::kAgeBands; ++band) {
    for (int sex = 0; sex < model::kSexes; ++sex) {
      if (s.population[Tallies::index(year, static_cast<Sex>(sex), band)] > 0) {
        if (youngest < 0) youngest = band;
        oldest = band;
      }
    }
  }
  if (youngest < 0) return "";
  if (youngest == oldest) return age_band_label(youngest);
  const std::string last = age_band_label(oldest);
  const std::size_t dash = last.find('-');
  return std::to_string(model::kMinAge + youngest * model::kAgeBandYears) + "-" +
         (dash == std::string::npos ? last : last.substr(dash + 1));
}

BySexSite incidence(const Totals& t) {
  BySexSite rate{};
  for (int sex = 0; sex < model::kSexes; ++sex) {
    for (int site = 0; site < model::kSites; ++site) {
      rate[sex][site] = ratio(t.fractures[sex][site], t.person_years[sex]) * 1e5;
    }
  }
  return rate;
}

StrategySummary summarize_strategy(const StrategyArrays& s, const ResultHeader& header) {
  const int years = header.years;
  const Totals run = sum_years(s, 0, years);
  StrategySummary out;
  out.name = s.name;
  out.fractures = run.fractures;
  out.person_years = run.person_years;
  out.deaths = run.deaths;
  out.deaths_after_fracture = run.deaths_after_fracture;
  out.incidence_per_100k = incidence(run);
  out.incidence_first_year_per_100k = incidence(sum_years(s, 0, years > 0 ? 1 : 0));
  if (years > 0) {
    out.initial_population = population_in_year(s, 0);
    out.entry_age_bands = populated_bands(s, 0);
    const BySex last = population_in_year(s, years - 1);
    const Totals last_year = sum_years(s, years - 1, years);
    for (int sex = 0; sex < model::kSexes; ++sex) out.survivors[sex] = last[sex] - last_year.deaths[sex];
  }
  for (int sex = 0; sex < model::kSexes; ++sex) {
    const double entrants = out.initial_population[sex];
    for (int site = 0; site < model::kSites; ++site) {
      out.fractures_scaled[sex][site] = run.fractures[sex][site] * header.persons_per_agent;
      out.first_fracture_risk_percent[sex][site] = 100 * ratio(run.first_fractures[sex][site], entrants);
    }
    out.any_clinical_risk_percent[sex] = 100 * ratio(run.first_any_fracture[sex], entrants);
    for (int site = 0; site < model::kSites; ++site) {
      out.process_risk_upper_bound_percent[model::process_index(static_cast<Site>(site))][sex] +=
          out.first_fracture_risk_percent[sex][site];
    }
    out.life_expectancy_years[sex] = ratio(run.person_years[sex], entrants);
  }
  return out;
}

}  // namespace

SummaryNumbers summarize(const ResultFile& file) {
  SummaryNumbers numbers;
  numbers.header = file.header;
  for (const StrategyArrays& s : file.strategies) {
    numbers.strategies.push_back(summarize_strategy(s, file.header));
  }
  return numbers;
}

SummaryNumbers read_summary_numbers(const std::string& path) {
  return summarize(read_result_file(path));
}

}  // namespace osteosim::output
