// Parameter uncertainty beyond economics: distributions declared beside natural-history
// numbers (model.yaml) and drug efficacy (drugs.yaml), log-normal from a 95% interval,
// Dirichlet groups, clamping to a key's range, and a strategy's `set:` fixing a number.
// Loader tests work on a temporary copy of models/us-2025 with edited lines.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "common/error.hpp"
#include "config/scenario.hpp"
#include "engine/psa.hpp"
#include "model/uncertainty.hpp"
#include "monte_carlo_tolerance.hpp"

namespace osteosim {
namespace {

namespace fs = std::filesystem;
using model::Distribution;
using model::UncertainParameter;

TEST(Dirichlet, SharesSumToOneAndHaveTheDirichletMeanAndVariance) {
  const std::vector<double> alpha{90, 26, 24, 60};  // 200 x (0.45, 0.13, 0.12, 0.30)
  const double total = 200;
  constexpr int n = 4000;
  std::mt19937_64 rng(20261125);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<double> sum(4, 0), sum_squares(4, 0);
  for (int i = 0; i < n; ++i) {
    const auto s = model::dirichlet_shares(alpha, {unit(rng), unit(rng), unit(rng), unit(rng)});
    EXPECT_NEAR(s[0] + s[1] + s[2] + s[3], 1.0, 1e-12);
    for (int k = 0; k < 4; ++k) {
      sum[k] += s[k];
      sum_squares[k] += s[k] * s[k];
    }
  }
  for (int k = 0; k < 4; ++k) {
    const double a = alpha[k];
    const double mean = a / total;
    const double var = a * (total - a) / (total * total * (total + 1));
    const double sample_mean = sum[k] / n;
    const double sample_var = sum_squares[k] / n - sample_mean * sample_mean;
    // Mean within z Monte Carlo SEs; variance within z SEs of a variance estimate
    // (SE ~ var sqrt(2 / n) for a near-normal variable); z over the 8 checks.
    const double z = testing::bonferroni_z(8);
    EXPECT_NEAR(sample_mean, mean, z * std::sqrt(var / n)) << k;
    EXPECT_NEAR(sample_var, var, z * var * std::sqrt(2.0 / n)) << k;
  }
}

TEST(Uncertainty, LogNormalFromA95IntervalHasTheValueAsMedianAndTheIntervalAsQuantiles) {
  UncertainParameter rr;
  rr.distribution = Distribution::lognormal;
  rr.value = 0.6;
  rr.log_sd =
      (std::log(0.9) - std::log(0.4)) / (2 * 1.959963984540054);  // 0.4-0.9: geometric mean 0.6
  EXPECT_NEAR(model::parameter_quantile(rr, 0.5), 0.6, 1e-12);
  EXPECT_NEAR(model::parameter_quantile(rr, 0.025), 0.4, 1e-9);
  EXPECT_NEAR(model::parameter_quantile(rr, 0.975), 0.9, 1e-9);
}

TEST(Uncertainty, DrawsAreClampedToTheKeysRange) {
  UncertainParameter share;
  share.distribution = Distribution::normal;
  share.value = 0.1;
  share.se = 1;
  share.lower = 0;
  share.upper = 1;
  EXPECT_EQ(model::parameter_quantile(share, 0.01), 0.0);
  EXPECT_EQ(model::parameter_quantile(share, 0.99), 1.0);
  EXPECT_NEAR(model::parameter_quantile(share, 0.5), 0.1, 1e-12);
}

/// A copy of scenarios/ and models/us-2025 in a temporary folder, with text replaced.
class ModelCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("osteosim-psa-" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "models");
    fs::copy(fs::path(OSTEOSIM_SOURCE_DIR) / "models" / "us-2025", root_ / "models" / "us-2025",
             fs::copy_options::recursive);
    fs::create_directories(root_ / "scenarios");
  }
  void TearDown() override { fs::remove_all(root_); }

  void replace(const std::string& file, const std::string& from, const std::string& to) {
    const fs::path path = root_ / "models" / "us-2025" / file;
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    std::string s = text.str();
    const auto at = s.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    s.replace(at, from.size(), to);
    std::ofstream(path) << s;
  }

  std::string scenario(const std::string& strategies) {
    const fs::path path = root_ / "scenarios" / "psa.yaml";
    std::ofstream(path) << "schema_version: 1\nname: psa\nmodel: us-2025\n"
                           "population: {kind: cohort, sex: female, age: 50, agents: 2000}\n"
                           "years: 10\nstart_year: 2025\ntime_step_months: 12\nseed: 7\npsa: "
                           "{draws: 3, agents_per_draw: 512}\n"
                           "strategies:\n"
                        << strategies;
    return path.string();
  }

  /// The message of the InputError loading `path` throws ("" if it loads).
  static std::string load_error(const std::string& path) {
    try {
      config::load_scenario(path, {});
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  fs::path root_;
};

const UncertainParameter& find(const std::vector<UncertainParameter>& list,
                               const std::string& name) {
  for (const auto& u : list) {
    if (u.name == name) return u;
  }
  throw std::runtime_error("no parameter " + name);
}

TEST_F(ModelCopy, ShippedNaturalHistoryAndDrugNumbersCarryTheirDistributions) {
  const auto s = config::load_scenario(scenario("  - name: a\n"), {});
  const auto& rr = find(s.uncertainty, "fractures.hip.rr_per_sd_decrease");
  EXPECT_EQ(rr.distribution, Distribution::lognormal);
  EXPECT_EQ(rr.value, 2.6);
  EXPECT_NEAR(rr.log_sd, (std::log(3.5) - std::log(2.0)) / (2 * 1.959963984540054), 1e-15);
  EXPECT_EQ(s.strategies[0].parameters.fractures.site[0].rr_per_sd_decrease, 2.6);
  const auto& persistence = find(s.uncertainty, "drugs.alendronate.persistence_distribution");
  EXPECT_EQ(persistence.distribution, Distribution::dirichlet);
  ASSERT_EQ(persistence.alpha.size(), 4u);
  EXPECT_NEAR(persistence.alpha[0], 200 * 0.45, 1e-9);
  EXPECT_NEAR(persistence.alpha[3], 200 * 0.30, 1e-9);
  EXPECT_FALSE(find(s.uncertainty, "falls.rr_after_fall_in_last_year").varies());
}

TEST_F(ModelCopy, ADrawWritesEachNumberIntoEveryStrategyAndASetNumberStaysFixed) {
  const auto s = config::load_scenario(
      scenario("  - name: a\n  - name: b\n    set: {fractures.hip.rr_per_sd_decrease: 3.0}\n"), {});
  EXPECT_FALSE(find(s.strategies[1].uncertainty, "fractures.hip.rr_per_sd_decrease").varies());
  std::vector<double> values;
  const auto drawn = engine::draw_parameters(s, 1, &values);
  std::vector<std::string> names;
  for (const auto& u : s.uncertainty) {
    if (u.varies()) {
      for (const auto& n : u.value_names()) names.push_back(n);
    }
  }
  ASSERT_EQ(values.size(), names.size());
  const auto at = [&](const std::string& name) {
    return values[static_cast<std::size_t>(std::find(names.begin(), names.end(), name) -
                                           names.begin())];
  };
  const double rr = at("fractures.hip.rr_per_sd_decrease");
  EXPECT_NE(rr, 2.6);
  EXPECT_EQ(drawn[0].fractures.site[0].rr_per_sd_decrease, rr);
  EXPECT_EQ(drawn[1].fractures.site[0].rr_per_sd_decrease, 3.0);
  // The same drug draw in both strategies, and a persistence curve from the Dirichlet shares.
  const auto& a = drawn[0].interventions.drugs[0];
  EXPECT_EQ(a.rr[0], drawn[1].interventions.drugs[0].rr[0]);
  EXPECT_EQ(a.rr[0], at("drugs.alendronate.rr_hip"));
  EXPECT_NEAR(a.persistence[0],
              1 - at("drugs.alendronate.persistence_distribution.stopped_by_6_months"), 1e-15);
  EXPECT_NEAR(a.persistence[2],
              at("drugs.alendronate.persistence_distribution.persistent_at_24_months"), 1e-15);
  EXPECT_GT(a.persistence[0], a.persistence[1]);
  EXPECT_GT(a.persistence[1], a.persistence[2]);
}

TEST_F(ModelCopy, AnIntervalForAGammaIsRefusedWithFileLineAndKey) {
  replace("economics.yaml", "{value: 23402, distribution: gamma, se: 2340}",
          "{value: 23402, distribution: gamma, ci95: [20000, 27000]}");
  const std::string e = load_error(scenario("  - name: a\n"));
  EXPECT_NE(e.find("economics.yaml:"), std::string::npos) << e;
  EXPECT_NE(e.find("costs.hip_first_year.ci95"), std::string::npos) << e;
  EXPECT_NE(e.find("lognormal distributions only"), std::string::npos) << e;
}

TEST_F(ModelCopy, AnIntervalThatDoesNotSurroundTheValueIsRefused) {
  replace("model.yaml", "ci95: [2.0, 3.5]", "ci95: [2.7, 3.5]");
  const std::string e = load_error(scenario("  - name: a\n"));
  EXPECT_NE(e.find("model.yaml:"), std::string::npos) << e;
  EXPECT_NE(e.find("fractures.hip.rr_per_sd_decrease.ci95"), std::string::npos) << e;
  EXPECT_NE(e.find("0 < low < value < high"), std::string::npos) << e;
}

TEST_F(ModelCopy, ADirichletOnOneNumberIsRefused) {
  replace("model.yaml", "{value: 0.30, distribution: beta, se: 0.05}",
          "{value: 0.30, distribution: dirichlet}");
  const std::string e = load_error(scenario("  - name: a\n"));
  EXPECT_NE(e.find("fractures.vertebral.clinical_fraction.distribution"), std::string::npos) << e;
  EXPECT_NE(e.find("group of shares"), std::string::npos) << e;
}

TEST_F(ModelCopy, ADirichletPersistenceNeedsEveryIntervalToHoldAShare) {
  replace("drugs.yaml", "persistence_6_months: 1.0       # assumption: the annual infusion",
          "persistence_distribution: {distribution: dirichlet, sample_size: 100}\n"
          "    persistence_6_months: 1.0       # assumption: the annual infusion");
  const std::string e = load_error(scenario("  - name: a\n"));
  EXPECT_NE(e.find("drugs.yaml:"), std::string::npos) << e;
  EXPECT_NE(e.find("drugs.zoledronic_acid.persistence_distribution"), std::string::npos) << e;
  EXPECT_NE(e.find("every interval's share > 0"), std::string::npos) << e;
}

}  // namespace
}  // namespace osteosim
