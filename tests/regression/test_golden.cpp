// Golden runs: small fixed-seed runs of the shipped scenarios, reduced to a text digest and
// compared with the reviewed file in golden/. The digest holds every integer tally of
// engine::Tallies (engine/tally_layout.hpp names them) with one line per strategy, calendar
// year, sex and age band, so an event counted in the wrong year, band, sex or strategy
// shows, not only a change of totals; the economics by year; and a PSA's per-draw results
// and the one-way analysis in hexadecimal floating point (bit-exact). The runs cover
// interventions, costs and QALYs, a PSA, an open population, Sweden, and 3- and 6-month
// steps. Any change to the model, the parameters or the random-number addressing shows
// up here. After a deliberate change, regenerate with scripts/update-golden
// (OSTEOSIM_UPDATE_GOLDEN=1) and review `git diff tests/regression/golden`.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "config/scenario.hpp"
#include "engine/psa.hpp"
#include "engine/simulation.hpp"
#include "engine/tally_layout.hpp"

namespace osteosim {

namespace {

using engine::TallySpan;

/// A golden run: a shipped scenario at a size that keeps the suite fast, with the PSA (if
/// any) cut to a few small draws.
struct GoldenRun {
  std::string scenario_file;  ///< in scenarios/
  std::string golden_name;    ///< in tests/regression/golden/
  std::int64_t agents = 0;
  std::vector<std::string> set;  ///< --set overrides, e.g. "years=30"
  std::optional<config::PsaSpec> psa;
};

/// "50-54", ..., "95-99", "100+".
std::string band_label(int band) {
  const int low = model::kMinAge + band * model::kAgeBandYears;
  if (band == model::kAgeBands - 1) return std::to_string(low) + "+";
  return std::to_string(low) + "-" + std::to_string(low + model::kAgeBandYears - 1);
}

/// Appends " name=value" (" name.inner=value" for an inner index) for each non-zero number
/// of the columns with span `span` at outer index `outer`; absent numbers are zero.
void append_numbers(std::string& line, const engine::Tallies& t, TallySpan span,
                    std::size_t outer) {
  for (const auto& column : engine::kTallyColumns) {
    if (column.span != span) continue;
    const auto& values = t.*column.member;
    const std::size_t width = column.inner.empty() ? 1 : column.inner.size();
    for (std::size_t k = 0; k < width; ++k) {
      const std::int64_t value = values[outer * width + k];
      if (value == 0) continue;
      line += ' ';
      line += column.name;
      if (!column.inner.empty()) (line += '.') += column.inner[k];
      (line += '=') += std::to_string(value);
    }
  }
}

/// Writes `prefix` and the numbers when any is non-zero (an empty cell gives no line).
void put_line(std::ostream& out, const std::string& prefix, const engine::Tallies& t,
              TallySpan span, std::size_t outer) {
  std::string numbers;
  append_numbers(numbers, t, span, outer);
  if (!numbers.empty()) out << prefix << numbers << '\n';
}

void digest_tallies(std::ostream& out, const config::Scenario& scenario,
                    const std::vector<engine::Tallies>& tallies) {
  for (std::size_t s = 0; s < tallies.size(); ++s) {
    const engine::Tallies& t = tallies[s];
    const std::string& strategy = scenario.strategies[s].name;
    for (int year = 0; year < t.years; ++year) {
      const std::string calendar = std::to_string(scenario.start_year + year);
      for (int sex = 0; sex < model::kSexes; ++sex) {
        for (int band = 0; band < model::kAgeBands; ++band) {
          put_line(out,
                   strategy + ' ' + calendar + ' ' + std::string(model::kSexNames[sex]) + ' ' +
                       band_label(band),
                   t, TallySpan::cell,
                   engine::Tallies::index(year, static_cast<model::Sex>(sex), band));
        }
      }
      put_line(out, strategy + ' ' + calendar + " all", t, TallySpan::year,
               static_cast<std::size_t>(year));
    }
    put_line(out, strategy + " run", t, TallySpan::run, 0);
  }
}

/// Bit-exact text of a double: hexadecimal floating point ("%a").
std::string hex(double x) {
  char text[64];
  std::snprintf(text, sizeof text, "%a", x);
  return text;
}

// Every field of EconomicTotals is written below; a new field must be added there.
static_assert(sizeof(engine::EconomicTotals) == 7 * sizeof(double),
              "EconomicTotals changed: digest its new fields in economic_line()");

std::string economic_line(const engine::EconomicTotals& e) {
  return " cost=" + hex(e.cost_usd) + " qalys=" + hex(e.qalys) +
         " life_years=" + hex(e.life_years) + " clinical_fractures=" + hex(e.clinical_fractures) +
         " incremental_cost_se=" + hex(e.incremental_cost_se_usd) +
         " incremental_qaly_se=" + hex(e.incremental_qaly_se) +
         " incremental_cost_qaly_covariance=" + hex(e.incremental_cost_qaly_covariance);
}

/// The PSA's draws and the one-way analysis as the run service computes them
/// (cli/command_run.cpp calls run_psa and run_one_way): the numbers /analysis is made of.
void digest_psa(std::ostream& out, const config::Scenario& scenario) {
  const std::size_t strategies = scenario.strategies.size();
  const engine::PsaResult psa = engine::run_psa(scenario, 0, nullptr);
  ASSERT_EQ(psa.draws, scenario.psa.draws);
  const std::size_t parameters = psa.parameter_names.size();
  ASSERT_EQ(psa.parameter_values.size(), static_cast<std::size_t>(psa.draws) * parameters);
  ASSERT_EQ(psa.totals.size(), static_cast<std::size_t>(psa.draws) * strategies);
  for (std::size_t d = 0; d < static_cast<std::size_t>(psa.draws); ++d) {
    for (std::size_t p = 0; p < parameters; ++p) {
      out << "psa draw " << d << " parameter " << psa.parameter_names[p] << ' '
          << hex(psa.parameter_values[d * parameters + p]) << '\n';
    }
    for (std::size_t s = 0; s < strategies; ++s) {
      out << "psa draw " << d << ' ' << scenario.strategies[s].name
          << economic_line(psa.totals[d * strategies + s]) << '\n';
    }
  }
  const engine::OneWayResult one_way = engine::run_one_way(scenario, 0, nullptr);
  ASSERT_EQ(one_way.base.size(), strategies);
  ASSERT_EQ(one_way.totals.size(), one_way.parameter_names.size() * 2 * strategies);
  for (std::size_t s = 0; s < strategies; ++s) {
    out << "one-way base " << scenario.strategies[s].name << economic_line(one_way.base[s]) << '\n';
  }
  for (std::size_t p = 0; p < one_way.parameter_names.size(); ++p) {
    for (std::size_t end = 0; end < 2; ++end) {
      const std::size_t run = p * 2 + end;
      for (std::size_t s = 0; s < strategies; ++s) {
        out << "one-way " << one_way.parameter_names[p] << (end == 0 ? " low " : " high ")
            << hex(one_way.values[run]) << ' ' << scenario.strategies[s].name
            << economic_line(one_way.totals[run * strategies + s]) << '\n';
      }
    }
  }
}

std::string digest(const GoldenRun& run, const config::Scenario& scenario) {
  std::ostringstream out;
  out << "# " << scenario.name << " (scenarios/" << run.scenario_file << ", model "
      << scenario.model_name << "): " << scenario.population.agents << " agents, " << scenario.years
      << " years from " << scenario.start_year << ", " << scenario.time_step_months
      << "-month steps, seed " << scenario.seed << "\n"
      << "# one line per strategy, calendar year, sex and age band (then the year's economics"
         " and the run's block statistics); numbers not shown are 0\n";
  const auto tallies = engine::simulate(scenario, {});
  EXPECT_EQ(tallies.size(), scenario.strategies.size());
  for (const auto& t : tallies) {
    EXPECT_TRUE(engine::tally_layout_matches(t))
        << "engine/tally_layout.hpp does not match Tallies::columns_of";
  }
  digest_tallies(out, scenario, tallies);
  if (scenario.psa.draws > 0) {
    out << "# PSA: " << scenario.psa.draws << " draws x " << scenario.psa.agents_per_draw
        << " agents; values in hexadecimal floating point, per person\n";
    digest_psa(out, scenario);
  }
  return out.str();
}

/// Where two digests first differ, and how many lines differ: a readable failure for
/// files of thousands of lines.
std::string describe_difference(const std::string& expected, const std::string& got) {
  std::istringstream a(expected), b(got);
  std::string line_a, line_b, first;
  int line = 0, differing = 0;
  for (;;) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) break;
    ++line;
    if (more_a && more_b && line_a == line_b) continue;
    ++differing;
    if (first.empty()) {
      first = "first at line " + std::to_string(line) +
              ":\n  golden: " + (more_a ? line_a : "(end of file)") +
              "\n  now:    " + (more_b ? line_b : "(end)");
    }
  }
  return std::to_string(differing) + " line(s) differ; " + first;
}

void check_golden(const GoldenRun& run) {
  const std::string path =
      std::string(OSTEOSIM_TEST_DATA) + "/regression/golden/" + run.golden_name;
  // Only exactly "1" rewrites: OSTEOSIM_UPDATE_GOLDEN=0 (or yes, or empty) must not
  // silently rewrite the files it was meant to protect.
  const char* update = std::getenv("OSTEOSIM_UPDATE_GOLDEN");
  const bool rewrite = update != nullptr && std::string_view(update) == "1";
  if (update != nullptr && !rewrite) {
    FAIL() << "OSTEOSIM_UPDATE_GOLDEN='" << update
           << "': set OSTEOSIM_UPDATE_GOLDEN=1 to rewrite the golden files "
              "(scripts/update-golden), or unset it to compare with them";
  }
  config::Overrides overrides;
  overrides.agents = run.agents;
  overrides.set = run.set;
  auto scenario = config::load_scenario(
      std::string(OSTEOSIM_SOURCE_DIR) + "/scenarios/" + run.scenario_file, overrides);
  if (run.psa) {
    ASSERT_GT(scenario.psa.draws, 0) << run.scenario_file << " has no PSA to cut down";
    scenario.psa = *run.psa;
  }
  const std::string got = digest(run, scenario);
  if (rewrite) {
    std::ofstream out(path);
    out << got;
    out.close();
    ASSERT_TRUE(out) << "cannot write " << path;
    GTEST_SKIP() << "OSTEOSIM_UPDATE_GOLDEN=1: rewritten " << path
                 << " (review the diff before committing)";
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run scripts/update-golden)";
  const std::string expected((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (got != expected) {
    ADD_FAILURE() << "digest differs from " << path << ": " << describe_difference(expected, got)
                  << "\nIf the change is intended, run scripts/update-golden and review the diff.";
  }
}

}  // namespace

// Natural history, a cohort of both sexes to extinction (60 years).
TEST(Golden, UsCohort50BothSexes) {
  check_golden({"us-cohort-50-both-sexes.yaml", "us-cohort-50.txt", 20000, {}, {}});
}
// A closed cross-section: every age band from the first year.
TEST(Golden, UsPopulation2025) {
  check_golden({"us-population-2025.yaml", "us-population-2025.txt", 20000, {}, {}});
}
// Six intervention strategies (screening, treatment, liaison, falls programme) on common
// random numbers; 30 years reaches the screening ages (65+) and the programme age (75).
TEST(Golden, UsWomenScreeningPolicies) {
  check_golden({"us-women-screening-policies.yaml",
                "us-women-screening-policies.txt",
                5000,
                {"years=30"},
                {}});
}
// Costs, QALYs and discounting, with a small PSA (5 draws x 512 agents) and the one-way
// analysis on those 512 agents.
TEST(Golden, UsWomenScreeningCea) {
  check_golden({"us-women-screening-cea.yaml",
                "us-women-screening-cea.txt",
                4000,
                {"years=30"},
                config::PsaSpec{5, 512}});
}
// An open population: the cross-section plus each later year's 50-year-olds.
TEST(Golden, UsProjection) {
  check_golden(
      {"us-projection-2025-2050.yaml", "us-projection-2025-2050.txt", 10000, {"years=12"}, {}});
}
// The Swedish model.
TEST(Golden, SwedenPopulation2025) {
  check_golden({"sweden-population-2025.yaml", "sweden-population-2025.txt", 20000, {}, {}});
}
// Shorter time steps, with interventions: events within a year fall on step boundaries.
TEST(Golden, UsWomenScreeningPolicies3MonthSteps) {
  check_golden({"us-women-screening-policies.yaml",
                "us-women-screening-policies-3-month.txt",
                2000,
                {"years=20", "time_step_months=3"},
                {}});
}
TEST(Golden, UsWomenScreeningPolicies6MonthSteps) {
  check_golden({"us-women-screening-policies.yaml",
                "us-women-screening-policies-6-month.txt",
                2000,
                {"years=20", "time_step_months=6"},
                {}});
}

}  // namespace osteosim
