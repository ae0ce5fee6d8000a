#pragma once
/// Event histories (microdata) of the first agents of a run: every event of each sampled
/// agent as one row, plus the agent's characteristics at entry. The engine fills these per
/// block and strategy; the caller decides where they go (the engine knows no files).
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "model/agents.hpp"
#include "model/step.hpp"

namespace osteosim::engine {

/// Kinds of event rows. Values are part of the result format (the labels are written):
/// append only.
enum class EventKind : std::int8_t {
  entry = 0,             ///< the agent enters the simulation (its baseline row describes it)
  fall,                  ///< every fall, including those that break a bone
  fracture,              ///< site set; value 1 if the agent's first at that site, else 0
  death_background,      ///< death from the life-table hazard
  death_after_fracture,  ///< death from the excess hazard after a hip or vertebral fracture
  screened,              ///< attended a screening invitation; value 1 if the first time
  dxa,                   ///< DXA scan; value = measured T-score
  treatment_start,       ///< value = drug code (index into the drug labels)
  treatment_stop,        ///< course ended; value = drug code
  adverse_event,         ///< serious adverse event; value = drug code
  programme_start,       ///< joined a community programme; value = programme code
};
inline constexpr int kEventKinds = 11;
inline constexpr std::array<std::string_view, kEventKinds> kEventKindNames{
    "entry",    "fall", "fracture",        "death_background", "death_after_fracture",
    "screened", "dxa",  "treatment_start", "treatment_stop",   "adverse_event",
    "programme_start"};

/// Site code of a row that is not a fracture.
inline constexpr std::int8_t kNoSite = -1;

struct EventRow {
  std::int64_t agent = 0;
  double time_years = 0;  ///< simulation time (0 = start of the run)
  double age_years = 0;   ///< exact age at the event
  EventKind event = EventKind::entry;
  std::int8_t site = kNoSite;  ///< model::Site of a fracture, else kNoSite
  double value = 0;            ///< see EventKind; NaN where it has no meaning
};

/// An agent at entry.
struct BaselineRow {
  std::int64_t agent = 0;
  double entry_time_years = 0;
  double age_years = 0;
  double bmd_g_cm2 = 0;
  double t_score = 0;
  double weight_kg = 0;
  std::uint8_t sex = 0;           ///< model::Sex
  std::uint8_t risk_factors = 0;  ///< bit k = model::RiskFactor k present
};

/// One block's microdata for one strategy, in agent order then event order.
struct Microdata {
  std::vector<EventRow> events;
  std::vector<BaselineRow> baseline;
  void clear() {
    events.clear();
    baseline.clear();
  }
};

/// Puts a block's rows in agent order, keeping each agent's events in time order (the
/// engine records them step by step across agents).
void sort_by_agent(Microdata& block);

/// Records row i's baseline and its entry event (call right after entry).
void record_entry(const model::ModelParameters& params, const model::Agents& agents,
                  Eigen::Index i, double entry_time_years, Microdata& out);

/// Forwards every event to another recorder (the tallies) and appends it as a row, so the
/// rows and the tallies see exactly the same events with the same ages.
class MicrodataRecorder final : public model::EventRecorder {
 public:
  /// `time_offset_years`: simulation time minus age (constant over a life), to convert
  /// the ages the model reports into times.
  MicrodataRecorder(model::EventRecorder& inner, std::int64_t agent, double time_offset_years,
                    std::vector<EventRow>& rows)
      : inner_(inner), agent_(agent), time_offset_(time_offset_years), rows_(rows) {}

  void person_time(double age_years, double years) override {
    inner_.person_time(age_years, years);
  }
  void fall(double age_years) override;
  void fracture(model::Site site, double age_years, bool first_at_site,
                bool first_clinical) override;
  void death(double age_years, bool after_fracture) override;
  void screened(double age_years, bool first_time) override;
  void dxa_scan(double age_years) override { inner_.dxa_scan(age_years); }
  void dxa_result(double age_years, double measured_t_score) override;
  void treatment_start(model::Drug drug, double age_years, bool first_time) override;
  void treated_time(model::Drug drug, double age_years, double years) override {
    inner_.treated_time(drug, age_years, years);
  }
  void treatment_stop(model::Drug drug, double age_years, bool completed) override;
  void adverse_event(model::Drug drug, double age_years) override;
  void programme_start(model::Programme programme, double age_years) override;

 private:
  void add(EventKind kind, double age_years, std::int8_t site, double value);

  model::EventRecorder& inner_;
  std::int64_t agent_;
  double time_offset_;  ///< simulation time minus age (constant over a life)
  std::vector<EventRow>& rows_;
};

}  // namespace osteosim::engine
