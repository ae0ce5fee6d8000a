// The third shipped model, models/uk-2025, through the loader every run uses
// (config::load_scenario on its shipped CEA scenario), checked against the derivations its own
// files state: the life table's stated life expectancies, the population's stated totals, the
// hip table's stated level (England's 65+ rate, 558 per 100,000, with this population), and the
// GBP costs and NICE reference-case numbers of economics.yaml recomputed from the read figures
// its comments cite. A table or cost edited without its stated derivation fails here.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <regex>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "model_table_csv.hpp"

namespace osteosim {

namespace {

const std::string kModelDir = OSTEOSIM_SOURCE_DIR "/models/uk-2025";

model::ModelParameters uk_parameters() {
  const auto scenario =
      config::load_scenario(OSTEOSIM_SOURCE_DIR "/scenarios/uk-women-screening-cea.yaml", {});
  return scenario.strategies.at(0).parameters;
}

testing::ModelTableCsv read_csv(const std::string& relative_path) {
  return testing::read_model_table_csv(kModelDir + "/" + relative_path);
}

}  // namespace

TEST(UkModel, LifeTableGivesTheLifeExpectancyItsHeaderStates) {
  const auto p = uk_parameters();
  EXPECT_EQ(p.name, "uk-2025");
  const auto csv = read_csv("tables/life_table_qx.csv");
  // "e50 = 34.45 women / 31.47 men; e65 = 20.90 / 18.40 (fitted)" - e65 is the ONS UK value
  // the Swedish shape was scaled to (20.9 / 18.4, read).
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      csv.comments, m,
      std::regex(R"(e50 = ([0-9.]+) women / ([0-9.]+) men; e65 = ([0-9.]+) / ([0-9.]+))")))
      << "the header no longer states e50/e65";
  const auto& qx = p.mortality.annual_death_probability;
  EXPECT_NEAR(testing::life_expectancy(qx, model::Sex::female, 50), std::stod(m[1]), 0.005);
  EXPECT_NEAR(testing::life_expectancy(qx, model::Sex::male, 50), std::stod(m[2]), 0.005);
  EXPECT_NEAR(testing::life_expectancy(qx, model::Sex::female, 65), 20.9, 0.005);
  EXPECT_NEAR(testing::life_expectancy(qx, model::Sex::male, 65), 18.4, 0.005);
  EXPECT_EQ(std::stod(m[3]), 20.90);
  EXPECT_EQ(std::stod(m[4]), 18.40);
}

TEST(UkModel, PopulationAndHipLevelAreTheOnesTheirHeadersState) {
  const auto p = uk_parameters();
  const auto pop_csv = read_csv("tables/population_2025.csv");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(pop_csv.comments, m,
                                std::regex(R"(50\+ total ([0-9.]+) M women, ([0-9.]+) M men)")));
  const auto& pop = p.demography.population;
  double persons_65 = 0, hips_65 = 0;
  for (const auto sex : {model::Sex::female, model::Sex::male}) {
    const auto s = static_cast<int>(sex);
    double total = 0;
    for (std::size_t i = 0; i < pop.keys.size(); ++i) {
      const double persons = pop.values[s][i];
      total += persons;
      if (pop.keys[i] >= 65) {
        persons_65 += persons;
        hips_65 += persons * 1e5 *
                   p.fractures.site[static_cast<int>(model::FractureProcess::hip)]
                       .incidence_per_person_year.at(sex, pop.keys[i]);
      }
    }
    EXPECT_NEAR(total / 1e6, std::stod(m[s == 0 ? 1 : 2]), 0.005) << model::kSexNames[s];
  }
  // The hip table's level: England's emergency hip fracture admissions at 65+, 558 per 100,000
  // (OHID, read), with this population (the table's integers round by < 0.5 per cell).
  EXPECT_NEAR(hips_65 / persons_65, 558.0, 1.0);
}

TEST(UkModel, EconomicsIsGbpAtNiceReferenceCaseAndCostsFollowTheirStatedDerivation) {
  const auto p = uk_parameters();
  const auto& e = p.economics;
  EXPECT_EQ(e.currency, "GBP");
  EXPECT_EQ(e.price_year, 2023);
  EXPECT_EQ(e.discount_rate_costs_per_year, 0.035);    // NICE reference case
  EXPECT_EQ(e.discount_rate_effects_per_year, 0.035);
  EXPECT_EQ(e.willingness_to_pay.thresholds_per_qaly, (std::vector<double>{20000, 30000}));
  const auto grid = model::wtp_grid_per_qaly(e.willingness_to_pay);
  EXPECT_EQ(grid.front(), 0);
  EXPECT_EQ(grid.back(), 100000);
  // Hip year 1: Leal 2016 hospital 14,163 (2012/13) x 1.25 + WHiTE home care 12,849 +
  // adaptations 1,021; year 2: Leal 2,139 x 1.25 (economics.yaml comments).
  EXPECT_NEAR(e.fracture_first_year_usd[static_cast<int>(model::Site::hip)],
              14163 * 1.25 + 12849 + 1021, 1.0);
  EXPECT_NEAR(e.fracture_later_years_usd_per_year[static_cast<int>(model::Site::hip)],
              2139 * 1.25, 1.0);
  // Vertebral: Puffer 2004 UK 2,613 (2002) x 1.63; wrist: US wrist/hip ratio on the UK hip
  // hospital cost x (UK vertebral / the same US-ratio vertebral estimate).
  const double uk_hip_hospital = 14163 * 1.25;
  const double vertebral = 2613 * 1.63;
  EXPECT_NEAR(e.fracture_first_year_usd[static_cast<int>(model::Site::clinical_vertebral)],
              vertebral, 1.0);
  EXPECT_NEAR(e.fracture_first_year_usd[static_cast<int>(model::Site::wrist)],
              uk_hip_hospital * 6106 / 15196 * vertebral / (uk_hip_hospital * 6701 / 15196), 1.0);
  // Drugs read: alendronic acid 4 weekly tablets 0.74, risedronate 0.85, x 13 four-week packs;
  // denosumab 183 per 6-monthly syringe (NICE TA204).
  EXPECT_NEAR(e.drug_usd_per_year[static_cast<int>(model::Drug::alendronate)], 0.74 * 13, 0.005);
  EXPECT_NEAR(e.drug_usd_per_year[static_cast<int>(model::Drug::risedronate)], 0.85 * 13, 0.005);
  EXPECT_EQ(e.drug_usd_per_year[static_cast<int>(model::Drug::denosumab)], 2 * 183.0);
  // UK EQ-5D norms: Ara & Brazier 2010 at the band midpoints 55 / 65 / 75 / 85, rounded to 0.01.
  const double mid[] = {55, 65, 75, 85};
  for (int s = 0; s < model::kSexes; ++s) {
    for (int b = 0; b < model::kUtilityBands; ++b) {
      const double age = mid[b];
      const double ara = 0.9508566 + 0.0212126 * (s == static_cast<int>(model::Sex::male)) -
                         0.0002587 * age - 0.0000332 * age * age;
      EXPECT_NEAR(e.baseline_utility[s][b], ara, 0.0051) << model::kSexNames[s] << " band " << b;
    }
  }
}

}  // namespace osteosim
