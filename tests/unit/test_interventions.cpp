// Interventions, process by process: OST, DXA error, onset/offset ramps, denosumab
// rebound, persistence, duration rules, fracture liaison uptake, fall prevention waning.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/rng.hpp"
#include "intervention_fixture.hpp"
#include "model/fall_prevention.hpp"
#include "model/interventions.hpp"
#include "model/risk_tool.hpp"
#include "model/screening.hpp"
#include "model/treatment.hpp"
#include "model_fixture.hpp"

namespace osteosim {
namespace {

using model::Drug;

const model::DrugParameters& drug(const model::InterventionParameters& c, Drug d) {
  return c.drugs[static_cast<int>(d)];
}

TEST(Ost, IsOneFifthOfWeightMinusAgeTruncated) {
  EXPECT_EQ(model::ost_index(70, 60), 2);   // 0.2 x 10
  EXPECT_EQ(model::ost_index(64, 60), 0);   // 0.8 truncates to 0
  EXPECT_EQ(model::ost_index(50, 70), -4);  // 0.2 x -20
  EXPECT_EQ(model::ost_index(55, 62), -1);  // -1.4 truncates towards zero
}

TEST(Dxa, MeasurementErrorHasTheCatalogueSd) {
  const auto c = testing::simple_catalogue();
  // Inverse-normal-free check: with z = +-1 the reading moves by exactly one SD.
  EXPECT_DOUBLE_EQ(model::dxa_measured_bmd_g_cm2(c, 0.7, 1.0), 0.72);
  EXPECT_DOUBLE_EQ(model::dxa_measured_bmd_g_cm2(c, 0.7, -1.0), 0.68);
  EXPECT_DOUBLE_EQ(model::dxa_measured_bmd_g_cm2(c, 0.7, 0.0), 0.7);
}

TEST(Treatment, OnsetRampsLinearlyToTheTrialRr) {
  auto c = testing::simple_catalogue();
  auto& d = c.drugs[0];
  d.onset_years = 1;
  EXPECT_DOUBLE_EQ(model::rr_on_treatment(d, 0)[0], 1.0);
  EXPECT_DOUBLE_EQ(model::rr_on_treatment(d, 0.5)[0], 0.8);
  EXPECT_DOUBLE_EQ(model::rr_on_treatment(d, 2)[0], 0.6);
  d.adherence_effect_fraction = 0.5;  // half the log RR
  EXPECT_NEAR(model::rr_on_treatment(d, 2)[1], std::sqrt(0.5), 1e-12);
}

TEST(Treatment, OffsetLastsAsLongAsTheTimeOnTreatmentUpToTheCap) {
  const auto c = testing::simple_catalogue();
  const auto& d = drug(c, Drug::alendronate);
  EXPECT_DOUBLE_EQ(model::offset_years(d, 3), 3);
  EXPECT_DOUBLE_EQ(model::offset_years(d, 8), 5);
  EXPECT_DOUBLE_EQ(model::offset_years(d, 0.1), 0.5);
  // Halfway through a 3-year offset half the effect remains: 1 - 0.5 x 0.4.
  EXPECT_DOUBLE_EQ(model::rr_after_stopping(d, 3, 1.5)[0], 0.8);
  EXPECT_DOUBLE_EQ(model::rr_after_stopping(d, 3, 3.5)[0], 1.0);
}

TEST(Treatment, DenosumabReboundRaisesVertebralRiskAfterStopping) {
  const auto c = testing::simple_catalogue();
  const auto& d = drug(c, Drug::denosumab);
  const int vertebral = static_cast<int>(model::FractureProcess::vertebral);
  // 1.5 years after stopping: effect gone (1-y offset) and the rebound window still open.
  EXPECT_DOUBLE_EQ(model::rr_after_stopping(d, 5, 1.5)[vertebral], 1.5);
  EXPECT_DOUBLE_EQ(model::rr_after_stopping(d, 5, 1.5)[0], 1.0);  // hip: no rebound
  EXPECT_DOUBLE_EQ(model::rr_after_stopping(d, 5, 2.5)[vertebral], 1.0);
}

TEST(Treatment, AnotherDrugSuppressesTheRebound) {
  const auto c = testing::simple_catalogue();
  model::Agents agents(1);
  agents.previous_drug[0] = static_cast<std::uint8_t>(Drug::denosumab);
  agents.previous_start_time[0] = 0;
  agents.previous_stop_time[0] = 5;
  const int vertebral = static_cast<int>(model::FractureProcess::vertebral);
  EXPECT_DOUBLE_EQ(model::treatment_rr(c, agents, 0, 6.5)[vertebral], 1.5);
  agents.drug[0] = static_cast<std::uint8_t>(Drug::zoledronic_acid);
  agents.course_start_time[0] = 5;
  agents.course_end_time[0] = 8;
  EXPECT_DOUBLE_EQ(model::treatment_rr(c, agents, 0, 6.5)[vertebral], 0.5);
}

TEST(Treatment, PersistenceCurvePassesThroughItsPoints) {
  auto c = testing::simple_catalogue();
  auto& d = c.drugs[0];
  d.persistence = {0.55, 0.42, 0.30};
  EXPECT_NEAR(model::persistence_at(d, 0.5), 0.55, 1e-12);
  EXPECT_NEAR(model::persistence_at(d, 1.0), 0.42, 1e-12);
  EXPECT_NEAR(model::persistence_at(d, 2.0), 0.30, 1e-12);
  // Inversion: the time drawn for u = S(t) is t.
  EXPECT_NEAR(model::years_to_discontinuation(d, 0.42), 1.0, 1e-12);
  EXPECT_NEAR(model::years_to_discontinuation(d, 0.30), 2.0, 1e-12);
  d.persistence = {1, 1, 1};
  EXPECT_TRUE(std::isinf(model::years_to_discontinuation(d, 0.01)));
}

TEST(Treatment, CourseEndsAfterItsDurationThenAHolidayFollows) {
  auto params = testing::simple_parameters();
  params.interventions = testing::simple_catalogue();
  model::InterventionPolicy policy;
  policy.screening.enabled = true;
  policy.screening.uptake = 0;  // no new offers taken: only the course rules act
  policy.screening.regimen.courses = {{Drug::teriparatide, 2}, {Drug::alendronate, 5}};
  model::Agents agents(1);
  agents.alive[0] = 1;
  agents.age_years[0] = 70;
  model::start_course(params.interventions, policy.screening.regimen, 0, model::kRegimenScreening,
                      0, 0.5, agents, 0);
  struct Quiet : testing::SilentRecorder {
    int starts = 0;
    void treatment_start(Drug, double, bool) override { ++starts; }
  } recorder;
  const engine::AgentStepRandom rng(1, 0, 0, 0);
  auto at = [&](double now) {
    model::apply_interventions_at_step_start(params, policy, {now, 1}, rng, agents, 0, recorder);
  };
  at(1);
  EXPECT_EQ(agents.drug[0], static_cast<std::uint8_t>(Drug::teriparatide));
  at(2);  // teriparatide done after 2 years: alendronate follows
  EXPECT_EQ(agents.drug[0], static_cast<std::uint8_t>(Drug::alendronate));
  EXPECT_EQ(recorder.starts, 1);
  at(7);  // alendronate done after 5 years: off, holiday of 2 years
  EXPECT_EQ(agents.drug[0], model::kNoDrug);
  EXPECT_DOUBLE_EQ(agents.no_treatment_until[0], 9);
  EXPECT_FALSE(model::may_start_treatment(agents, 0, 8.5));
  EXPECT_TRUE(model::may_start_treatment(agents, 0, 9));
}

TEST(FractureLiaison, TreatsTheUptakeShareOfFracturePatients) {
  auto params = testing::simple_parameters();
  params.interventions = testing::simple_catalogue();
  model::InterventionPolicy policy;
  policy.fracture_liaison.enabled = true;
  policy.fracture_liaison.uptake = 0.3;
  policy.fracture_liaison.regimen.courses = {{Drug::zoledronic_acid, 3}};
  struct Counter : testing::SilentRecorder {
    int starts = 0;
    void treatment_start(Drug, double, bool) override { ++starts; }
  } recorder;
  constexpr int kAgents = 20000;
  model::Agents agents(kAgents);
  for (int i = 0; i < kAgents; ++i) {
    agents.alive[i] = 1;
    agents.age_years[i] = 75;
    agents.time_of_last_clinical_fracture[i] = i % 2 == 0 ? 0.5 : model::kNever;
    const engine::AgentStepRandom rng(7, 0, static_cast<std::uint64_t>(i), 1);
    model::apply_interventions_at_step_start(params, policy, {1, 1}, rng, agents, i, recorder);
  }
  const double patients = kAgents / 2;
  const double se = std::sqrt(0.3 * 0.7 / patients);
  EXPECT_NEAR(recorder.starts / patients, 0.3, 4 * se);
  EXPECT_EQ(agents.drug[1], model::kNoDrug);  // no fracture, no offer
}

TEST(FallPrevention, FullEffectThenLinearWaning) {
  const auto c = testing::simple_catalogue();
  const auto& exercise = c.programmes[static_cast<int>(model::Programme::exercise)];
  EXPECT_DOUBLE_EQ(model::programme_effect_share(exercise, 0.5), 1);
  EXPECT_DOUBLE_EQ(model::programme_effect_share(exercise, 2), 0.5);
  EXPECT_DOUBLE_EQ(model::programme_effect_share(exercise, 3.5), 0);
  model::Agents agents(1);
  agents.programme_start_time[static_cast<int>(model::Programme::exercise)][0] = 10;
  EXPECT_DOUBLE_EQ(model::programme_effects(c, agents, 0, 10.5).fall_rate_multiplier, 0.7);
  EXPECT_DOUBLE_EQ(model::programme_effects(c, agents, 0, 12).fall_rate_multiplier, 0.85);
}

}  // namespace
}  // namespace osteosim
