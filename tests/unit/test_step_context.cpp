// What the step hoists out of the per-agent loop (issue 7): parameter-only constants, the
// memo of age/sex rates and the step-constant part of an agent's fracture risk must give
// exactly (bit for bit) the values of evaluating everything per call.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "engine/rng.hpp"
#include "model/bone.hpp"
#include "model/economics.hpp"
#include "model/event_clock.hpp"
#include "model/falls.hpp"
#include "model/fracture.hpp"
#include "model/mortality.hpp"
#include "model/population.hpp"
#include "model/step.hpp"
#include "model_fixture.hpp"

namespace osteosim::model {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Bitwise equality (EXPECT_EQ on doubles would also pass for 0 == -0).
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST(StepContext, BmdGradientGivesTheSameRelativeRiskBitForBit) {
  for (const double rr : {1.0, 1.4, 1.8, 2.6, 3.1}) {
    const BmdGradient g = bmd_gradient(rr);
    EXPECT_DOUBLE_EQ(g.log_rr, std::log(rr));
    for (double bmd = 0.3; bmd < 1.2; bmd += 0.013) {
      EXPECT_TRUE(
          same_bits(bmd_relative_risk(bmd, rr, 0.7, 0.12), bmd_relative_risk(bmd, g, 0.7, 0.12)));
    }
  }
}

TEST(EventClock, DecidesAndLeavesExactlyWhatAnEagerClockDoes) {
  // Segments of random integrated hazard, from tiny to larger than any clock, against
  // the eager form: clock = -ln(u); pass while h <= clock, subtracting h.
  std::uint64_t state = 12345;
  const auto next = [&state] {  // splitmix64 uniform in (0, 1)
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (static_cast<double>((z ^ (z >> 31)) >> 11) + 0.5) * 0x1p-53;
  };
  int lazy_decisions = 0;
  for (int trial = 0; trial < 200000; ++trial) {
    const double u = trial % 1000 == 0 ? 1 - 0x1p-40 : next();
    const double scale = std::pow(10.0, -6 + 7 * next());  // 1e-6 .. 10 per segment
    EventClock lazy(u);
    double eager = -std::log(u);
    for (int segment = 0; segment < 40; ++segment) {
      const double h = scale * next();
      const bool eager_passes = h <= eager;
      ASSERT_EQ(lazy.passes(h), eager_passes) << "u " << u << " segment " << segment;
      if (!eager_passes) {
        ASSERT_TRUE(same_bits(lazy.remaining(), eager));
        break;
      }
      eager -= h;
      ++lazy_decisions;
    }
  }
  EXPECT_GT(lazy_decisions, 100000);
}

TEST(BoneLoss, RemainingFractionIsOneMinusTheAnnualLossForAYearAndExactOtherwise) {
  const auto p = testing::simple_parameters();
  for (const Sex sex : {Sex::female, Sex::male}) {
    for (double age = 48.5; age < 90; age += 0.75) {
      for (const double multiplier : {0.0, 0.7, 1.3, 250.0}) {
        // One-year steps: 1 - f, equal to the exponential form within rounding.
        const double rate = bone_loss_rate_per_year(p.bone, sex, age, age + 1, multiplier, 51);
        const double year = bone_remaining_fraction(p.bone, sex, age, 1.0, multiplier, 51);
        EXPECT_NEAR(year, std::exp(-rate), 4e-16);
        EXPECT_GE(year, 0.01 - 1e-16);  // the loss is capped at 99 % a year
        // Other lengths: the exponential form itself, bit for bit.
        for (const double dt : {1.0 / 12, 0.25, 0.5}) {
          const double r = bone_loss_rate_per_year(p.bone, sex, age, age + dt, multiplier, 51);
          EXPECT_TRUE(same_bits(bone_remaining_fraction(p.bone, sex, age, dt, multiplier, 51),
                                std::exp(-dt * r)));
        }
      }
    }
  }
}

TEST(StepContext, StepConstantFractureRiskGivesTheSameHazardsBitForBit) {
  const auto p = testing::simple_parameters();
  const FractureConstants constants = fracture_constants(p.fractures);
  for (const Sex sex : {Sex::female, Sex::male}) {
    for (double age = 50; age < 100; age += 3.7) {
      const auto baseline = fracture_baseline(p, sex, age);
      for (unsigned bits = 0; bits < (1u << kRiskFactors); bits += 5) {
        const auto b = static_cast<std::uint8_t>(bits);
        const AgentFractureRisk risk = agent_fracture_risk(p, constants, baseline, 0.61, b);
        for (const double since : {kInf, 0.2, 1.5, 30.0, -1.0}) {
          const auto direct = fracture_hazards_per_year(p, sex, baseline, 0.61, b, since, 1.3);
          const auto hoisted = fracture_hazards_per_year(p, sex, baseline, risk, since, 1.3);
          for (int k = 0; k < kFractureProcesses; ++k) {
            EXPECT_TRUE(same_bits(direct.after_fall_per_year[k], hoisted.after_fall_per_year[k]));
            EXPECT_TRUE(
                same_bits(direct.without_fall_per_year[k], hoisted.without_fall_per_year[k]));
          }
        }
      }
    }
  }
}

TEST(StepContext, MemoisedAgeRatesEqualFreshOnesWhateverTheOrderOfCalls) {
  const auto p = testing::simple_parameters();
  StepContext context(p);
  for (const double age : {55.5, 55.5, 71.25, 55.5, 90.0, 90.0, 49.0}) {
    for (const Sex sex : {Sex::male, Sex::female, Sex::male}) {
      const AgeRates& memo = context.age_rates(sex, age);
      EXPECT_TRUE(same_bits(memo.background_death_per_year,
                            background_death_hazard_per_year(p.mortality, sex, age)));
      const double mean = mean_fall_rate_per_year(p.falls, sex, age);
      EXPECT_TRUE(same_bits(memo.mean_fall_rate_per_year, mean));
      EXPECT_TRUE(same_bits(memo.fall_rate_per_year[0], fall_rate_per_year(p.falls, mean, false)));
      EXPECT_TRUE(same_bits(memo.fall_rate_per_year[1], fall_rate_per_year(p.falls, mean, true)));
      const auto fresh = fracture_baseline(p, sex, age);
      for (int k = 0; k < kFractureProcesses; ++k) {
        EXPECT_TRUE(same_bits(memo.fracture.incidence_per_year[k], fresh.incidence_per_year[k]));
        EXPECT_TRUE(same_bits(memo.fracture.mean_relative_risk[k], fresh.mean_relative_risk[k]));
      }
      EXPECT_TRUE(same_bits(memo.fracture.bmd_mean_g_cm2, fresh.bmd_mean_g_cm2));
      EXPECT_TRUE(same_bits(memo.fracture.bmd_sd_g_cm2, fresh.bmd_sd_g_cm2));
    }
  }
}

TEST(StepContext, IntervalCacheGivesFreshAgeRatesAtAnyAgeBitForBit) {
  auto p = testing::simple_parameters();
  // Multiplier tables with keys of their own, so that intervals come from several tables.
  p.mortality.background_multiplier =
      testing::table({50, 67.5, 85}, {1.1, 0.9, 1.2}, {1.0, 1.05, 0.95});
  p.fractures.site[0].calibration_multiplier = testing::table({55, 75}, {1.3, 0.8}, {1.2, 0.7});
  StepContext context(p);
  std::uint64_t state = 7;
  for (int n = 0; n < 20000; ++n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const double u = static_cast<double>(state >> 11) * 0x1p-53;
    // Continuous ages, exact table keys and their neighbours, outside the tables' range.
    double age = 40 + 75 * u;
    if (n % 7 == 0) age = std::round(age);
    if (n % 11 == 0) age = std::nextafter(std::round(age), 0.0);
    if (n % 13 == 0) age = 67.5;
    const Sex sex = (state >> 5) & 1 ? Sex::male : Sex::female;
    const AgeRates& cached = context.age_rates(sex, age);
    const AgeRates fresh = age_rates(p, sex, age);
    ASSERT_TRUE(same_bits(cached.background_death_per_year, fresh.background_death_per_year))
        << age;
    ASSERT_TRUE(same_bits(cached.mean_fall_rate_per_year, fresh.mean_fall_rate_per_year)) << age;
    for (int f = 0; f < 2; ++f) {
      ASSERT_TRUE(same_bits(cached.fall_rate_per_year[f], fresh.fall_rate_per_year[f])) << age;
    }
    for (int k = 0; k < kFractureProcesses; ++k) {
      ASSERT_TRUE(
          same_bits(cached.fracture.incidence_per_year[k], fresh.fracture.incidence_per_year[k]))
          << age;
      ASSERT_TRUE(
          same_bits(cached.fracture.mean_relative_risk[k], fresh.fracture.mean_relative_risk[k]))
          << age;
    }
    ASSERT_TRUE(same_bits(cached.fracture.bmd_mean_g_cm2, fresh.fracture.bmd_mean_g_cm2)) << age;
    ASSERT_TRUE(same_bits(cached.fracture.bmd_sd_g_cm2, fresh.fracture.bmd_sd_g_cm2)) << age;
  }
}

namespace {

/// Records every call with its arguments, to compare two runs event by event.
struct TraceRecorder : testing::SilentRecorder {
  std::vector<double> trace;
  void person_time(double age, double years) override {
    trace.insert(trace.end(), {1, age, years});
  }
  void fall(double age) override { trace.insert(trace.end(), {2, age}); }
  void fracture(Site site, double age, bool first_at_site, bool first_clinical) override {
    trace.insert(trace.end(), {3, static_cast<double>(site), age, double(first_at_site),
                               double(first_clinical)});
  }
  void death(double age, bool after_fracture) override {
    trace.insert(trace.end(), {4, age, double(after_fracture)});
  }
};

}  // namespace

TEST(StepContext, StepWithASharedContextIsBitIdenticalToStepsWithoutOne) {
  const auto p = testing::simple_parameters();
  const PopulationSynthesis synthesis(p, {true, std::nullopt, 60});
  constexpr Eigen::Index n = 400;
  Agents with(n), without(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    synthesis.enter(p, engine::AgentStepRandom(9, 0, static_cast<std::uint64_t>(i), 0), with, i);
    synthesis.enter(p, engine::AgentStepRandom(9, 0, static_cast<std::uint64_t>(i), 0), without, i);
  }
  StepContext context(p);
  const InterventionPolicy none;
  TraceRecorder a, b;
  for (int step = 0; step < 120; ++step) {
    const StepTime time{step * 0.25, 0.25};
    for (Eigen::Index i = 0; i < n; ++i) {
      const engine::AgentStepRandom rng(9, 0, static_cast<std::uint64_t>(i),
                                        static_cast<std::uint32_t>(step + 1));
      if (with.alive[i]) simulate_step(context, none, time, rng, with, i, a);
      if (without.alive[i]) simulate_step(p, time, rng, without, i, b);
    }
  }
  ASSERT_EQ(a.trace.size(), b.trace.size());
  EXPECT_EQ(0, std::memcmp(a.trace.data(), b.trace.data(), a.trace.size() * sizeof(double)));
  for (Eigen::Index i = 0; i < n; ++i)
    EXPECT_TRUE(same_bits(with.bmd_g_cm2[i], without.bmd_g_cm2[i]));
}

TEST(SegmentOutcome, RepeatedAndInterleavedCallsGiveTheSameValues) {
  EconomicsParameters p;
  p.baseline_utility = {{{0.85, 0.8, 0.75, 0.7}, {0.86, 0.82, 0.77, 0.72}}};
  p.nursing_home_share_after_hip = 0.2;
  p.nursing_home_usd_per_year = 50000;
  p.fracture_later_years_usd_per_year = {3000, 1000, 0, 500};
  FractureHistory hip;
  hip.years_since_hip = 0.4;
  const auto reference = [&](double rc, double re, double from, double length) {
    // What segment_outcome computes, from discounted_duration directly.
    return std::array<double, 2>{discounted_duration(re, from, length),
                                 discounted_duration(rc, from, length)};
  };
  for (const auto& [rc, re] :
       {std::pair{0.03, 0.03}, std::pair{0.035, 0.015}, std::pair{0.0, 0.05}}) {
    p.discount_rate_costs_per_year = rc;
    p.discount_rate_effects_per_year = re;
    for (const double from : {0.0, 3.0, 3.0, 7.5, 3.0}) {
      const SegmentOutcome o = segment_outcome(p, Sex::female, 70, from, 1.0, FractureHistory{});
      const auto d = reference(rc, re, from, 1.0);
      EXPECT_TRUE(same_bits(o.discounted_life_years, d[0]));
      EXPECT_TRUE(same_bits(o.discounted_qalys, 0.75 * d[0]));
      // With a hip fracture the segment splits at its anniversary; costs use the cost rate.
      const SegmentOutcome h = segment_outcome(p, Sex::female, 70, from, 1.0, hip);
      const auto first = reference(rc, re, from, 0.6);
      EXPECT_TRUE(
          same_bits(h.discounted_long_term_care_usd,
                    10000 * first[1] + 10000 * reference(rc, re, from + 0.6, 1.0 - 0.6)[1]));
    }
  }
}

}  // namespace osteosim::model
