// Golden runs: small fixed-seed runs of the shipped scenarios, reduced to a text digest
// of exact integer tallies and compared with the reviewed file in golden/. Any change to
// the model, the parameters or the random-number addressing shows up here. After a
// deliberate change, regenerate with scripts/update-golden and review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <numeric>
#include <sstream>

#include "config/scenario.hpp"
#include "engine/simulation.hpp"

namespace osteosim {

namespace {

std::string digest(const config::Scenario& scenario, const std::vector<engine::Tallies>& tallies) {
  using engine::Tallies;
  std::ostringstream out;
  out << "# " << scenario.name << ": " << scenario.population.agents << " agents, "
      << scenario.years << " years, " << scenario.time_step_months << "-month steps, seed "
      << scenario.seed << "\n";
  for (std::size_t s = 0; s < tallies.size(); ++s) {
    const Tallies& t = tallies[s];
    out << "strategy " << scenario.strategies[s].name << "\n";
    for (int sex = 0; sex < model::kSexes; ++sex) {
      std::array<std::int64_t, model::kSites> fractures{}, first{};
      std::int64_t deaths = 0, excess = 0, falls = 0, ticks = 0, first_any = 0, entrants = 0;
      for (int year = 0; year < t.years; ++year) {
        for (int band = 0; band < model::kAgeBands; ++band) {
          const auto c = Tallies::index(year, static_cast<model::Sex>(sex), band);
          for (int k = 0; k < model::kSites; ++k) {
            fractures[k] += t.fractures[c * model::kSites + k];
            first[k] += t.first_fractures[c * model::kSites + k];
          }
          deaths += t.deaths[c];
          excess += t.deaths_after_fracture[c];
          falls += t.falls[c];
          ticks += t.person_time_ticks[c];
          first_any += t.first_any_fracture[c];
          if (year == 0) entrants += t.population[c];
        }
      }
      out << "  " << model::kSexNames[sex] << ": entrants " << entrants << ", deaths " << deaths
          << " (excess " << excess << "), falls " << falls << ", person_time_ticks " << ticks
          << ", first_any_fracture " << first_any << "\n";
      for (int k = 0; k < model::kSites; ++k) {
        out << "    " << model::kSiteNames[k] << ": fractures " << fractures[k] << ", first "
            << first[k] << "\n";
      }
    }
  }
  return out.str();
}

void check_golden(const std::string& scenario_file, const std::string& golden_name) {
  config::Overrides overrides;
  overrides.agents = 20000;
  const auto scenario = config::load_scenario(
      std::string(OSTEOSIM_SOURCE_DIR) + "/scenarios/" + scenario_file, overrides);
  const std::string got = digest(scenario, engine::simulate(scenario, {}));
  const std::string path = std::string(OSTEOSIM_TEST_DATA) + "/regression/golden/" + golden_name;
  if (std::getenv("OSTEOSIM_UPDATE_GOLDEN")) {
    std::ofstream(path) << got;
    GTEST_SKIP() << "golden file rewritten: " << path;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run scripts/update-golden)";
  const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(got, expected) << "digest differs from " << path
                           << "; if the change is intended, run scripts/update-golden";
}

}  // namespace

TEST(Golden, UsCohort50BothSexes) { check_golden("us-cohort-50-both-sexes.yaml", "us-cohort-50.txt"); }
TEST(Golden, UsPopulation2025) { check_golden("us-population-2025.yaml", "us-population-2025.txt"); }

}  // namespace osteosim
