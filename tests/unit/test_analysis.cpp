// Incremental analysis, dominance, NMB, CEAC and EVPI on examples that can be checked by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/cea.hpp"

namespace osteosim::analysis {

namespace {
constexpr auto kFrontier = Dominance::frontier;
constexpr auto kDominated = Dominance::dominated;
constexpr auto kExtended = Dominance::extendedly_dominated;
}  // namespace

// Textbook layout (Drummond et al. 2015, ch. 4): sort by cost, drop strongly dominated
// options, then options whose ICER exceeds the next one's. Given in scrambled order, so the
// sorting is tested too. By hand: A-B 100/1 = 100; C (250, 1.5) after B: 300; D after C:
// 50/0.7 = 71 < 300, so C is extendedly dominated and D after B: 200/1.2 = 166.67;
// E (260, 1.2) costs more than C for fewer QALYs: dominated; F after D: 200/0.3 = 666.67.
TEST(IncrementalAnalysis, StrongAndExtendedDominanceOnATextbookExample) {
  //                           A    F    C    E    B    D
  const std::vector<double> cost{0, 500, 250, 260, 100, 300};
  const std::vector<double> qaly{0, 2.5, 1.5, 1.2, 1.0, 2.2};
  const auto rows = incremental_analysis(cost, qaly);
  const std::vector<Dominance> expected{kFrontier, kFrontier, kExtended, kDominated, kFrontier, kFrontier};
  for (std::size_t s = 0; s < rows.size(); ++s) EXPECT_EQ(rows[s].status, expected[s]) << s;
  EXPECT_TRUE(std::isnan(rows[0].icer));
  EXPECT_DOUBLE_EQ(rows[4].icer, 100.0);
  EXPECT_DOUBLE_EQ(rows[5].icer, 200.0 / 1.2);
  EXPECT_DOUBLE_EQ(rows[1].icer, 200.0 / 0.3);
  EXPECT_DOUBLE_EQ(rows[5].incremental_cost, 200.0);
  EXPECT_DOUBLE_EQ(rows[5].incremental_qaly, 1.2);
  EXPECT_TRUE(std::isnan(rows[2].icer));
  EXPECT_TRUE(std::isnan(rows[3].incremental_cost));
}

// Extended dominance can cascade: removing one option can expose the previous one.
TEST(IncrementalAnalysis, ExtendedDominanceIsRecheckedBackwards) {
  // A(0,0) B(10,1) ICER 10; C(30,1.5) ICER 40; D(40,2.5) ICER vs C 10 < 40 -> C out;
  // D vs B: 30/1.5 = 20 > 10 keeps B.  E(41, 4.5) vs D: 1/2 = 0.5 -> D out; E vs B:
  // 31/3.5 = 8.86 < 10 -> B out too; E vs A: 41/4.5.
  const std::vector<double> cost{0, 10, 30, 40, 41};
  const std::vector<double> qaly{0, 1, 1.5, 2.5, 4.5};
  const auto rows = incremental_analysis(cost, qaly);
  EXPECT_EQ(rows[1].status, kExtended);
  EXPECT_EQ(rows[2].status, kExtended);
  EXPECT_EQ(rows[3].status, kExtended);
  EXPECT_EQ(rows[4].status, kFrontier);
  EXPECT_DOUBLE_EQ(rows[4].icer, 41.0 / 4.5);
}

TEST(IncrementalAnalysis, EqualCostTheMoreEffectiveWinsAndEqualOptionsAreDominatedOnce) {
  const auto rows = incremental_analysis({100, 100, 100}, {1.0, 2.0, 2.0});
  EXPECT_EQ(rows[0].status, kDominated);
  EXPECT_EQ(rows[1].status, kFrontier);  // first listed of two identical options
  EXPECT_EQ(rows[2].status, kDominated);
}

TEST(IncrementalAnalysis, ACheaperAndMoreEffectiveStrategyDominatesTheComparator) {
  const auto rows = incremental_analysis({1000, 900}, {10.0, 10.1});
  EXPECT_EQ(rows[0].status, kDominated);
  EXPECT_EQ(rows[1].status, kFrontier);
  EXPECT_TRUE(std::isnan(rows[1].icer));
}

TEST(NetMonetaryBenefit, IsWtpTimesQalyMinusCost) {
  EXPECT_DOUBLE_EQ(net_monetary_benefit(1000, 2.5, 50000), 124000);
  EXPECT_DOUBLE_EQ(net_monetary_benefit(1000, 2.5, 0), -1000);
}

namespace {
PsaTable example_psa() {
  // Three strategies over four draws; strategy 0 is cheapest in every draw.
  PsaTable t;
  t.cost = {{0, 100, 300}, {10, 120, 200}, {5, 90, 400}, {0, 150, 250}};
  t.qaly = {{1.0, 1.01, 1.02}, {1.0, 1.005, 1.03}, {1.0, 1.02, 1.01}, {1.0, 1.0, 1.02}};
  return t;
}
}  // namespace

TEST(Ceac, SumsToOneAtEveryWtpAndPicksTheCheapestAtZero) {
  const std::vector<double> wtp{0, 5000, 10000, 20000, 50000, 1e6};
  const auto s = summarise_psa(example_psa(), wtp);
  for (const auto& row : s.ceac) {
    double total = 0;
    for (double p : row) total += p;
    EXPECT_DOUBLE_EQ(total, 1.0);
  }
  EXPECT_DOUBLE_EQ(s.ceac[0][0], 1.0);
  EXPECT_EQ(s.frontier[0], 0);
  // At a very high WTP the most effective strategy of each draw wins: 2, 2, 1, 2.
  EXPECT_DOUBLE_EQ(s.ceac.back()[2], 0.75);
  EXPECT_DOUBLE_EQ(s.ceac.back()[1], 0.25);
}

TEST(Evpi, IsNonNegativeZeroWithoutDecisionUncertaintyAndMatchesAHandComputation) {
  const std::vector<double> wtp{0, 10000, 1e6};
  const auto s = summarise_psa(example_psa(), wtp);
  for (double v : s.evpi) EXPECT_GE(v, 0.0);
  EXPECT_DOUBLE_EQ(s.evpi[0], 0.0);  // strategy 0 is best in every draw at WTP 0
  // WTP 1e6: NMB per draw (s0, s1, s2): draw 0: 1e6, 1.0099e6, 1.0197e6; draw 1: 999990,
  // 1.00488e6, 1.0298e6; draw 2: 999995, 1.01991e6, 1.0096e6; draw 3: 1e6, 999850, 1.01975e6.
  // E[max] = (1019700 + 1029800 + 1019910 + 1019750) / 4; max E = mean of s2 = (1019700 +
  // 1029800 + 1009600 + 1019750) / 4, so EVPI = (1019910 - 1009600) / 4 = 2577.5.
  EXPECT_NEAR(s.evpi[2], 2577.5, 1e-6);
  const auto one_draw = summarise_psa(PsaTable{{{0, 100}}, {{1, 2}}}, wtp);
  for (double v : one_draw.evpi) EXPECT_DOUBLE_EQ(v, 0.0);
}

}  // namespace osteosim::analysis
