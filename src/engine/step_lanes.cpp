#include "engine/step_lanes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/philox_lanes.hpp"
#include "engine/rng.hpp"
#include "model/event_clock.hpp"
#include "model/falls.hpp"
#include "model/fracture.hpp"
#include "model/mortality.hpp"

namespace osteosim::engine {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kRunning = 1;
constexpr double kCompleted = 0;
constexpr double kBailed = -1;
/// A lane whose outcome was handed to its agent, left in place among running lanes.
constexpr double kRetired = -2;
/// A record's `years` for a fall (person-time is never negative).
constexpr double kFallRecord = -1;
/// A lane takes a step only if no key of a time-since-fracture table falls within it, with
/// this much to spare (the lanes then need not look the tables up again within the step).
constexpr double kTableKeyMargin = 1e-9;
/// Passes of the loop before the lanes still running are left to the general step.
constexpr int kMaxPasses = 64;

/// Whether `table`'s value for the time since an event stays the same for the whole step.
bool no_key_within(const model::AgeTable& table, double since, double dt) {
  return !(since < kInf) || table.next_key_after(since) - since >= dt + kTableKeyMargin;
}

/// A lane's fracture-process columns, for the fold expressions below.
struct ProcessColumns {
  std::array<const double*, model::kFractureProcesses> hazard;  ///< before the fall split
  std::array<const double*, model::kFractureProcesses> treatment_rr;
  model::ByProcess fall_share;
};
constexpr auto kProcesses = std::make_index_sequence<model::kFractureProcesses>{};

/// model::combine_event_hazards's after-fall hazard of process K, operation for operation.
template <std::size_t K>
double after_fall(const ProcessColumns& p, int i, double fall_rate_ratio) {
  return p.hazard[K][i] * p.fall_share[K] * fall_rate_ratio * p.treatment_rr[K][i];
}
template <std::size_t K>
double without_fall(const ProcessColumns& p, int i) {
  return p.hazard[K][i] * (1 - p.fall_share[K]) * p.treatment_rr[K][i];
}
/// The fall-related fracture hazards, summed in process order from 0.
template <std::size_t... K>
double fall_related(std::index_sequence<K...>, const ProcessColumns& p, int i, double ratio) {
  double sum = 0;
  ((sum += after_fall<K>(p, i, ratio)), ...);
  return sum;
}
/// `total` plus every process's after-fall then without-fall hazard, in event order.
template <std::size_t... K>
double add_fracture_hazards(std::index_sequence<K...>, const ProcessColumns& p, int i, double ratio,
                            double total) {
  ((total += after_fall<K>(p, i, ratio), total += without_fall<K>(p, i)), ...);
  return total;
}

/// The data of a set of columns, taken out of their vectors before a SIMD loop (so that
/// the loop loads no pointer).
template <std::size_t N>
std::array<double*, N> data_of(std::array<std::vector<double>, N>& columns) {
  std::array<double*, N> data{};
  for (std::size_t s = 0; s < N; ++s) data[s] = columns[s].data();
  return data;
}

/// Writes `value` into slot `slot` (no slot: nothing) of a lane's fixed set of columns.
template <std::size_t N>
void put(const std::array<double*, N>& columns, double slot, int lane, double value) {
  for (std::size_t s = 0; s < N; ++s) {
    double& cell = columns[s][lane];
    cell = slot == static_cast<double>(s) ? value : cell;
  }
}

}  // namespace

void LaneEffects::reset(Eigen::Index size) {
  for (auto& column : fracture_rr) column.assign(static_cast<std::size_t>(size), 1.0);
  fall_rate_multiplier.assign(static_cast<std::size_t>(size), 1.0);
}

void LaneEffects::set(Eigen::Index i, const model::InterventionEffects& effects) {
  const auto agent = static_cast<std::size_t>(i);
  for (std::size_t k = 0; k < fracture_rr.size(); ++k)
    fracture_rr[k][agent] = effects.fracture_rr[k];
  fall_rate_multiplier[agent] = effects.fall_rate_multiplier;
}

model::InterventionEffects LaneEffects::get(Eigen::Index i) const {
  const auto agent = static_cast<std::size_t>(i);
  model::InterventionEffects effects;
  for (std::size_t k = 0; k < fracture_rr.size(); ++k)
    effects.fracture_rr[k] = fracture_rr[k][agent];
  effects.fall_rate_multiplier = fall_rate_multiplier[agent];
  return effects;
}

StepLanes::StepLanes(const model::ModelParameters& params, Eigen::Index capacity)
    : fall_share_(model::fall_shares(params.fractures)) {
  const auto n = static_cast<std::size_t>(capacity);
  // What a lane carries from one pass to the next; the rest is scratch of one pass.
  carried_ = {&running_,
              &age_at_start_,
              &t_,
              &time_of_last_fall_,
              &background_death_per_year_,
              &death_after_fracture_per_year_,
              &mean_fall_rate_per_year_,
              &event_index_,
              &needs_quad_,
              &clock_uniform_,
              &choice_uniform_,
              &clock_known_,
              &clock_,
              &consumed_,
              &pending_count_,
              &record_count_,
              &agent_row_};
  for (auto& column : fall_rate_per_year_) carried_.push_back(&column);
  for (std::size_t k = 0; k < process_hazard_per_year_.size(); ++k) {
    carried_.push_back(&process_hazard_per_year_[k]);
    carried_.push_back(&treatment_rr_[k]);
  }
  for (auto& column : pending_) carried_.push_back(&column);
  std::vector<std::vector<double>*> columns = carried_;
  for (auto* column : {&total_hazard_, &segment_, &chosen_fall_, &needs_log_}) {
    columns.push_back(column);
  }
  // Lane columns hold one chunk of agents; outcomes are kept for every agent of a block.
  const auto lanes = static_cast<std::size_t>(kChunk);
  for (auto* column : columns) column->assign(lanes, 0.0);
  for (auto* column : {&agent_id_low_, &agent_id_high_, &counter_word_, &word_[0], &word_[1]}) {
    column->assign(lanes, 0);
  }
  kept_lane_.assign(lanes, 0);
  completed_.assign(n, 0);
  record_count_by_agent_.assign(n, 0);
  time_of_last_fall_by_agent_.assign(n, 0.0);
  record_age_.assign(n * kRecordSlots, 0.0);
  record_years_.assign(n * kRecordSlots, 0.0);
}

int StepLanes::gather(model::StepContext& context, const model::StepTime& time,
                      const model::Agents& agents, Eigen::Index begin, Eigen::Index end,
                      const LaneEffects& effects, std::uint64_t first_id,
                      std::uint64_t scalar_below) {
  const model::ModelParameters& params = context.params();
  const double now = time.start_years;
  const double dt = time.length_years;
  int lanes = 0;
  for (Eigen::Index i = begin; i < end; ++i) {
    const std::uint64_t id = first_id + static_cast<std::uint64_t>(i);
    if (!agents.alive[i] || id < scalar_below) continue;
    const double since_fracture = model::years_since(now, agents.time_of_last_fracture[i]);
    const double since_hip = model::years_since(now, agents.time_of_last_hip_fracture[i]);
    const double since_vertebral =
        model::years_since(now, agents.time_of_last_clinical_vertebral_fracture[i]);
    if (!no_key_within(params.fractures.rr_by_years_since_fracture, since_fracture, dt) ||
        !no_key_within(params.mortality.rr_after_hip_fracture, since_hip, dt) ||
        !no_key_within(params.mortality.rr_after_vertebral_fracture, since_vertebral, dt)) {
      continue;
    }
    const auto lane = static_cast<std::size_t>(lanes++);
    agent_row_[lane] = static_cast<double>(i);
    agent_id_low_[lane] = static_cast<std::uint32_t>(id);
    agent_id_high_[lane] = static_cast<std::uint32_t>(id >> 32);
    // What the general step holds for the whole step (model/step.cpp): the age rates at
    // mid-step, the agent's BMD risk, and -- no table key being crossed -- the
    // time-since-fracture relative risks.
    const model::Sex sex = agents.sex_of(i);
    const double age = agents.age_years[i];
    const model::AgeRates& rates = context.age_rates(sex, age + 0.5 * dt);
    const model::AgentFractureRisk risk =
        model::agent_fracture_risk(params, context.fracture_constants(), rates.fracture,
                                   agents.bmd_g_cm2[i], agents.risk_factors[i]);
    const auto hazard =
        model::process_hazards_per_year(params, sex, rates.fracture, risk, since_fracture);
    const model::DeathHazards death = model::death_hazards_per_year(
        params.mortality, sex, rates.background_death_per_year, since_hip, since_vertebral);
    age_at_start_[lane] = age;
    time_of_last_fall_[lane] = agents.time_of_last_fall[i];
    background_death_per_year_[lane] = death.background_per_year;
    death_after_fracture_per_year_[lane] = death.after_fracture_per_year;
    for (std::size_t fell = 0; fell < fall_rate_per_year_.size(); ++fell) {
      fall_rate_per_year_[fell][lane] =
          rates.fall_rate_per_year[fell] * effects.fall_rate_multiplier[index(i)];
    }
    mean_fall_rate_per_year_[lane] = rates.mean_fall_rate_per_year;
    for (std::size_t k = 0; k < hazard.size(); ++k) {
      process_hazard_per_year_[k][lane] = hazard[k];
      treatment_rr_[k][lane] = effects.fracture_rr[k][index(i)];
    }
    running_[lane] = kRunning;
    t_[lane] = 0;
    event_index_[lane] = 0;
    needs_quad_[lane] = 1;
    record_count_[lane] = 0;
  }
  return lanes;
}

void StepLanes::draw_event_quads(const LaneRandom& random, int lanes) {
  // Counters as 32-bit words first, so that the Philox loop has one lane width.
  const std::uint32_t stream_word = static_cast<std::uint32_t>(model::Stream::events) << 24;
  const double* const event_index = event_index_.data();
  std::uint32_t* const index_word = counter_word_.data();
#pragma omp simd
  for (int i = 0; i < lanes; ++i) {
    index_word[i] = stream_word | (static_cast<std::uint32_t>(event_index[i]) & kMaxDrawIndex);
  }
  const std::uint32_t* const id_low = agent_id_low_.data();
  const std::uint32_t* const id_high = agent_id_high_.data();
  std::uint32_t* const word0 = word_[0].data();
  std::uint32_t* const word1 = word_[1].data();
  const std::uint32_t step = random.step;  // locals: the loop reads no struct
  const std::uint32_t seed = random.seed;
  const std::uint32_t psa_draw = random.psa_draw;
#pragma omp simd
  for (int i = 0; i < lanes; ++i) {
    std::uint32_t c0 = id_low[i];
    std::uint32_t c1 = id_high[i];
    std::uint32_t c2 = step;
    std::uint32_t c3 = index_word[i];
    philox4x32_10_in_place(c0, c1, c2, c3, seed, psa_draw);
    word0[i] = c0;
    word1[i] = c1;
  }
  double* const needs_quad = needs_quad_.data();
  double* const clock_uniform = clock_uniform_.data();
  double* const choice_uniform = choice_uniform_.data();
  double* const known = clock_known_.data();
  double* const consumed = consumed_.data();
  double* const pending_count = pending_count_.data();
#pragma omp simd
  for (int i = 0; i < lanes; ++i) {
    // A new clock (model::EventClock's constructor) where a quad is due.
    const double due = needs_quad[i];
    const double u0 = to_open_unit(word0[i]);
    const double u1 = to_open_unit(word1[i]);
    clock_uniform[i] = due > 0 ? u0 : clock_uniform[i];
    choice_uniform[i] = due > 0 ? u1 : choice_uniform[i];
    known[i] = due > 0 ? 0.0 : known[i];
    consumed[i] = due > 0 ? 0.0 : consumed[i];
    pending_count[i] = due > 0 ? 0.0 : pending_count[i];
    needs_quad[i] = 0;
  }
}

void StepLanes::advance(const model::StepTime& time, int lanes) {
  const double start = time.start_years;
  const double dt = time.length_years;
  const model::ByProcess fall_share = fall_share_;
  double* const running = running_.data();
  const double* const age_at_start = age_at_start_.data();
  double* const t_now = t_.data();
  double* const last_fall = time_of_last_fall_.data();
  const double* const background = background_death_per_year_.data();
  const double* const after_fracture = death_after_fracture_per_year_.data();
  const double* const rate_without_fall = fall_rate_per_year_[0].data();
  const double* const rate_after_fall = fall_rate_per_year_[1].data();
  const double* const mean_fall_rate = mean_fall_rate_per_year_.data();
  const auto process_hazard = data_of(process_hazard_per_year_);
  const auto treatment_rr = data_of(treatment_rr_);
  double* const event_index = event_index_.data();
  double* const needs_quad = needs_quad_.data();
  const double* const clock_uniform = clock_uniform_.data();
  const double* const choice_uniform = choice_uniform_.data();
  double* const known = clock_known_.data();
  double* const clock = clock_.data();
  double* const consumed = consumed_.data();
  double* const pending_count = pending_count_.data();
  const auto pending = data_of(pending_);
  double* const total_hazard = total_hazard_.data();
  double* const segment_length = segment_.data();
  double* const chosen_fall = chosen_fall_.data();
  ProcessColumns hazards{{}, {}, fall_share};
  for (std::size_t k = 0; k < model::kFractureProcesses; ++k) {
    hazards.hazard[k] = process_hazard[k];
    hazards.treatment_rr[k] = treatment_rr[k];
  }
  double* const needs_log = needs_log_.data();
  double* const record_count = record_count_.data();
  const double* const agent_row = agent_row_.data();
  double* const record_age = record_age_.data();
  double* const record_years = record_years_.data();

  // Pass 1: the segment's hazards, its length, the event a clock would choose, and whether
  // the lazy clock passes it or needs its logarithm -- model::combine_event_hazards's and
  // model::choose_event's operations in their order. No per-lane arrays or closures (GCC
  // vectorises no loop holding one): the processes are summed by fold expressions over
  // compile-time indices. Flags are doubles, 1 or 0: GCC vectorises no loop that mixes
  // bools of different widths.
#pragma omp simd
  for (int i = 0; i < lanes; ++i) {
    const double t = t_now[i];
    const double now = start + t;
    const double age = age_at_start[i] + t;
    const double since_fall = model::years_since(now, last_fall[i]);
    const double fell = since_fall < model::kFallHistoryYears ? 1.0 : 0.0;
    const double rate = fell > 0 ? rate_after_fall[i] : rate_without_fall[i];
    const double ratio = mean_fall_rate[i] > 0 ? rate / mean_fall_rate[i] : 1.0;
    const double fall_only = std::max(0.0, rate - fall_related(kProcesses, hazards, i, ratio));
    const double total = add_fracture_hazards(kProcesses, hazards, i, ratio,
                                              0.0 + background[i] + after_fracture[i] + fall_only);
    total_hazard[i] = total;
    // model/step.cpp: time_to_next_breakpoint (no table key within the step) and
    // segment_length.
    double next = model::age_band_end(model::age_band(age)) - age;
    next = fell > 0 ? std::min(next, model::kFallHistoryYears - since_fall) : next;
    next = std::max(next, 1e-12);
    const double segment = std::min(dt - t, next);
    segment_length[i] = segment;
    // model::choose_event for the first three events: a fall without fracture is chosen
    // when the threshold passes both deaths and falls within its share.
    double threshold = choice_uniform[i] * total;
    const double past_background = threshold < background[i] ? 0.0 : 1.0;
    threshold -= background[i];
    const double past_deaths = past_background * (threshold < after_fracture[i] ? 0.0 : 1.0);
    threshold -= after_fracture[i];
    chosen_fall[i] = past_deaths * (threshold < fall_only ? 1.0 : 0.0);

    const double segment_hazard = total * segment;
    const double below_limit = pending_count[i] < model::EventClock::kMaxPending ? 1.0 : 0.0;
    const double clock_ahead =
        consumed[i] + segment_hazard + model::EventClock::kMargin < 1 - clock_uniform[i] ? 1.0
                                                                                         : 0.0;
    const double lazy = (1 - known[i]) * below_limit * clock_ahead;
    const double run = running[i] == kRunning ? 1.0 : 0.0;
    needs_log[i] = run * (1 - lazy) * (1 - known[i]);
    // A lazy pass beyond the lane's pending slots: the general step takes the lane.
    const double full = pending_count[i] >= kPendingSegments ? 1.0 : 0.0;
    running[i] = run * lazy * full > 0 ? kBailed : running[i];
  }
  // Pass 2, scalar: the clock -ln u where it is first needed, minus the segments passed
  // so far in order (model::EventClock), with the general step's libm.
  for (int i = 0; i < lanes; ++i) {
    if (!(needs_log[i] > 0)) continue;
    double value = -std::log(clock_uniform[i]);
    for (int k = 0; k < static_cast<int>(pending_count[i]); ++k)
      value -= pending[static_cast<std::size_t>(k)][i];
    clock[i] = value;
    known[i] = 1;
  }
  // Pass 3: the segment passes or ends in an event (model::simulate_step_after_start).
#pragma omp simd
  for (int i = 0; i < lanes; ++i) {
    const double run = running[i] == kRunning ? 1.0 : 0.0;
    const double t = t_now[i];
    const double segment = segment_length[i];
    const double segment_hazard = total_hazard[i] * segment;
    const double is_known = known[i];
    const double passes = is_known > 0 ? (segment_hazard <= clock[i] ? 1.0 : 0.0) : 1.0;
    // Not known: the lazy clock passed; the segment is pending.
    const double lazy = run * (1 - is_known);
    put(pending, lazy > 0 ? pending_count[i] : -1.0, i, segment_hazard);
    consumed[i] = lazy > 0 ? consumed[i] + segment_hazard : consumed[i];
    pending_count[i] = lazy > 0 ? pending_count[i] + 1 : pending_count[i];
    const double clock_before = clock[i];
    clock[i] = run * is_known * passes > 0 ? clock_before - segment_hazard : clock_before;
    // The person-time of the segment, or up to the event.
    const double lived = passes > 0 ? segment : clock_before / total_hazard[i];
    // Records go to the agent's slots; a lane that is not running, or has no slot left,
    // writes to its agent's spare slot (kRecords), which is never read.
    const double count = record_count[i];
    const auto first_slot = static_cast<std::int64_t>(agent_row[i]) * kRecordSlots;
    const auto segment_slot =
        first_slot +
        static_cast<std::int64_t>(run > 0 ? std::min(count, double{kRecords}) : kRecords);
    record_age[segment_slot] = age_at_start[i] + t;
    record_years[segment_slot] = lived;
    const double t_after = t + lived;
    // An event: a fall without fracture stays in the lane; anything else leaves it.
    const double fall_chosen = chosen_fall[i];
    const double fall = run * (1 - passes) * fall_chosen;
    const auto fall_slot =
        first_slot +
        static_cast<std::int64_t>(fall > 0 ? std::min(count + 1, double{kRecords}) : kRecords);
    record_age[fall_slot] = age_at_start[i] + t_after;
    record_years[fall_slot] = kFallRecord;
    t_now[i] = run > 0 ? t_after : t;
    last_fall[i] = fall > 0 ? start + t_after : last_fall[i];
    event_index[i] = fall > 0 ? event_index[i] + 1 : event_index[i];
    needs_quad[i] = fall;
    const double new_count = count + 1 + fall;
    record_count[i] = run > 0 ? new_count : count;
    // Records beyond the columns were not kept: such a lane bails, as does another event.
    const double other_event = (1 - passes) * (1 - fall_chosen);
    const double overflow = new_count > kRecords ? 1.0 : 0.0;
    const double bail = other_event + overflow;
    const double state = bail > 0 ? kBailed : (t_after >= dt ? kCompleted : kRunning);
    running[i] = run > 0 ? state : running[i];
  }
}

int StepLanes::retire_and_pack(int lanes) {
  // Completed lanes leave their outcome with their agent; running lanes move to the front,
  // so that later passes cost what is still running -- once few enough run on that the
  // copy costs less than the passes it saves.
  int kept = 0;
  for (int lane = 0; lane < lanes; ++lane) {
    const auto l = static_cast<std::size_t>(lane);
    if (running_[l] == kCompleted) {
      const auto agent = static_cast<std::size_t>(agent_row_[l]);
      completed_[agent] = 1;
      record_count_by_agent_[agent] = static_cast<int>(record_count_[l]);
      time_of_last_fall_by_agent_[agent] = time_of_last_fall_[l];
      running_[l] = kRetired;
    } else if (running_[l] == kRunning) {
      kept_lane_[static_cast<std::size_t>(kept++)] = lane;
    }
  }
  if (kept == 0 || 2 * kept > lanes) return kept == 0 ? 0 : lanes;
  const int* const from = kept_lane_.data();
  for (std::vector<double>* column : carried_) {
    double* const data = column->data();
    // In place: from[] increases and from[j] >= j, so no store lands on a lane still to be
    // read, by this vector of lanes or a later one.
#pragma omp simd
    for (int j = 0; j < kept; ++j) data[j] = data[from[j]];
  }
  for (int j = 0; j < kept; ++j) {
    const auto source = static_cast<std::size_t>(from[j]);
    agent_id_low_[static_cast<std::size_t>(j)] = agent_id_low_[source];
    agent_id_high_[static_cast<std::size_t>(j)] = agent_id_high_[source];
  }
  return kept;
}

void StepLanes::run(model::StepContext& context, const model::StepTime& time,
                    const model::Agents& agents, Eigen::Index size, const LaneEffects& effects,
                    const LaneRandom& random, std::uint64_t scalar_below) {
  std::fill_n(completed_.begin(), size, std::uint8_t{0});
  // A chunk at a time, so that its columns stay in the core's caches through the passes.
  for (Eigen::Index begin = 0; begin < size; begin += kChunk) {
    const Eigen::Index end = std::min<Eigen::Index>(size, begin + kChunk);
    int lanes = gather(context, time, agents, begin, end, effects, random.first_id, scalar_below);
    for (int pass = 0; pass < kMaxPasses && lanes > 0; ++pass) {
      draw_event_quads(random, lanes);
      advance(time, lanes);
      lanes = retire_and_pack(lanes);
    }
  }
}

int StepLanes::commit(model::StepContext& context, const model::InterventionPolicy& policy,
                      const model::StepTime& time, model::Agents& agents, Eigen::Index i,
                      model::EventRecorder& recorder) const {
  const std::size_t agent = index(i);
  const double* const age = &record_age_[agent * kRecordSlots];
  const double* const years = &record_years_[agent * kRecordSlots];
  int quads = 1;
  for (int r = 0; r < record_count_by_agent_[agent]; ++r) {
    if (years[r] == kFallRecord) {
      recorder.fall(age[r]);
      ++quads;
    } else {
      recorder.person_time(age[r], years[r]);
    }
  }
  // The age is still the step's start: the lanes change nothing before commit.
  const double age_at_start = agents.age_years[i];
  agents.time_of_last_fall[i] = time_of_last_fall_by_agent_[agent];
  model::end_step(context, policy, time, age_at_start, agents, i, recorder);
  return quads;
}

}  // namespace osteosim::engine
