// Unit tests of the config layer: scenario + model files -> config::Scenario, and the exact
// error messages users see. Each test writes its own tiny model in a temporary folder so it
// does not depend on the numbers of models/us-2025.
#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/error.hpp"
#include "config/error_list.hpp"
#include "config/model_loader.hpp"
#include "config/scenario.hpp"

namespace fs = std::filesystem;
using osteosim::InputError;
using osteosim::config::ErrorList;
using osteosim::config::kMaxListedErrors;
using osteosim::config::load_scenario;
using osteosim::config::load_scenarios;
using osteosim::config::Overrides;
using osteosim::config::PopulationKind;
using osteosim::model::Sex;

namespace {

const char* kModelYaml = R"(schema_version: 1
name: tiny
description: "test model"
demography:
  population_table: tables/pop.csv
bone:
  reference_mean_g_cm2: 0.858
  reference_sd_g_cm2: 0.120
  mean_bmd_table: tables/bmd.csv
  sd_bmd_table: tables/bmd.csv
  annual_loss_table: tables/loss.csv
  loss_individual_cv: 0.5
  menopause_age_mean_years: 51.4
  menopause_age_sd_years: 3.8
  menopause_extra_loss_fraction_per_year: 0.015
  menopause_extra_loss_start_years: -1.0
  menopause_extra_loss_end_years: 2.0
risk_factors:
  parental_hip_fracture:   {prevalence_female: 0.1, prevalence_male: 0.2, rr_hip: 1.5, rr_vertebral: 1.0, rr_wrist: 1.0}
  current_smoking:         {prevalence_female: 0.1, prevalence_male: 0.1, rr_hip: 1.0, rr_vertebral: 1.0, rr_wrist: 1.0}
  glucocorticoids:         {prevalence_female: 0.1, prevalence_male: 0.1, rr_hip: 1.0, rr_vertebral: 1.0, rr_wrist: 1.0}
  rheumatoid_arthritis:    {prevalence_female: 0.1, prevalence_male: 0.1, rr_hip: 1.0, rr_vertebral: 1.0, rr_wrist: 1.0}
  alcohol_3_or_more_units: {prevalence_female: 0.1, prevalence_male: 0.1, rr_hip: 1.0, rr_vertebral: 1.0, rr_wrist: 1.0}
  low_bmi:                 {prevalence_female: 0.1, prevalence_male: 0.1, rr_hip: 1.0, rr_vertebral: 1.0, rr_wrist: 2.5}
falls:
  annual_rate_table: tables/rate.csv
  annual_rate_scale: 1.0
  rr_after_fall_in_last_year: 1.7
fractures:
  hip:
    incidence_table: tables/hip.csv
    rr_per_sd_decrease: 2.6
    fall_share: 0.95
  vertebral:
    clinical_incidence_table: tables/hip.csv
    clinical_fraction: 0.33
    rr_per_sd_decrease: 1.8
    fall_share: 0.45
  wrist:
    incidence_table: tables/hip.csv
    rr_per_sd_decrease: 1.4
    fall_share: 0.9
  prior_fracture_prevalence_table: tables/prob.csv
  rr_by_years_since_fracture_table: tables/rr.csv
mortality:
  life_table: tables/prob.csv
  rr_after_hip_fracture_table: tables/rr.csv
  rr_after_vertebral_fracture_table: tables/rr.csv
)";

const char* kScenario = R"(schema_version: 1
name: base
model: tiny
population: {kind: cohort, sex: female, age: 50, agents: 1000}
years: 10
time_step_months: 12
seed: 7
)";

/// A fresh folder with models/tiny and scenarios/, removed after the test.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            (std::string("osteosim_config_") + info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "models/tiny/tables");
    fs::create_directories(root_ / "scenarios");
    write("models/tiny/model.yaml", kModelYaml);
    write("models/tiny/tables/pop.csv", "age,female,male\n50,1000,900\n60,800,700\n");
    write("models/tiny/tables/bmd.csv", "age,female,male\n50,0.8,0.9\n");
    write("models/tiny/tables/loss.csv", "age,female,male\n50,0.01,0.005\n");
    write("models/tiny/tables/rate.csv", "age,female,male\n50,0.3,0.2\n");
    write("models/tiny/tables/hip.csv",
          "# Hip fractures per 100,000 person-years\n"
          "age,female,male,source\n"
          "50,100,50,\"Smith, 2020, \"\"Table 2\"\"\"\n"
          "\n"
          "60,200,100,plain source\n");
    write("models/tiny/tables/prob.csv", "age,female,male\n50,0.01,0.02\n");
    write("models/tiny/tables/rr.csv", "years_since_fracture,female,male\n0,2,2\n2,1.5,1.4\n");
    write("scenarios/base.yaml", kScenario);
    // Every run needs costs and utilities; the shipped ones serve as placeholders here.
    fs::copy_file(fs::path(OSTEOSIM_SOURCE_DIR) / "models/us-2025/economics.yaml",
                  root_ / "models/tiny/economics.yaml");
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& relative, const std::string& text) {
    std::ofstream(root_ / relative, std::ios::binary) << text;
  }
  std::string path(const std::string& relative) const { return (root_ / relative).string(); }

  /// The message of the InputError that loading `scenario` throws ("" if none).
  std::string error_of(const std::string& scenario, const Overrides& overrides = {}) {
    try {
      load_scenario(path(scenario), overrides);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  fs::path root_;
};

#define EXPECT_CONTAINS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

TEST_F(ConfigTest, LoadsValidScenario) {
  const auto s = load_scenario(path("scenarios/base.yaml"), {});
  EXPECT_EQ(s.name, "base");
  EXPECT_EQ(s.model_name, "tiny");
  EXPECT_EQ(s.population.kind, PopulationKind::cohort);
  ASSERT_TRUE(s.population.sex.has_value());
  EXPECT_EQ(*s.population.sex, Sex::female);
  EXPECT_EQ(s.population.age_years, 50);
  EXPECT_EQ(s.population.agents, 1000);
  EXPECT_EQ(s.years, 10);
  EXPECT_EQ(s.start_year, 2025);  // default
  EXPECT_EQ(s.time_step_months, 12);
  EXPECT_EQ(s.seed, 7u);
  ASSERT_EQ(s.strategies.size(), 1u);
  EXPECT_EQ(s.strategies[0].name, "base");  // default strategy named after the scenario
  const auto& p = s.strategies[0].parameters;
  EXPECT_EQ(p.name, "tiny");
  EXPECT_DOUBLE_EQ(p.bone.reference_mean_g_cm2, 0.858);
  EXPECT_DOUBLE_EQ(p.risk_factors[0].prevalence[1], 0.2);
  EXPECT_DOUBLE_EQ(p.risk_factors[0].rr[0], 1.5);
  EXPECT_DOUBLE_EQ(p.risk_factors[5].rr[2], 2.5);
  EXPECT_DOUBLE_EQ(p.fractures.vertebral_clinical_fraction, 0.33);
  // Incidence tables are per 100,000 in the file, per person-year in the model.
  EXPECT_DOUBLE_EQ(p.fractures.site[0].incidence_per_person_year.at(Sex::female, 55), 100e-5);
  EXPECT_DOUBLE_EQ(p.fractures.site[0].incidence_per_person_year.at(Sex::male, 70), 100e-5);
  EXPECT_DOUBLE_EQ(p.mortality.rr_after_hip_fracture.at(Sex::male, 3), 1.4);
  EXPECT_EQ(p.fractures.site[0].incidence_per_person_year.source_file,
            path("models/tiny/tables/hip.csv"));
  // Every file read is listed for provenance.
  EXPECT_EQ(s.input_files.front(), path("scenarios/base.yaml"));
  EXPECT_NE(std::find(s.input_files.begin(), s.input_files.end(), path("models/tiny/model.yaml")),
            s.input_files.end());
  EXPECT_NE(
      std::find(s.input_files.begin(), s.input_files.end(), path("models/tiny/tables/rr.csv")),
      s.input_files.end());
  EXPECT_CONTAINS(s.resolved_yaml, "name: base");
  EXPECT_CONTAINS(s.resolved_yaml, "annual_rate_scale: 1");
  EXPECT_CONTAINS(s.resolved_yaml, "incidence_table: " + path("models/tiny/tables/hip.csv"));
}

TEST_F(ConfigTest, ExtendsAndSetPrecedence) {
  write("scenarios/base.yaml", std::string(kScenario) + "set: {falls.annual_rate_scale: 1.1}\n");
  write("scenarios/child.yaml", R"(schema_version: 1
name: child
extends: base
population: {age: 60}
set:
  falls:
    rr_after_fall_in_last_year: 2.0
strategies:
  - name: natural-history
  - name: fall-prevention
    set: {falls.annual_rate_scale: 0.5}
)");
  const auto s = load_scenario(path("scenarios/child.yaml"), {});
  EXPECT_EQ(s.name, "child");
  EXPECT_EQ(s.population.age_years, 60);  // deep merge: age from the child ...
  EXPECT_EQ(s.population.agents, 1000);   // ... the rest of population from the base
  EXPECT_EQ(*s.population.sex, Sex::female);
  EXPECT_EQ(s.years, 10);
  ASSERT_EQ(s.strategies.size(), 2u);
  EXPECT_DOUBLE_EQ(s.strategies[0].parameters.falls.annual_rate_scale, 1.1);           // base set
  EXPECT_DOUBLE_EQ(s.strategies[0].parameters.falls.rr_after_fall_in_last_year, 2.0);  // child set
  EXPECT_DOUBLE_EQ(s.strategies[1].parameters.falls.annual_rate_scale, 0.5);  // strategy set last
  EXPECT_DOUBLE_EQ(s.strategies[1].parameters.falls.rr_after_fall_in_last_year, 2.0);
  EXPECT_EQ(s.input_files[0], path("scenarios/base.yaml"));
  EXPECT_EQ(s.input_files[1], path("scenarios/child.yaml"));
}

TEST_F(ConfigTest, CommandLineOverrides) {
  Overrides o;
  o.agents = 50;
  o.seed = 99;
  o.set = {"years=20", "population.age=65", "falls.annual_rate_scale=2"};
  const auto s = load_scenario(path("scenarios/base.yaml"), o);
  EXPECT_EQ(s.population.agents, 50);
  EXPECT_EQ(s.seed, 99u);
  EXPECT_EQ(s.years, 20);
  EXPECT_EQ(s.population.age_years, 65);
  EXPECT_DOUBLE_EQ(s.strategies[0].parameters.falls.annual_rate_scale, 2.0);
  EXPECT_CONTAINS(s.resolved_yaml, "years: 20");
}

TEST_F(ConfigTest, CommandLineSetsThePsa) {
  // `--set psa.draws=3 --set psa.agents_per_draw=256` turns the PSA on or makes a shipped
  // one small (tests/cli/shipped_scenarios.sh runs the CEA so); psa.* keys are checked.
  Overrides o;
  o.set = {"psa.draws=3", "psa.agents_per_draw=256"};
  const auto s = load_scenario(path("scenarios/base.yaml"), o);
  EXPECT_EQ(s.psa.draws, 3);
  EXPECT_EQ(s.psa.agents_per_draw, 256);
  o.set = {"psa.draws=3", "psa.agents_per_drew=256"};
  EXPECT_CONTAINS(error_of("scenarios/base.yaml", o), "psa.agents_per_drew");
}

TEST_F(ConfigTest, CommandLineSetErrorsNameTheCommandLine) {
  Overrides o;
  o.set = {"yaers=3", "falls.anual_rate_scale=2", "years=ten"};
  const auto message = error_of("scenarios/base.yaml", o);
  EXPECT_CONTAINS(message, "command line --set: unknown key 'yaers' (did you mean 'years'?)");
  EXPECT_CONTAINS(message,
                  "command line --set: unknown key 'falls.anual_rate_scale' (did you mean "
                  "'falls.annual_rate_scale'?)");
  EXPECT_CONTAINS(message, "command line --set: key 'years': expected an integer, got 'ten'");
}

TEST_F(ConfigTest, UnknownKeyWithDidYouMean) {
  write("scenarios/x.yaml", std::string(kScenario) + "yaers: 5\npopulation.agnets: 3\n");
  const auto message = error_of("scenarios/x.yaml");
  EXPECT_CONTAINS(message,
                  path("scenarios/x.yaml") + ":8: unknown key 'yaers' (did you mean 'years'?)");
  EXPECT_CONTAINS(message,
                  path("scenarios/x.yaml") +
                      ":9: unknown key 'population.agnets' (did you mean 'population.agents'?)");
}

TEST_F(ConfigTest, AllErrorsOfAFileTogether) {
  write("scenarios/x.yaml", R"(schema_version: 1
name: Bad Name
model: tiny
population: {kind: cohrot, agents: -5}
years: ten
time_step_months: 5
seed: 1
)");
  const auto message = error_of("scenarios/x.yaml");
  const std::string f = path("scenarios/x.yaml");
  EXPECT_CONTAINS(message, f + ":2: key 'name': invalid name 'Bad Name'");
  EXPECT_CONTAINS(message,
                  f + ":4: key 'population.kind': invalid value 'cohrot' (did you mean 'cohort'?)");
  EXPECT_CONTAINS(message,
                  f + ":4: key 'population.agents': -5 is out of range: allowed 1 to 10000000000");
  EXPECT_CONTAINS(message, f + ":5: key 'years': expected an integer, got 'ten'");
  EXPECT_CONTAINS(message, f + ":6: key 'time_step_months': 5 is not allowed: use 1, 3, 6 or 12");
  // One line per problem, in file order.
  EXPECT_LT(message.find(":2:"), message.find(":5:"));
}

TEST_F(ConfigTest, MissingKeysAndPopulationRules) {
  write("scenarios/x.yaml", R"(schema_version: 1
name: x
model: tiny
population:
  kind: cohort
  agents: 10
time_step_months: 12
seed: 1
)");
  auto message = error_of("scenarios/x.yaml");
  EXPECT_CONTAINS(
      message, path("scenarios/x.yaml") +
                   ":4: key 'population.age': required key is missing (in mapping 'population')");
  EXPECT_CONTAINS(message, path("scenarios/x.yaml") +
                               ": key 'years': required key is missing (at the top level)");
  write("scenarios/y.yaml", R"(schema_version: 1
name: y
model: tiny
population: {kind: cross_section, sex: male, agents: 10}
years: 5
time_step_months: 12
seed: 1
)");
  message = error_of("scenarios/y.yaml");
  EXPECT_CONTAINS(message, path("scenarios/y.yaml") +
                               ":4: key 'population.sex': only a cohort has a single age and sex");
}

TEST_F(ConfigTest, HostileNumbers) {
  write("scenarios/x.yaml",
        std::string(kScenario) +
            "start_year: .nan\nset: {falls.annual_rate_scale: .inf, bone.reference_sd_g_cm2: 0}\n");
  auto message = error_of("scenarios/x.yaml");
  EXPECT_CONTAINS(message, ":8: key 'start_year': expected an integer, got '.nan'");
  EXPECT_CONTAINS(message,
                  ":9: key 'falls.annual_rate_scale': expected a finite number, got '.inf'");
  EXPECT_CONTAINS(message, ":9: key 'bone.reference_sd_g_cm2': 0 is out of range: allowed (0, 2]");
  Overrides o;
  o.set = {"population.agents=1e300", "seed=-1"};
  message = error_of("scenarios/base.yaml", o);
  EXPECT_CONTAINS(message, "command line --set: key 'population.agents': 1e300 is out of range");
  EXPECT_CONTAINS(message,
                  "command line --set: key 'seed': -1 is out of range: allowed 0 to 4294967295");
}

TEST_F(ConfigTest, CircularExtends) {
  write("scenarios/a.yaml", "schema_version: 1\nextends: b\n");
  write("scenarios/b.yaml", "schema_version: 1\nextends: a.yaml\n");
  const auto message = error_of("scenarios/a.yaml");
  EXPECT_CONTAINS(message, "key 'extends': circular extends: " + path("scenarios/a.yaml") + " -> " +
                               path("scenarios/b.yaml") + " -> " + path("scenarios/a.yaml"));
}

TEST_F(ConfigTest, MissingFiles) {
  write("scenarios/x.yaml", "schema_version: 1\nextends: nothere\n");
  EXPECT_CONTAINS(error_of("scenarios/x.yaml"),
                  ":2: key 'extends': scenario 'nothere' not found: looked for " +
                      path("scenarios/nothere.yaml"));
  write("scenarios/m.yaml",
        std::string(kScenario).replace(std::string(kScenario).find("tiny"), 4, "tinyy"));
  EXPECT_CONTAINS(error_of("scenarios/m.yaml"),
                  ":3: key 'model': model 'tinyy' not found (did you mean 'tiny'?); looked for " +
                      path("models/tinyy/model.yaml"));
  write("scenarios/t.yaml",
        std::string(kScenario) + "set: {mortality.life_table: tables/none.csv}\n");
  EXPECT_CONTAINS(error_of("scenarios/t.yaml"),
                  ":8: key 'mortality.life_table': table file not found: " +
                      path("models/tiny/tables/none.csv"));
  EXPECT_CONTAINS(error_of("scenarios/none.yaml"),
                  path("scenarios/none.yaml") + ": file not found");
  fs::create_directories(root_ / "scenarios/dir.yaml");
  EXPECT_CONTAINS(error_of("scenarios/dir.yaml"), "is a directory");
}

TEST_F(ConfigTest, TablePathMustStayInModelFolder) {
  write("scenarios/x.yaml", std::string(kScenario) +
                                "set: {mortality.life_table: ../../scenarios/base.yaml, "
                                "falls.annual_rate_table: /etc/passwd}\n");
  const auto message = error_of("scenarios/x.yaml");
  EXPECT_CONTAINS(
      message,
      "key 'mortality.life_table': table path '../../scenarios/base.yaml' leaves the model folder");
  EXPECT_CONTAINS(message, "key 'falls.annual_rate_table': table path '/etc/passwd' is absolute");
}

TEST_F(ConfigTest, CsvErrorsNameFileLineAndKey) {
  write("models/tiny/tables/hip.csv",
        "age,female,male,source\n50,100,50,a\n# "
        "comment\n60,abc,1,b\n70,1,1,c\n65,1,1,d\n80,1,1\n90,1,1,\"unterminated\n");
  const auto message = error_of("scenarios/base.yaml");
  const std::string csv = path("models/tiny/tables/hip.csv");
  const std::string model = path("models/tiny/model.yaml");
  EXPECT_CONTAINS(message, csv +
                               ":4: column 'female': 'abc' is not a number (table of key "
                               "'fractures.hip.incidence_table' at " +
                               model + ":31)");
  EXPECT_CONTAINS(message, csv + ":6: column 'age': 65 is not greater than the previous row's 70");
  EXPECT_CONTAINS(message, csv + ":7: expected 4 fields as in the header, got 3");
  EXPECT_CONTAINS(message, csv + ":8: unterminated quoted field");
  write("models/tiny/tables/rr.csv", "age,female,male\n0,1,1\n");
  EXPECT_CONTAINS(
      error_of("scenarios/base.yaml"),
      "header must be 'years_since_fracture,female,male' optionally followed by ',source'");
  write("models/tiny/tables/rr.csv", "years_since_fracture,female,male\n0,1,1\n");
  write("models/tiny/tables/prob.csv", "age,female,male\n50,1.5,0\n");
  EXPECT_CONTAINS(error_of("scenarios/base.yaml"),
                  "column 'female': 1.5 is out of range: allowed [0, 1]");
}

TEST_F(ConfigTest, ModelFileErrors) {
  std::string model = kModelYaml;
  model.replace(model.find("fall_share: 0.95"), 16, "fall_shar: 0.95");
  model.replace(model.find("rr_wrist: 2.5"), 13, "rr_wrist: 0");
  write("models/tiny/model.yaml", model);
  const auto message = error_of("scenarios/base.yaml");
  const std::string f = path("models/tiny/model.yaml");
  EXPECT_CONTAINS(
      message,
      f + ":33: unknown key 'fractures.hip.fall_shar' (did you mean 'fractures.hip.fall_share'?)");
  EXPECT_CONTAINS(message, f + ":30: key 'fractures.hip.fall_share': required key is missing (in "
                               "mapping 'fractures.hip')");
  EXPECT_CONTAINS(
      message, f + ":24: key 'risk_factors.low_bmi.rr_wrist': 0 is out of range: allowed (0, 100]");
}

TEST_F(ConfigTest, YamlSyntaxErrorAndHostileDocuments) {
  write("scenarios/x.yaml", "schema_version: 1\nname: [unclosed\n");
  EXPECT_CONTAINS(error_of("scenarios/x.yaml"),
                  path("scenarios/x.yaml") + ":3:1: YAML syntax error");
  write("scenarios/empty.yaml", "");
  EXPECT_CONTAINS(error_of("scenarios/empty.yaml"), "the scenario file is empty");
  write("scenarios/binary.yaml", std::string("\x00\x01\xff\xfe", 4));
  EXPECT_CONTAINS(error_of("scenarios/binary.yaml"), "is not a text file");
  std::string bomb = "schema_version: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  write("scenarios/bomb.yaml", bomb);
  EXPECT_CONTAINS(error_of("scenarios/bomb.yaml"),
                  "the document is too large or too deeply nested");
  std::string deep = "schema_version: 1\nx: ";
  for (int i = 0; i < 5000; ++i) deep += "{a: ";
  write("scenarios/deep.yaml", deep);
  EXPECT_NE(error_of("scenarios/deep.yaml"), "");
  std::string nested = "schema_version: 1\nx: ";
  for (int i = 0; i < 100; ++i) nested += "{a: ";
  nested += "1" + std::string(100, '}') + "\n";
  write("scenarios/nested.yaml", nested);
  EXPECT_CONTAINS(error_of("scenarios/nested.yaml"), "too deeply nested");
  write("scenarios/big.yaml",
        "schema_version: 1\ndescription: \"" + std::string(2 << 20, 'x') + "\"\n");
  EXPECT_CONTAINS(error_of("scenarios/big.yaml"), "file is larger than 1048576 bytes");
  // A table one byte over the CSV limit is refused; one at the limit is read (and then
  // judged on its content).
  const std::string header = "age,female,male\n";
  std::string rows = header + "50,0.01,0.02\n";
  write("models/tiny/tables/prob.csv", rows + std::string(8 << 20, '\n').substr(rows.size() - 1));
  EXPECT_CONTAINS(error_of("scenarios/base.yaml"), "file is larger than 8388608 bytes");
  write("models/tiny/tables/prob.csv", rows + std::string(8 << 20, '\n').substr(rows.size()));
  EXPECT_EQ(error_of("scenarios/base.yaml").find("larger than"), std::string::npos);
}

TEST_F(ConfigTest, TableWithThousandsOfBadRowsStopsAndCounts) {
  std::string rows = "age,female,male\n";
  for (int row = 0; row < 3000; ++row) rows += "50,x,0.1\n";  // one problem a row
  write("models/tiny/tables/rate.csv", rows);
  const auto message = error_of("scenarios/base.yaml");
  const std::string csv = path("models/tiny/tables/rate.csv");
  // The first problems in line order, then a count that is a lower bound: the reader
  // stopped after 1000 problems (and said so in the 1001st).
  EXPECT_CONTAINS(message, csv + ":2: column 'female': 'x' is not a number");
  EXPECT_EQ(static_cast<std::size_t>(std::count(message.begin(), message.end(), '\n')),
            kMaxListedErrors);
  EXPECT_CONTAINS(message, "\n... and at least 901 more errors");
}

namespace {

/// The lines of `text`.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST(ErrorListTest, ListsTheFirstInFileAndLineOrderAndCountsTheRest) {
  ErrorList errors;
  // Two files, lines found in reverse order, each error reported twice.
  for (int round = 0; round < 2; ++round) {
    for (int line = 150; line >= 1; --line) {
      errors.add_raw({"b.yaml", line}, "problem");
      errors.add_raw({"a.csv", line}, "problem");
    }
  }
  EXPECT_EQ(errors.size(), 300u);
  const auto lines = lines_of(errors.message());
  ASSERT_EQ(lines.size(), kMaxListedErrors + 1);
  // b.yaml's first problem was found first, so b.yaml comes first, top to bottom.
  EXPECT_EQ(lines.front(), "b.yaml:1: problem");
  EXPECT_EQ(lines[kMaxListedErrors - 1], "b.yaml:100: problem");
  EXPECT_EQ(lines.back(), "... and 200 more errors");
}

TEST(ErrorListTest, SameLineOtherTextIsAnotherError) {
  ErrorList errors;
  errors.add({"s.yaml", 3}, "seed", "out of range");
  errors.add({"s.yaml", 3}, "seed", "out of range");
  errors.add({"s.yaml", 3}, "agents", "out of range");
  errors.add({"s.yaml", 4}, "seed", "out of range");
  errors.add({"t.yaml", 3}, "seed", "out of range");
  EXPECT_EQ(errors.size(), 4u);
  EXPECT_EQ(lines_of(errors.message()).size(), 4u);  // none hidden, no count line
}

TEST(ErrorListTest, IncompleteCountIsALowerBoundAndSurvivesAppend) {
  ErrorList reader;
  for (int line = 1; line <= static_cast<int>(kMaxListedErrors) + 1; ++line)
    reader.add_raw({"t.csv", line}, "bad");
  reader.mark_incomplete();
  ErrorList all;
  all.add_raw({"s.yaml", 2}, "bad");
  all.append(reader);
  EXPECT_EQ(lines_of(all.message()).back(), "... and at least 2 more errors");
}

TEST(ErrorListTest, ManyDistinctErrorsAreCollectedQuickly) {
  // Comparing each error with every earlier one made this take minutes; a hash makes it
  // linear: a fraction of a second (the quadratic search took 100 s here).
  const auto start = std::chrono::steady_clock::now();
  ErrorList errors;
  for (int line = 1; line <= 200000; ++line) errors.add_raw({"t.csv", line}, "not a number");
  for (int line = 1; line <= 200000; ++line) errors.add_raw({"t.csv", line}, "not a number");
  EXPECT_EQ(errors.size(), 200000u);
  EXPECT_EQ(lines_of(errors.message()).back(), "... and 199900 more errors");
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took.count(), 20.0) << "collecting errors is no longer linear";
}

TEST_F(ConfigTest, StrategiesRules) {
  write("scenarios/x.yaml", std::string(kScenario) + R"(strategies:
  - name: a
  - name: a
    sett: {}
  - name: b
    set: {falls.anual_rate_scale: 1}
)");
  const auto message = error_of("scenarios/x.yaml");
  const std::string f = path("scenarios/x.yaml");
  EXPECT_CONTAINS(
      message,
      f + ":10: key 'strategies[1].name': duplicate strategy name 'a' (first used at line 9)");
  EXPECT_CONTAINS(message,
                  f + ":11: unknown key 'strategies[1].sett' (did you mean 'strategies[1].set'?)");
  EXPECT_CONTAINS(message,
                  f + ":13: unknown key 'strategies[2].set.falls.anual_rate_scale' (did you mean "
                      "'strategies[2].set.falls.annual_rate_scale'?)");
  write("scenarios/y.yaml", std::string(kScenario) + "strategies: []\n");
  EXPECT_CONTAINS(error_of("scenarios/y.yaml"), ":8: key 'strategies': the list is empty");
}

TEST_F(ConfigTest, SeveralFilesMustAgree) {
  write("scenarios/a.yaml", std::string(kScenario) + "strategies: [{name: one}]\n");
  write("scenarios/b.yaml", "schema_version: 1\nname: b\nextends: a\nstrategies: [{name: two}]\n");
  const auto s = load_scenarios({path("scenarios/a.yaml"), path("scenarios/b.yaml")}, {});
  ASSERT_EQ(s.strategies.size(), 2u);
  EXPECT_EQ(s.strategies[0].name, "one");
  EXPECT_EQ(s.strategies[1].name, "two");
  EXPECT_CONTAINS(s.resolved_yaml, "---\n");

  write("scenarios/c.yaml",
        "schema_version: 1\nname: c\nextends: a\nyears: 11\nstrategies: [{name: one}]\n");
  try {
    load_scenarios({path("scenarios/a.yaml"), path("scenarios/c.yaml")}, {});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_CONTAINS(message, path("scenarios/c.yaml") + ":4: key 'years': 11 differs from 10 in " +
                                 path("scenarios/a.yaml") + ":5");
    EXPECT_CONTAINS(message,
                    "strategy name 'one' is already used in " + path("scenarios/a.yaml") + ":8");
  }
}

TEST_F(ConfigTest, ModelFoundThroughEnvironmentPath) {
  fs::create_directories(root_ / "elsewhere/scenarios");
  fs::rename(root_ / "models", root_ / "elsewhere/models2");
  write("elsewhere/scenarios/s.yaml", kScenario);
  const std::string env = "/nonexistent:" + path("elsewhere/models2");
  ::setenv("OSTEOSIM_MODEL_PATH", env.c_str(), 1);
  const auto s = load_scenario(path("elsewhere/scenarios/s.yaml"), {});
  ::unsetenv("OSTEOSIM_MODEL_PATH");
  EXPECT_EQ(s.strategies[0].parameters.name, "tiny");
}

TEST_F(ConfigTest, ModelSearchOrder) {
  // The user's explicit OSTEOSIM_MODEL_PATH comes first, so it can replace any model.
  ::setenv("OSTEOSIM_MODEL_PATH", path("mine").c_str(), 1);
  const auto roots = osteosim::config::model_search_roots(path("scenarios/s.yaml"));
  ::unsetenv("OSTEOSIM_MODEL_PATH");
  // Then beside the scenario, the install beside the executable, the source tree.
  const fs::path exe_dir = fs::canonical("/proc/self/exe").parent_path();
  const std::vector<fs::path> expected{root_ / "mine", root_ / "models",
                                       (exe_dir / "../share/osteosim/models").lexically_normal(),
                                       fs::path(OSTEOSIM_SOURCE_DIR "/models")};
  EXPECT_EQ(roots, expected);
}

TEST_F(ConfigTest, RealDefaultModelLoads) {
  // The shipped model must always pass its own loader.
  write("scenarios/us.yaml",
        std::string(kScenario).replace(std::string(kScenario).find("tiny"), 4, "us-2025"));
  const std::string message = error_of("scenarios/us.yaml");
  EXPECT_EQ(message, "");
}

}  // namespace

// The resolved scenario a result file embeds says which policy each strategy simulated
// (screening rule, interval, uptake, regimen with its course lengths from the catalogue,
// liaison, programmes): written back as a scenario file it gives the same strategies, and
// it lists every number the PSA may vary with its distribution.
TEST(ResolvedYaml, StrategiesReadBackAsTheSamePolicies) {
  const std::string shipped = OSTEOSIM_SOURCE_DIR "/scenarios/us-women-screening-policies.yaml";
  const auto original = load_scenario(shipped, {});
  const YAML::Node resolved = YAML::Load(original.resolved_yaml);
  YAML::Node scenario = YAML::Clone(resolved["scenario"]);
  scenario.remove("source_file");
  const fs::path dir =
      fs::temp_directory_path() / ("osteosim_resolved_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path copy = dir / "read-back.yaml";
  std::ofstream(copy) << YAML::Dump(scenario) << "\n";
  const auto reread = load_scenario(copy.string(), {});
  fs::remove_all(dir);
  ASSERT_EQ(reread.strategies.size(), original.strategies.size());
  EXPECT_EQ(YAML::Dump(YAML::Load(reread.resolved_yaml)["scenario"]["strategies"]),
            YAML::Dump(resolved["scenario"]["strategies"]));
  const auto& combination = reread.strategies.back().interventions;
  EXPECT_TRUE(combination.screening.enabled);
  ASSERT_EQ(combination.fracture_liaison.regimen.courses.size(), 2u);
  EXPECT_EQ(combination.fracture_liaison.regimen.courses[1].years, 5);
  EXPECT_EQ(combination.programmes.size(), 1u);
  // Not vacuous: every intervention kind is in the text.
  for (const char* key : {"screening", "fracture_liaison", "fall_prevention", "treat_if", "drug"}) {
    EXPECT_NE(original.resolved_yaml.find(key), std::string::npos) << key;
  }
  const YAML::Node parameters = resolved["model"]["parameters"];
  ASSERT_TRUE(parameters.IsMap());
  EXPECT_EQ(parameters.size(), original.uncertainty.size());
  int with_distribution = 0;
  for (const auto& entry : parameters) with_distribution += entry.second.IsMap() ? 1 : 0;
  EXPECT_GT(with_distribution, 10);
}
