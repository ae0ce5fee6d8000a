// The second shipped model, models/sweden-2025, through the loader every run uses
// (config::load_scenario on its shipped scenario), checked against its own files read here
// independently (yaml-cpp for the YAML, a plain reader for the CSV tables) and against the
// checks its table headers state: a loader that mixed up sexes, rows or files, or a table
// edited without its stated checks, fails here.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "model_table_csv.hpp"

namespace osteosim {

namespace {

const std::string kModelDir = OSTEOSIM_SOURCE_DIR "/models/sweden-2025";

model::ModelParameters sweden_parameters() {
  const auto scenario =
      config::load_scenario(OSTEOSIM_SOURCE_DIR "/scenarios/sweden-population-2025.yaml", {});
  return scenario.strategies.at(0).parameters;
}

using CsvRows = testing::ModelTableCsv;

CsvRows read_csv(const std::string& relative_path) {
  return testing::read_model_table_csv(kModelDir + "/" + relative_path);
}

void expect_table_is(const model::AgeTable& table, const CsvRows& csv, const std::string& what) {
  EXPECT_EQ(table.keys, csv.keys) << what;
  EXPECT_EQ(table.values[static_cast<int>(model::Sex::female)], csv.female) << what;
  EXPECT_EQ(table.values[static_cast<int>(model::Sex::male)], csv.male) << what;
}

/// A number of a model YAML file: plain, or the value of {value, distribution, ...}.
double yaml_number(const YAML::Node& node) {
  return (node.IsMap() ? node["value"] : node).as<double>();
}

}  // namespace

TEST(SwedenModel, TablesAreTheFilesWithSexesAndRowsInPlace) {
  const auto p = sweden_parameters();
  EXPECT_EQ(p.name, "sweden-2025");
  expect_table_is(p.demography.population, read_csv("tables/population_2025.csv"),
                  "population_2025.csv");
  expect_table_is(
      p.fractures.site[static_cast<int>(model::FractureProcess::hip)].calibration_multiplier,
      read_csv("calibration/hip_multiplier.csv"), "hip_multiplier.csv");
  expect_table_is(p.mortality.background_multiplier,
                  read_csv("calibration/background_mortality_multiplier.csv"),
                  "background_mortality_multiplier.csv");
  // Single years of age 50 to 100 (100+) and, for the life table, to 110.
  ASSERT_EQ(p.demography.population.keys.size(), 51u);
  EXPECT_EQ(p.demography.population.keys.back(), 100);
  ASSERT_EQ(p.mortality.annual_death_probability.keys.size(), 61u);
  EXPECT_EQ(p.mortality.annual_death_probability.keys.front(), 50);
  EXPECT_EQ(p.mortality.annual_death_probability.keys.back(), 110);
}

TEST(SwedenModel, LifeTableGivesTheLifeExpectancyItsHeaderStates) {
  const auto p = sweden_parameters();
  const auto& qx = p.mortality.annual_death_probability;
  const CsvRows csv = read_csv("tables/life_table_qx.csv");
  expect_table_is(qx, csv, "life_table_qx.csv");
  // "Check (computed here, a(x)=0.5): life expectancy at 50 = 35.59 y women, 32.74 y men;
  // at 65 = 21.91 / 19.49" (the file's header, SCB 2019).
  std::smatch m;
  const std::regex stated(
      R"(life expectancy at 50 = ([0-9.]+) y women, ([0-9.]+) y men; at 65 = ([0-9.]+) / ([0-9.]+))");
  ASSERT_TRUE(std::regex_search(csv.comments, m, stated)) << "the header no longer states e50/e65";
  EXPECT_NEAR(testing::life_expectancy(qx, model::Sex::female, 50), std::stod(m[1]), 0.005);
  EXPECT_NEAR(testing::life_expectancy(qx, model::Sex::male, 50), std::stod(m[2]), 0.005);
  EXPECT_NEAR(testing::life_expectancy(qx, model::Sex::female, 65), std::stod(m[3]), 0.005);
  EXPECT_NEAR(testing::life_expectancy(qx, model::Sex::male, 65), std::stod(m[4]), 0.005);
  // The death hazard rises with age over the observed single years 50-97, and men's is
  // above women's at every age. (98-99 dip below 97: the unsmoothed SCB counts at 98 and
  // the Kannisto fit from 99, as the header says; not required here.)
  for (int sex = 0; sex < model::kSexes; ++sex) {
    for (int age = 51; age <= 97; ++age) {
      EXPECT_GT(qx.at(static_cast<model::Sex>(sex), age),
                qx.at(static_cast<model::Sex>(sex), age - 1))
          << model::kSexNames[sex] << " at " << age;
    }
  }
  for (int age = 50; age <= 110; ++age) {
    EXPECT_GT(qx.at(model::Sex::male, age), qx.at(model::Sex::female, age)) << age;
  }
}

TEST(SwedenModel, PopulationTotalsAreTheOnesItsHeaderStates) {
  const auto p = sweden_parameters();
  // "Check: 50+ total = 2.153 M women, 2.040 M men." (population_2025.csv header)
  const CsvRows csv = read_csv("tables/population_2025.csv");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(csv.comments, m,
                                std::regex(R"(50\+ total = ([0-9.]+) M women, ([0-9.]+) M men)")));
  for (const auto sex : {model::Sex::female, model::Sex::male}) {
    double total = 0;
    for (const double persons : p.demography.population.values[static_cast<int>(sex)]) {
      total += persons;
    }
    EXPECT_NEAR(total / 1e6, std::stod(m[sex == model::Sex::female ? 1 : 2]), 0.0005)
        << model::kSexNames[static_cast<int>(sex)];
  }
}

TEST(SwedenModel, NumbersAreTheYamlFilesOnes) {
  const auto p = sweden_parameters();
  const YAML::Node model = YAML::LoadFile(kModelDir + "/model.yaml");
  EXPECT_EQ(p.bone.reference_mean_g_cm2, model["bone"]["reference_mean_g_cm2"].as<double>());
  EXPECT_EQ(p.falls.rr_after_fall_in_last_year,
            model["falls"]["rr_after_fall_in_last_year"].as<double>());
  for (int k = 0; k < model::kFractureProcesses; ++k) {
    const YAML::Node site = model["fractures"][std::string(model::kFractureProcessNames[k])];
    ASSERT_TRUE(site) << model::kFractureProcessNames[k];
    EXPECT_EQ(p.fractures.site[k].rr_per_sd_decrease, yaml_number(site["rr_per_sd_decrease"]))
        << model::kFractureProcessNames[k];
    EXPECT_EQ(p.fractures.site[k].fall_share, yaml_number(site["fall_share"]))
        << model::kFractureProcessNames[k];
  }
  EXPECT_EQ(p.fractures.vertebral_clinical_fraction,
            yaml_number(model["fractures"]["vertebral"]["clinical_fraction"]));
  // The economics block is a placeholder copy of us-2025 (US dollars, 2019 prices, as its
  // header warns): the loaded currency and price year must be what the file says, so that
  // results are never labelled with another currency.
  const YAML::Node economics = YAML::LoadFile(kModelDir + "/economics.yaml");
  EXPECT_EQ(p.economics.currency, economics["currency"].as<std::string>());
  EXPECT_EQ(p.economics.price_year, economics["price_year"].as<int>());
  EXPECT_EQ(p.economics.discount_rate_costs_per_year,
            economics["discount"]["costs_rate_per_year"].as<double>());
}

}  // namespace osteosim
