// Statistical validation of the interventions: a randomised trial emulated inside the model
// recovers the input relative risks; persistence follows its input curve; common random
// numbers shrink the variance of a strategy difference; an intervention switched off
// reproduces the comparator exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "../unit/intervention_fixture.hpp"
#include "../unit/model_fixture.hpp"
#include "../unit/monte_carlo_tolerance.hpp"
#include "engine/block_statistics.hpp"
#include "engine/rng.hpp"
#include "engine/simulation.hpp"
#include "model/population.hpp"
#include "model/step.hpp"
#include "model/treatment.hpp"

namespace osteosim {
namespace {

using model::Drug;

/// Counts fractures by process and person-time of one trial arm.
struct ArmRecorder final : testing::SilentRecorder {
  std::array<double, model::kFractureProcesses> fractures{};
  double person_years = 0;
  void person_time(double, double years) override { person_years += years; }
  void fracture(model::Site site, double, bool, bool) override {
    ++fractures[model::process_index(site)];  // vertebral: clinical or silent
  }
};

TEST(TrialEmulation, RandomisedDrugVersusNoDrugRecoversTheInputRrBySite) {
  auto params = testing::simple_parameters();
  params.interventions = testing::simple_catalogue();
  // The input RR is a hazard ratio conditional on fracture history. With the imminent-risk
  // feedback on (a fracture raises the next one's hazard), the drug also averts those
  // follow-on fractures and the marginal RR of the trial is lower than the input (wrist
  // 0.73 for an input 0.80 with the fixture's feedback): so this emulation switches the
  // feedback off to check the effect as specified.
  params.fractures.rr_by_years_since_fracture = testing::constant_table(1, 1);
  params.fractures.prior_fracture_prevalence = testing::constant_table(0, 0);
  const Drug tested = Drug::alendronate;
  const auto& input = params.interventions.drugs[static_cast<int>(tested)];
  // A policy that is active (so treatment effects apply) but offers nothing by itself.
  model::InterventionPolicy policy;
  policy.fracture_liaison.enabled = true;
  policy.fracture_liaison.uptake = 0;
  const model::Regimen regimen{{{tested, 3}}, 1};

  const model::PopulationSynthesis synthesis(params, {true, model::Sex::female, 75});
  constexpr int kAgents = 200000;
  constexpr int kYears = 3;
  constexpr std::uint32_t kSeed = 424242;
  std::array<ArmRecorder, 2> arms;  // 0 placebo, 1 drug
  model::Agents agents(1);
  for (int id = 0; id < kAgents; ++id) {
    const engine::AgentStepRandom entry(kSeed, 0, static_cast<std::uint64_t>(id), 0);
    synthesis.enter(params, entry, agents, 0);
    // Randomisation from a stream no process uses (index 7 of intervention_uptake).
    const int arm = entry.uniforms(model::Stream::intervention_uptake, 7)[0] < 0.5 ? 1 : 0;
    if (arm == 1) {
      model::start_course(params.interventions, regimen, 0, model::kRegimenScreening, 0, 0.5,
                          agents, 0);
    }
    for (int step = 0; step < kYears && agents.alive[0]; ++step) {
      const engine::AgentStepRandom rng(kSeed, 0, static_cast<std::uint64_t>(id),
                                        static_cast<std::uint32_t>(step));
      model::simulate_step(params, policy, {static_cast<double>(step), 1.0}, rng, agents, 0,
                           arms[arm]);
    }
  }
  for (int k = 0; k < model::kFractureProcesses; ++k) {
    const double a = arms[1].fractures[k], b = arms[0].fractures[k];
    const double rr = (a / arms[1].person_years) / (b / arms[0].person_years);
    const double se_log = std::sqrt(1 / a + 1 / b);
    // Three intervals on one seed: each at the Bonferroni z for a 1e-4 false-failure rate of
    // the test (a 95 % interval each would fail a correct model 14 % of the time).
    const double z = testing::bonferroni_z(model::kFractureProcesses);
    const double low = rr * std::exp(-z * se_log), high = rr * std::exp(z * se_log);
    std::printf("  %s: %g vs %g fractures, RR %.3f (%.3f-%.3f), input %.2f\n",
                std::string(model::kFractureProcessNames[k]).c_str(), a, b, rr, low, high,
                input.rr[k]);
    EXPECT_LE(low, input.rr[k]) << model::kFractureProcessNames[k];
    EXPECT_GE(high, input.rr[k]) << model::kFractureProcessNames[k];
    EXPECT_LT(high, 1.0) << "the trial must be large enough to show an effect";
  }
}

TEST(Persistence, DrawnDiscontinuationFollowsTheInputCurve) {
  auto catalogue = testing::simple_catalogue();
  auto& d = catalogue.drugs[0];
  d.persistence = {0.55, 0.42, 0.30};  // Yeaw 2013 shape
  constexpr int kStarters = 100000;
  const std::array<double, 5> times{0.25, 0.5, 1.0, 2.0, 3.0};
  std::array<int, 5> still_on{};
  for (int id = 0; id < kStarters; ++id) {
    const engine::AgentStepRandom rng(99, 0, static_cast<std::uint64_t>(id), 0);
    const double stop =
        model::years_to_discontinuation(d, rng.uniforms(model::Stream::treatment, 0)[1]);
    for (std::size_t t = 0; t < times.size(); ++t) still_on[t] += stop > times[t];
  }
  for (std::size_t t = 0; t < times.size(); ++t) {
    const double expected = model::persistence_at(d, times[t]);
    const double observed = static_cast<double>(still_on[t]) / kStarters;
    const double se = std::sqrt(expected * (1 - expected) / kStarters);
    EXPECT_NEAR(observed, expected, testing::bonferroni_z(static_cast<int>(times.size())) * se)
        << "at " << times[t] << " years";
  }
  EXPECT_NEAR(model::persistence_at(d, 1.0), 0.42, 1e-12);
}

config::Scenario scenario_with(model::InterventionPolicy policy, int agents, std::uint32_t seed) {
  auto s = testing::simple_scenario(agents, 15, 12);
  s.seed = seed;
  s.strategies[0].parameters.interventions = testing::simple_catalogue();
  auto intervention = s.strategies[0];
  intervention.name = "intervention";
  intervention.interventions = std::move(policy);
  s.strategies.push_back(intervention);
  return s;
}

model::InterventionPolicy liaison_policy(double uptake) {
  model::InterventionPolicy p;
  p.fracture_liaison.enabled = true;
  p.fracture_liaison.uptake = uptake;
  p.fracture_liaison.regimen.courses = {{Drug::zoledronic_acid, 3}};
  return p;
}

TEST(CommonRandomNumbers, InterventionSwitchedOffReproducesTheComparatorExactly) {
  model::InterventionPolicy off = liaison_policy(0);
  off.screening.enabled = true;
  off.screening.uptake = 0;
  off.screening.regimen.courses = {{Drug::alendronate, 5}};
  off.programmes.push_back({model::Programme::exercise, {}, 0, 0});
  const auto t = engine::simulate(scenario_with(off, 8000, 5), {});
  const auto a = t[0].columns();
  const auto b = t[1].columns();
  // The natural-history columns (the first eight) must be bit-identical.
  for (std::size_t c = 0; c < 8; ++c) EXPECT_EQ(*a[c], *b[c]) << "column " << c;
  // The same policy switched on changes them: the comparison can fail.
  const auto on = engine::simulate(scenario_with(liaison_policy(1), 8000, 5), {});
  EXPECT_NE(on[0].fractures, on[1].fractures);
  EXPECT_EQ(on[0].fractures, t[0].fractures);  // the comparator itself is unchanged
}

TEST(CommonRandomNumbers, PairedDifferenceHasFarSmallerVarianceThanIndependentStreams) {
  constexpr int kReplicates = 24;
  constexpr int kAgents = 4000;
  const int all_clinical = model::kSites;
  std::vector<double> paired, independent;
  for (int r = 0; r < kReplicates; ++r) {
    const auto seed = static_cast<std::uint32_t>(1000 + r);
    const auto crn = engine::simulate(scenario_with(liaison_policy(1), kAgents, seed), {});
    // The comparator again, with another seed: what independent streams would give.
    const auto other = engine::simulate(scenario_with(liaison_policy(1), kAgents, seed + 5000), {});
    const double strategy = static_cast<double>(engine::outcome_counts(crn[1])[all_clinical]);
    paired.push_back(strategy - static_cast<double>(engine::outcome_counts(crn[0])[all_clinical]));
    independent.push_back(strategy -
                          static_cast<double>(engine::outcome_counts(other[0])[all_clinical]));
  }
  const double independent_variance = testing::sample_moments(independent).variance;
  const double paired_variance = testing::sample_moments(paired).variance;
  const double ratio = independent_variance / paired_variance;
  std::printf("  variance of the difference: independent %.1f, CRN %.1f, ratio %.1f\n",
              independent_variance, paired_variance, ratio);
  EXPECT_GT(ratio, 5.0);
}

}  // namespace
}  // namespace osteosim
