#pragma once
/// Which agents of a block have a quiet step: one in which no event happens, so that the
/// step is only person-time (over the segments between breakpoints), time on treatment,
/// bone loss and ageing (model::event_free_step). Most agent-steps are quiet; they are
/// found for the whole block at once, in SIMD across agents (lanes), instead of one agent
/// at a time through the general step (model::simulate_step_after_start).
///
/// The test bounds what the general step does. Within a step the hazards are constant
/// between breakpoints; the general step consumes the integrated hazard H_1 L_1 + H_2 L_2
/// + ... segment by segment and has no event while the sum plus a margin stays below
/// 1 - u, u the uniform of the agent's exponential clock (-ln u >= 1 - u; see
/// model/event_clock.hpp). Here the sum is bounded from above: the fall rate is exact on
/// both sides of the end of the agent's fall history, and the relative risks that depend
/// on time since a fracture (of the next fracture, of death) take their largest value over
/// the step. A lane is quiet when the bound plus twice the general step's margin stays
/// below 1 - u: the bound is computed in SIMD (vector exp, products in another order), so
/// it may differ from exact arithmetic in the last bits, which the extra margin covers. A
/// quiet lane is then one the general step would pass without an event; nothing it
/// records depends on the hazards, so results are those of the general step, bit for bit
/// (tests/unit/test_quiet_lanes.cpp, tests/regression/test_engine_equivalence.cpp).
#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <vector>

#include "model/agents.hpp"
#include "model/interventions.hpp"
#include "model/parameters.hpp"
#include "model/step.hpp"

namespace osteosim::engine {

/// Philox counter of one agent's step (engine/rng.hpp): the block's agents have ids
/// first_id, first_id + 1, ...
struct LaneRandom {
  std::uint32_t seed = 0;
  std::uint32_t psa_draw = 0;
  std::uint64_t first_id = 0;
  std::uint32_t step = 0;
};

/// Per-lane multipliers of the step's hazards from a strategy's interventions (1 without).
struct LaneEffects {
  std::array<std::vector<double>, model::kFractureProcesses> fracture_rr;
  std::vector<double> fall_rate_multiplier;

  void reset(Eigen::Index size);
  void set(Eigen::Index i, const model::InterventionEffects& effects);
  model::InterventionEffects get(Eigen::Index i) const;
};

class QuietLanes {
 public:
  /// Scratch columns for blocks of up to `capacity` agents; the risk-factor products and
  /// tables come from `params` (the parameters the simulation runs with).
  QuietLanes(const model::ModelParameters& params, Eigen::Index capacity);

  /// Classifies agents [0, size): afterwards quiet(i) says whether agent i's step is
  /// quiet. `scalar_below` forces agents with id < scalar_below through the general step
  /// (those whose events are recorded as rows).
  void classify(model::StepContext& context, const model::StepTime& time,
                const model::Agents& agents, Eigen::Index size, const LaneEffects& effects,
                const LaneRandom& random, std::uint64_t scalar_below);

  bool quiet(Eigen::Index i) const { return quiet_[static_cast<std::size_t>(i)] != 0; }

 private:
  /// Packs the candidates (alive agents not sampled for event rows) into lanes, copying
  /// their state and age rates into the columns; returns the number of lanes.
  int gather(model::StepContext& context, const model::StepTime& time,
             const model::Agents& agents, Eigen::Index size, const LaneEffects& effects,
             std::uint64_t first_id, std::uint64_t scalar_below);
  /// The clock's uniform of every lane, from the lanes' Philox.
  void draw_clock_uniforms(const LaneRandom& random, int lanes);
  /// largest[i] = the largest value `table` takes for keys in [since[i], since[i] + dt]
  /// (for the lane's sex), where since[i] is finite; unchanged elsewhere.
  void raise_to_table_maximum(const model::AgeTable& table, const std::vector<double>& since,
                              double dt, int lanes, std::vector<double>& largest) const;

  /// Risk-factor product by process for each combination of risk-factor bits.
  static constexpr int kRiskFactorCombinations = 1 << model::kRiskFactors;
  std::array<std::array<double, kRiskFactorCombinations>, model::kFractureProcesses>
      risk_factor_product_;
  std::array<double, model::kFractureProcesses> fall_share_{};
  const model::ModelParameters& params_;

  // Columns, one value per lane; doubles in the SIMD loops, so that they have one lane
  // width (GCC gives up on loops that mix widths).
  std::vector<Eigen::Index> row_;        ///< the lane's agent (row of Agents)
  std::vector<std::uint64_t> agent_id_;  ///< its id, the Philox counter
  std::vector<double> verdict_;          ///< 1: quiet
  std::vector<double> fall_rate_multiplier_;
  std::vector<double> male_;
  std::vector<double> bmd_g_cm2_;
  std::vector<double> bmd_mean_g_cm2_;
  std::vector<double> bmd_sd_g_cm2_;
  std::vector<double> background_death_per_year_;
  std::array<std::vector<double>, 2> fall_rate_per_year_;  ///< by fell in the past year
  std::vector<double> mean_fall_rate_per_year_;
  std::array<std::vector<double>, model::kFractureProcesses> incidence_per_year_;
  std::array<std::vector<double>, model::kFractureProcesses> mean_relative_risk_;
  /// Risk factors' and treatment's product by process.
  std::array<std::vector<double>, model::kFractureProcesses> risk_factor_rr_;
  std::vector<double> years_since_fall_;  ///< +inf: never
  std::vector<double> years_since_fracture_;
  std::vector<double> years_since_hip_;
  std::vector<double> years_since_vertebral_;
  std::vector<double> prior_fracture_rr_;  ///< its largest value within the step
  std::vector<double> death_rr_;           ///< its largest value within the step
  std::vector<double> clock_uniform_;
  std::vector<std::uint8_t> quiet_;  ///< by row, not lane
};

}  // namespace osteosim::engine
