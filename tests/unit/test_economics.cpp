// Economics: discounting formulas, utilities over a segment, event costs, a cohort whose
// life-years and QALYs are known exactly, the loader, and the PSA limit cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>

#include "config/economics_loader.hpp"
#include "economics_fixture.hpp"
#include "engine/economics_recorder.hpp"
#include "engine/psa.hpp"
#include "engine/simulation.hpp"
#include "model/economics.hpp"
#include "model/uncertainty.hpp"
#include "model_fixture.hpp"
#include "output/checkpoint.hpp"

namespace osteosim {

namespace {

using testing::simple_economics;

std::int64_t sum(const std::vector<std::int64_t>& v) {
  return std::accumulate(v.begin(), v.end(), std::int64_t{0});
}

}  // namespace

TEST(Discounting, FactorAndIntegralFollowTheClosedForms) {
  EXPECT_DOUBLE_EQ(model::discount_factor(0.03, 0), 1.0);
  EXPECT_NEAR(model::discount_factor(0.03, 2), 1 / (1.03 * 1.03), 1e-15);
  // integral_0^1 1.03^-t dt = (1 - 1/1.03) / ln 1.03
  EXPECT_NEAR(model::discounted_duration(0.03, 0, 1), (1 - 1 / 1.03) / std::log(1.03), 1e-14);
  EXPECT_DOUBLE_EQ(model::discounted_duration(0.0, 7, 2.5), 2.5);
  // Additive over adjacent intervals, so splitting a step into segments changes nothing.
  const double whole = model::discounted_duration(0.05, 3, 4);
  const double parts =
      model::discounted_duration(0.05, 3, 1.25) + model::discounted_duration(0.05, 4.25, 2.75);
  EXPECT_NEAR(whole, parts, 1e-14);
  // Ten years at 3%: sum over years of the exact yearly integrals = (1 - 1.03^-10) / ln 1.03.
  EXPECT_NEAR(model::discounted_duration(0.03, 0, 10), (1 - std::pow(1.03, -10)) / std::log(1.03),
              1e-13);
}

TEST(Utility, SegmentSplitsAtTheFirstAnniversaryOfAHipFracture) {
  const auto p = simple_economics();
  model::FractureHistory h;
  h.years_since_hip = 0.5;  // the first half-year of the segment is still the first year
  const auto o = model::segment_outcome(p, model::Sex::female, 72, 0, 1.0, h);
  EXPECT_NEAR(o.qalys, 0.79 * (0.5 * 0.78 + 0.5 * 0.87), 1e-15);
  // Later-years cost accrues for the second half only.
  EXPECT_NEAR(o.later_fracture_cost_usd, 0.5 * 3000, 1e-9);
  model::FractureHistory none;
  EXPECT_NEAR(model::segment_outcome(p, model::Sex::male, 55, 3, 0.25, none).qalys, 0.84 * 0.25,
              1e-15);
}

namespace {
class NullRecorder final : public testing::SilentRecorder {
 public:
  void fracture(model::Site, double, bool, bool) override { ++fractures; }
  int fractures = 0;
};
}  // namespace

TEST(EconomicsRecorder, AFractureCostsItsFirstYearCostDiscountedToItsTimeAndIsForwarded) {
  const auto p = simple_economics();
  model::Agents agents(1);
  agents.alive[0] = 1;
  agents.age_years[0] = 70;
  engine::Tallies tallies(10);
  NullRecorder inner;
  // Step starting at run time 4; the fracture happens 0.25 years into it.
  engine::EconomicsRecorder recorder(p, inner, tallies, 4, {4.0, 1.0}, agents, 0);
  recorder.fracture(model::Site::hip, 70.25, true, true);
  EXPECT_EQ(inner.fractures, 1);
  const auto cell = 4 * model::kCostCategories +
                    static_cast<int>(model::first_year_cost_category(model::Site::hip));
  EXPECT_EQ(tallies.cost_ticks[cell], std::llround(20000 * engine::kCostTicksPerUsd));
  EXPECT_EQ(tallies.discounted_cost_ticks[cell],
            std::llround(20000 * std::pow(1.03, -4.25) * engine::kCostTicksPerUsd));
}

namespace {

/// The integer economics tallies of one year.
std::array<std::int64_t, 7> economics_ticks(const engine::Tallies& t, int year) {
  const auto cell = [&](model::CostCategory c) {
    return static_cast<std::size_t>(year) * model::kCostCategories + static_cast<int>(c);
  };
  const auto y = static_cast<std::size_t>(year);
  return {t.qaly_ticks[y],
          t.discounted_qaly_ticks[y],
          t.discounted_life_year_ticks[y],
          t.cost_ticks[cell(model::CostCategory::fracture_later_years)],
          t.discounted_cost_ticks[cell(model::CostCategory::fracture_later_years)],
          t.cost_ticks[cell(model::CostCategory::long_term_care)],
          t.discounted_cost_ticks[cell(model::CostCategory::long_term_care)]};
}

}  // namespace

// EconomicsRecorder integrates the segments of a step between fractures as one; before
// (up to this commit's parent) it integrated every segment on its own. Both are the same
// integral, so the tallies must agree to the rounding of each segment to ticks (half a tick
// each) and the float error of the integrals (relative 1e-12): steps split at random into
// up to 6 segments, across a utility band, with a hip fracture in its first and later years
// (its anniversaries split the integral) and one within the step.
TEST(EconomicsRecorder, HeldSegmentsGiveTheSegmentBySegmentIntegralWithinRounding) {
  auto p = simple_economics();
  p.nursing_home_share_after_hip = 0.2;
  p.nursing_home_usd_per_year = 90000;
  std::mt19937_64 random(20261202);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int split_steps = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const double step_start = 3 + trial % 7;
    const double dt = trial % 3 == 0 ? 1.0 : 0.25;
    model::Agents agents(1);
    agents.alive[0] = 1;
    agents.sex[0] = static_cast<std::uint8_t>(trial % 2);
    const double age_at_start = 59.5 + unit(random);  // some steps cross the band at 60
    agents.age_years[0] = age_at_start;
    // A quarter without fracture, the rest with a hip fracture 0 to 2.5 years before.
    if (trial % 4 != 0) {
      agents.time_of_last_hip_fracture[0] = step_start - 2.5 * unit(random);
      agents.fractured_sites[0] = model::site_bit(model::Site::hip);
    }
    // Segment ends within the step (a fall or breakpoint each), plus the band's start.
    std::vector<double> ends;
    for (int k = static_cast<int>(6 * unit(random)); k > 0; --k) ends.push_back(dt * unit(random));
    if (age_at_start < 60 && age_at_start + dt > 60) ends.push_back(60 - age_at_start);
    ends.push_back(dt);
    std::sort(ends.begin(), ends.end());
    const bool fracture_within = trial % 5 == 1 && ends.size() > 1;
    const std::size_t fracture_after = ends.size() / 2 - 1;  // the segment ending in it
    split_steps += ends.size() > 1 ? 1 : 0;

    engine::Tallies held(10);
    engine::Tallies reference(10);
    testing::SilentRecorder inner;
    const model::StepTime time{step_start, dt};
    {
      engine::EconomicsRecorder recorder(p, inner, held, 4, time, agents, 0);
      double t = 0;
      for (std::size_t k = 0; k < ends.size(); ++k) {
        const double age = age_at_start + t;
        recorder.person_time(age, ends[k] - t);
        // The reference: segment_outcome of this segment alone, with the history then.
        model::FractureHistory history;
        const double from = step_start + t;
        if (agents.time_of_last_hip_fracture[0] != model::kNever) {
          history.years_since_hip = from - agents.time_of_last_hip_fracture[0];
        }
        history.fractured_sites = agents.fractured_sites[0];
        const auto o = model::segment_outcome(p, agents.sex_of(0), age, from, ends[k] - t, history);
        reference.qaly_ticks[4] += engine::round_to_ticks(o.qalys * engine::kTicksPerYear);
        reference.discounted_qaly_ticks[4] +=
            engine::round_to_ticks(o.discounted_qalys * engine::kTicksPerYear);
        reference.discounted_life_year_ticks[4] +=
            engine::round_to_ticks(o.discounted_life_years * engine::kTicksPerYear);
        const auto add_cost = [&](model::CostCategory c, double usd, double discounted) {
          const auto cell = 4 * model::kCostCategories + static_cast<int>(c);
          reference.cost_ticks[cell] += engine::round_to_ticks(usd * engine::kCostTicksPerUsd);
          reference.discounted_cost_ticks[cell] +=
              engine::round_to_ticks(discounted * engine::kCostTicksPerUsd);
        };
        add_cost(model::CostCategory::fracture_later_years, o.later_fracture_cost_usd,
                 o.discounted_later_fracture_cost_usd);
        add_cost(model::CostCategory::long_term_care, o.long_term_care_usd,
                 o.discounted_long_term_care_usd);
        t = ends[k];
        if (fracture_within && k == fracture_after) {
          // The model updates the history, then reports (model/step.cpp).
          agents.time_of_last_hip_fracture[0] = step_start + t;
          agents.fractured_sites[0] |= model::site_bit(model::Site::hip);
          recorder.fracture(model::Site::hip, age_at_start + t, false, false);
        } else if (k + 1 < ends.size()) {
          recorder.fall(age_at_start + t);
        }
      }
    }
    const auto got = economics_ticks(held, 4);
    const auto expected = economics_ticks(reference, 4);
    const double tolerance_ticks = 0.5 * static_cast<double>(ends.size() + 1);
    for (std::size_t c = 0; c < got.size(); ++c) {
      EXPECT_NEAR(static_cast<double>(got[c]), static_cast<double>(expected[c]),
                  tolerance_ticks + 1e-12 * std::abs(static_cast<double>(expected[c])))
          << "trial " << trial << ", tally " << c << ", " << ends.size() << " segments";
    }
  }
  EXPECT_GT(split_steps, 200);  // not vacuous: most steps had several segments
}

// No fractures, no falls, no deaths: every agent lives 20 years from 50, 10 at utility 0.84
// and 10 at 0.82, so life-years, QALYs and their discounted values are known in closed form.
TEST(EconomicsEngine, ACohortWithFixedSurvivalHasTheHandComputedQalysAndLifeYears) {
  auto scenario = testing::simple_scenario(1000, 20, 12);
  auto& params = scenario.strategies[0].parameters;
  params.mortality.annual_death_probability = testing::constant_table(0, 0);
  for (auto& site : params.fractures.site)
    site.incidence_per_person_year = testing::constant_table(0, 0);
  params.falls.annual_rate = testing::constant_table(0, 0);
  params.economics = simple_economics();
  const auto t = engine::simulate(scenario, {});
  const auto e = engine::economic_totals(t[0], 1000);
  const double d10 = model::discounted_duration(0.03, 0, 10);
  const double d10_20 = model::discounted_duration(0.03, 10, 10);
  // Fixed-point ticks: one rounding of 2^-30 years per agent-step at most.
  const double tick = 20.0 / engine::kTicksPerYear;
  EXPECT_NEAR(e.life_years, d10 + d10_20, tick);
  EXPECT_NEAR(e.qalys, 0.84 * d10 + 0.82 * d10_20, tick);
  EXPECT_NEAR(static_cast<double>(sum(t[0].qaly_ticks)) / engine::kTicksPerYear / 1000,
              0.84 * 10 + 0.82 * 10, tick);
  EXPECT_EQ(e.cost_usd, 0.0);
  EXPECT_EQ(sum(t[0].fractures), 0);
}

TEST(EconomicsEngine, TalliesAreBitIdenticalForOneAndTwoThreads) {
  auto scenario = testing::simple_scenario(6000, 30, 12);
  scenario.strategies[0].parameters.economics = simple_economics();
  engine::RunOptions one;
  one.threads = 1;
  one.block_size = 512;
  engine::RunOptions two = one;
  two.threads = 2;
  const auto a = engine::simulate(scenario, one);
  const auto b = engine::simulate(scenario, two);
  EXPECT_EQ(a[0].cost_ticks, b[0].cost_ticks);
  EXPECT_EQ(a[0].discounted_cost_ticks, b[0].discounted_cost_ticks);
  EXPECT_EQ(a[0].discounted_qaly_ticks, b[0].discounted_qaly_ticks);
  EXPECT_EQ(a[0].paired_cost_difference_sum_squares, b[0].paired_cost_difference_sum_squares);
  EXPECT_GT(sum(a[0].cost_ticks), 0);
}

TEST(Uncertainty, QuantilesHaveTheDeclaredMeanAndFixedReturnsTheValue) {
  using model::Distribution;
  for (const auto d :
       {Distribution::beta, Distribution::gamma, Distribution::lognormal, Distribution::normal}) {
    model::UncertainParameter u;
    u.name = "x";
    u.distribution = d;
    u.value = 0.3;
    u.se = 0.05;
    double mean = 0;
    constexpr int n = 20000;
    for (int k = 0; k < n; ++k) mean += model::parameter_quantile(u, (k + 0.5) / n) / n;
    EXPECT_NEAR(mean, 0.3, 1e-3) << model::kDistributionNames[static_cast<int>(d)];
  }
  model::UncertainParameter fixed;
  fixed.value = 42;
  EXPECT_EQ(model::parameter_quantile(fixed, 0.01), 42);
  EXPECT_EQ(model::distribution_problem(Distribution::beta, 1.2, 0.1),
            "a beta distribution needs 0 < value < 1");
  EXPECT_EQ(model::distribution_problem(Distribution::gamma, 0, 1),
            "a gamma distribution needs value > 0");
}

namespace {
using testing::add_uncertain;

/// Gives the k-th number a gamma distribution with this SE, everywhere.
void make_gamma(config::Scenario& scenario, std::size_t k, double se) {
  testing::set_distribution(scenario, k, model::Distribution::gamma, se);
}

config::Scenario economic_scenario(std::int64_t agents) {
  auto scenario = testing::simple_scenario(agents, 20, 12);
  scenario.strategies[0].parameters.economics = simple_economics();
  scenario.strategies.push_back(scenario.strategies[0]);
  scenario.strategies[1].name = "copy";
  // One uncertain parameter, fixed: the PSA must reproduce the deterministic run.
  add_uncertain(
      scenario, "costs.hip_first_year", 20000,
      [](model::ModelParameters& p) -> double& { return p.economics.fracture_first_year_usd[0]; });
  scenario.psa = {1, agents};
  return scenario;
}
}  // namespace

TEST(Psa, WithFixedDistributionsOneDrawEqualsTheDeterministicRun) {
  const auto scenario = economic_scenario(3000);
  const auto psa = engine::run_psa(scenario, 2, nullptr);
  const auto deterministic = engine::simulate(scenario, {});
  ASSERT_EQ(psa.totals.size(), 2u);
  for (std::size_t s = 0; s < 2; ++s) {
    const auto e = engine::economic_totals(deterministic[s], 3000);
    EXPECT_EQ(psa.totals[s].cost_usd, e.cost_usd);
    EXPECT_EQ(psa.totals[s].qalys, e.qalys);
    EXPECT_EQ(psa.totals[s].clinical_fractures, e.clinical_fractures);
  }
  // Only numbers that vary are listed.
  EXPECT_TRUE(psa.parameter_names.empty());
  EXPECT_TRUE(psa.parameter_values.empty());
}

TEST(Psa, PerDrawResultsAreBitIdenticalForOneAndTwoThreads) {
  auto scenario = economic_scenario(1500);
  make_gamma(scenario, 0, 2000);
  scenario.psa = {3, 1500};
  const auto a = engine::run_psa(scenario, 1, nullptr);
  const auto b = engine::run_psa(scenario, 2, nullptr);
  ASSERT_EQ(a.totals.size(), 6u);
  EXPECT_EQ(a.parameter_values, b.parameter_values);
  for (std::size_t k = 0; k < a.totals.size(); ++k) {
    EXPECT_EQ(a.totals[k].cost_usd, b.totals[k].cost_usd);
    EXPECT_EQ(a.totals[k].qalys, b.totals[k].qalys);
    EXPECT_EQ(a.totals[k].incremental_qaly_se, b.totals[k].incremental_qaly_se);
  }
  // Draws differ (own parameters and random numbers); strategies of a draw share them, so
  // two identical strategies have identical results within a draw.
  EXPECT_NE(a.totals[0].cost_usd, a.totals[2].cost_usd);
  EXPECT_EQ(a.totals[0].cost_usd, a.totals[1].cost_usd);
}

// osteosim run --resume: the draws an interrupted PSA finished come back from its checkpoint
// file (bit for bit) and are not simulated again; the others are, and the whole equals an
// uninterrupted PSA.
TEST(Psa, DrawsRestoredFromACheckpointAreNotSimulatedAgainAndChangeNothing) {
  auto scenario = economic_scenario(1500);
  make_gamma(scenario, 0, 2000);
  scenario.psa = {4, 1500};
  const std::string path = ::testing::TempDir() + "psa-resume.checkpoint";
  output::Checkpoint first(path, "psa-run", 1, 2, 20);
  const auto whole =
      engine::run_psa(scenario, 2, nullptr, {}, nullptr,
                      {nullptr, [&](std::int64_t d, const std::vector<double>& outcome) {
                         if (d == 1 || d == 3)
                           first.add_run(output::AnalysisPhase::psa, d, outcome);
                       }});
  first.save();
  const auto saved = output::Checkpoint::load(path, "psa-run", 1, 2, 20);
  EXPECT_EQ(saved.runs_done(output::AnalysisPhase::psa), 2);
  EXPECT_EQ(saved.runs_done(output::AnalysisPhase::one_way), 0);
  std::vector<std::int64_t> simulated;
  const auto resumed = engine::run_psa(
      scenario, 1, nullptr, {}, nullptr,
      {[&](std::int64_t d) { return saved.run(output::AnalysisPhase::psa, d); },
       [&](std::int64_t d, const std::vector<double>&) { simulated.push_back(d); }});
  EXPECT_EQ(simulated, (std::vector<std::int64_t>{0, 2}));
  ASSERT_EQ(resumed.totals.size(), whole.totals.size());
  for (std::size_t k = 0; k < whole.totals.size(); ++k) {
    EXPECT_EQ(resumed.totals[k].cost_usd, whole.totals[k].cost_usd) << k;
    EXPECT_EQ(resumed.totals[k].qalys, whole.totals[k].qalys) << k;
    EXPECT_EQ(resumed.totals[k].incremental_cost_se_usd, whole.totals[k].incremental_cost_se_usd);
  }
  saved.remove();
}

TEST(OneWay, LowAndHighBracketTheBaseAndFixedParametersAreNotVaried) {
  auto scenario = economic_scenario(1500);
  make_gamma(scenario, 0, 2000);
  add_uncertain(
      scenario, "utilities.hip_first_year_multiplier", 0.78,
      [](model::ModelParameters& p) -> double& { return p.economics.utility_first_year[0]; });
  const auto r = engine::run_one_way(scenario, 2, nullptr);
  ASSERT_EQ(r.parameter_names, std::vector<std::string>{"costs.hip_first_year"});
  EXPECT_LT(r.values[0], 20000);
  EXPECT_GT(r.values[1], 20000);
  // Common random numbers: the same fractures, so cost moves with the hip cost only, and
  // linearly: the slope seen from the low and the high value is the same (a run that ignored
  // its value, or used the other one, fails the strict inequalities or the slope).
  EXPECT_LT(r.totals[0].cost_usd, r.base[0].cost_usd);
  EXPECT_GT(r.totals[2].cost_usd, r.base[0].cost_usd);
  const double slope_low = (r.base[0].cost_usd - r.totals[0].cost_usd) / (20000 - r.values[0]);
  const double slope_high = (r.totals[2].cost_usd - r.base[0].cost_usd) / (r.values[1] - 20000);
  EXPECT_NEAR(slope_low, slope_high, 1e-6 * slope_high);
  EXPECT_EQ(r.totals[0].qalys, r.base[0].qalys);
}

TEST(Psa, DrawsArePureFunctionsOfSeedAndDrawAndDifferBetweenDraws) {
  auto scenario = economic_scenario(10);
  make_gamma(scenario, 0, 2000);
  std::vector<double> a, b, c;
  engine::draw_parameters(scenario, 3, &a);
  engine::draw_parameters(scenario, 3, &b);
  engine::draw_parameters(scenario, 4, &c);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

namespace {
std::string write_economics_file(const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "osteosim-test-economics";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "economics.yaml") << text;
  return dir.string();
}
}  // namespace

TEST(EconomicsLoader, TheShippedFileLoadsWithItsDistributions) {
  config::ErrorList errors;
  std::vector<std::string> files;
  const auto econ =
      config::load_economics(OSTEOSIM_SOURCE_DIR "/models/us-2025", {}, errors, files);
  ASSERT_TRUE(econ) << errors.message();
  EXPECT_EQ(econ->parameters.currency, "USD");
  EXPECT_DOUBLE_EQ(econ->parameters.discount_rate_costs_per_year, 0.03);
  EXPECT_DOUBLE_EQ(econ->parameters.dxa_usd, 41.63);
  EXPECT_GT(econ->uncertain.size(), 30u);
}

TEST(EconomicsLoader, ABadDistributionIsReportedWithFileLineAndKey) {
  config::ErrorList errors;
  std::vector<std::string> files;
  config::load_economics(OSTEOSIM_SOURCE_DIR "/models/us-2025", {}, errors, files);
  ASSERT_TRUE(errors.empty());
  std::ifstream in(OSTEOSIM_SOURCE_DIR "/models/us-2025/economics.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string good = "hip_first_year_multiplier: {value: 0.78, distribution: beta, se: 0.04}";
  const auto at = text.find(good);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, good.size(),
               "hip_first_year_multiplier: {value: 0.78, distribution: betta, se: 0.5}");
  const int line =
      1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  const auto dir = write_economics_file(text);
  const auto econ = config::load_economics(dir, {}, errors, files);
  EXPECT_FALSE(econ);
  EXPECT_NE(errors.message().find("economics.yaml:" + std::to_string(line)), std::string::npos)
      << errors.message();
  EXPECT_NE(errors.message().find("utilities.hip_first_year_multiplier.distribution"),
            std::string::npos)
      << errors.message();
}

}  // namespace osteosim
