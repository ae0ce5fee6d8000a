#pragma once
/// The time step of a block of agents in SIMD lanes: the engine's vectorised event loop.
///
/// The general step (model::simulate_step_after_start) takes one agent at a time through
/// its competing events. Here the agents of a block are packed into lanes and run in
/// lock-step over structure-of-arrays columns: each pass of the loop is one iteration of
/// the general step's segment loop for every lane still running -- the nine event hazards
/// (model/event_hazards.hpp, the very functions the general step calls), the next
/// breakpoint, the lazy exponential clock (model/event_clock.hpp, replayed with its
/// pending segments), the choice of event, and the lanes' Philox for the next event's
/// quad. The arithmetic is the general step's, operation for operation; the clock's
/// logarithm and the agent's step-constant risk (three BMD relative risks) are taken with
/// the same scalar libm calls. So a lane's records are the general step's, bit for bit,
/// whatever the vector width (tests/unit/test_step_lanes.cpp compares them agent by agent).
///
/// A lane runs the steps that most agent-steps are: no event, or falls without fracture,
/// across breakpoints of the fall history and of the age bands. A lane leaves for the
/// general step (it "bails", nothing of it having been applied) when it meets a fracture
/// or a death, a breakpoint of the time-since-fracture tables within the step, or more
/// segments or records than its columns hold.
#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <vector>

#include "model/agents.hpp"
#include "model/event_hazards.hpp"
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

/// Per-agent multipliers of the step's hazards from a strategy's interventions (1 without).
struct LaneEffects {
  std::array<std::vector<double>, model::kFractureProcesses> fracture_rr;
  std::vector<double> fall_rate_multiplier;

  void reset(Eigen::Index size);
  void set(Eigen::Index i, const model::InterventionEffects& effects);
  model::InterventionEffects get(Eigen::Index i) const;
};

class StepLanes {
 public:
  /// Scratch columns for blocks of up to `capacity` agents.
  StepLanes(const model::ModelParameters& params, Eigen::Index capacity);

  /// Runs the step of agents [0, size) in lanes as far as lanes take it. Agents with
  /// id < scalar_below (those whose events are recorded as rows) are left to the general
  /// step. Nothing is applied to the agents: see completed() and commit().
  void run(model::StepContext& context, const model::StepTime& time, const model::Agents& agents,
           Eigen::Index size, const LaneEffects& effects, const LaneRandom& random,
           std::uint64_t scalar_below);

  /// Whether agent i's step was completed in a lane; if not, the general step takes it.
  bool completed(Eigen::Index i) const { return completed_[index(i)] != 0; }

  /// Applies agent i's completed step: reports its person-time and falls to `recorder` in
  /// the general step's order, then the end of the step (treatment, bone loss, ageing).
  /// Returns the Philox blocks the step drew (one per event clock).
  int commit(model::StepContext& context, const model::InterventionPolicy& policy,
             const model::StepTime& time, model::Agents& agents, Eigen::Index i,
             model::EventRecorder& recorder) const;

  /// The general step's limit of segments passed before its clock needs the logarithm is
  /// 16; lanes hold 4 and leave the rest to the general step.
  static constexpr int kPendingSegments = 4;
  /// Person-time segments and falls a lane can hold for one step.
  static constexpr int kRecords = 8;
  /// Agents taken through the passes together: their ~35 columns (~140 KB) stay in L2
  /// (64 and 128 were slower on BM_BlockStepLanes).
  static constexpr Eigen::Index kChunk = 512;

 private:
  static std::size_t index(Eigen::Index i) { return static_cast<std::size_t>(i); }
  /// Packs the agents [begin, end) a lane may take, with their step-constant quantities;
  /// returns the number of lanes.
  int gather(model::StepContext& context, const model::StepTime& time, const model::Agents& agents,
             Eigen::Index begin, Eigen::Index end, const LaneEffects& effects,
             std::uint64_t first_id, std::uint64_t scalar_below);
  /// The quad (events, event index) of every running lane that needs a new clock.
  void draw_event_quads(const LaneRandom& random, int lanes);
  /// One iteration of the general step's segment loop for every running lane.
  void advance(const model::StepTime& time, int lanes);
  /// Hands the completed lanes' outcomes to their agents and packs the running lanes to
  /// the front; returns how many run on.
  int retire_and_pack(int lanes);

  // By agent: the outcome of a step completed in a lane, what commit() reports and applies.
  std::vector<std::uint8_t> completed_;
  std::vector<int> record_count_by_agent_;
  std::vector<double> time_of_last_fall_by_agent_;
  /// kRecordSlots per agent, in order: person-time (age, years) or a fall (age,
  /// kFallRecord); the last slot is a spare that lanes write when they record nothing.
  static constexpr int kRecordSlots = kRecords + 1;
  std::vector<double> record_age_;
  std::vector<double> record_years_;
  std::vector<int> kept_lane_;
  std::vector<std::vector<double>*> carried_;  ///< the columns a lane keeps between passes

  model::ByProcess fall_share_{};

  // Per lane. Doubles in the SIMD loops, so that every loop has one lane width.
  std::vector<std::uint32_t> agent_id_low_;  ///< its id, the Philox counter's words 0 and 1
  std::vector<std::uint32_t> agent_id_high_;
  std::vector<std::uint32_t> counter_word_;         ///< word 3: stream and event index
  std::array<std::vector<std::uint32_t>, 2> word_;  ///< Philox output words 0 and 1
  std::vector<double> running_;                     ///< 1 running, 0 completed, -1 bailed
  std::vector<double> age_at_start_;
  std::vector<double> t_;  ///< years into the step
  std::vector<double> time_of_last_fall_;
  std::vector<double> background_death_per_year_;
  std::vector<double> death_after_fracture_per_year_;
  std::array<std::vector<double>, 2> fall_rate_per_year_;  ///< by fell in past year, with effects
  std::vector<double> mean_fall_rate_per_year_;
  std::array<std::vector<double>, model::kFractureProcesses> process_hazard_per_year_;
  std::array<std::vector<double>, model::kFractureProcesses> treatment_rr_;
  // The event clock of model/event_clock.hpp: quad of the current event, lazily known clock.
  std::vector<double> event_index_;
  std::vector<double> needs_quad_;
  std::vector<double> clock_uniform_;   ///< u[0]: the exponential clock
  std::vector<double> choice_uniform_;  ///< u[1]: which event
  std::vector<double> clock_known_;
  std::vector<double> clock_;     ///< what is left of -ln u, once known
  std::vector<double> consumed_;  ///< hazard consumed while not known
  std::vector<double> pending_count_;
  std::array<std::vector<double>, kPendingSegments> pending_;
  // This iteration's segment.
  std::vector<double> total_hazard_;
  std::vector<double> segment_;
  std::vector<double> chosen_fall_;  ///< 1: an event now would be a fall without fracture
  std::vector<double> needs_log_;
  std::vector<double> record_count_;
  std::vector<double> agent_row_;  ///< the lane's agent (a double: the SIMD loops' width)
};

}  // namespace osteosim::engine
