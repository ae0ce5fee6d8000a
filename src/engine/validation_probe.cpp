#include "engine/validation_probe.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "engine/parallel_failure.hpp"
#include "engine/rng.hpp"
#include "engine/simulation.hpp"
#include "model/population.hpp"
#include "model/step.hpp"

namespace osteosim::engine {

namespace {

constexpr double kNone = std::numeric_limits<double>::infinity();
/// Balasubramanian 2019 counted subsequent fractures from 30 days after the index fracture
/// (earlier claims may be the index fracture's own follow-up care).
constexpr double kSubsequentFromYears = 30.0 / 365.25;
constexpr std::array<double, 3> kSubsequentWithinYears{1, 2, 5};
/// T-score threshold of osteoporosis (WHO 1994).
constexpr double kOsteoporosisTScore = -2.5;

int probe_age_group(double age) { return std::clamp(static_cast<int>(age / 10) - 5, 0, 3); }

/// One agent's history as far as the probe needs it (ages; kNone = not (yet) happened).
struct History {
  double first_hip_age = kNone;
  double death_age = kNone;
  double first_clinical_age = kNone;
  double next_clinical_age = kNone;  ///< first clinical fracture >= 30 days after the first
};

class ProbeRecorder final : public model::EventRecorder {
 public:
  explicit ProbeRecorder(History& h) : h_(h) {}
  void person_time(double, double) override {}
  void fall(double) override {}
  void fracture(model::Site site, double age, bool first_at_site, bool first_clinical) override {
    if (site == model::Site::hip && first_at_site) h_.first_hip_age = age;
    if (!model::is_clinical(site)) return;
    if (first_clinical) {
      h_.first_clinical_age = age;
    } else if (h_.next_clinical_age == kNone &&
               age - h_.first_clinical_age >= kSubsequentFromYears) {
      h_.next_clinical_age = age;
    }
  }
  void death(double age, bool) override { h_.death_age = age; }

 private:
  History& h_;
};

void count_agent(const History& h, model::Sex sex, double end_age, ProbeCounts& c) {
  const int s = static_cast<int>(sex);
  if (h.first_hip_age >= 65 && h.first_hip_age + 1 <= end_age) {
    ++c.hip_fractures_65_plus[s];
    if (h.death_age - h.first_hip_age <= 0.5) ++c.deaths_within_half_year_of_hip[s];
    if (h.death_age - h.first_hip_age <= 1.0) ++c.deaths_within_year_of_hip[s];
  }
  if (h.first_clinical_age >= 65 && h.first_clinical_age + 5 <= end_age) {
    ++c.first_clinical_65_plus[s];
    for (std::size_t k = 0; k < kSubsequentWithinYears.size(); ++k) {
      if (h.next_clinical_age - h.first_clinical_age <= kSubsequentWithinYears[k]) {
        ++c.subsequent_within[s][k];
      }
    }
  }
}

}  // namespace

void ProbeCounts::merge(const ProbeCounts& o) {
  for (int s = 0; s < 2; ++s) {
    hip_fractures_65_plus[s] += o.hip_fractures_65_plus[s];
    deaths_within_half_year_of_hip[s] += o.deaths_within_half_year_of_hip[s];
    deaths_within_year_of_hip[s] += o.deaths_within_year_of_hip[s];
    first_clinical_65_plus[s] += o.first_clinical_65_plus[s];
    for (int k = 0; k < 3; ++k) subsequent_within[s][k] += o.subsequent_within[s][k];
  }
  for (int g = 0; g < kProbeAgeGroups; ++g) {
    women_observed[g] += o.women_observed[g];
    women_osteoporotic[g] += o.women_osteoporotic[g];
  }
}

namespace {

/// What each thread of the probe keeps for its blocks.
struct ProbeThread {
  explicit ProbeThread(std::int64_t block_size)
      : block(static_cast<Eigen::Index>(block_size)),
        histories(static_cast<std::size_t>(block_size)) {}
  ProbeCounts local;
  model::Agents block;
  std::vector<History> histories;
};

}  // namespace

ProbeCounts run_validation_probe(const config::Scenario& scenario, int threads) {
  if (scenario.population.kind != config::PopulationKind::cohort) {
    throw InputError(scenario.source_file + ": the validation probe follows a cohort");
  }
  const auto& params = scenario.strategies.front().parameters;
  const model::PopulationSynthesis synthesis(
      params, {true, scenario.population.sex, scenario.population.age_years});
  const std::int64_t agents = scenario.population.agents;
  const std::int64_t block_size = kDefaultBlockSize;
  const std::int64_t blocks = (agents + block_size - 1) / block_size;
  const int steps_per_year = 12 / scenario.time_step_months;
  const double dt = 1.0 / steps_per_year;
  const int steps = scenario.years * steps_per_year;
  // One block of agents followed from entry to the end, counted into `local`.
  const auto probe_block = [&](std::int64_t b, ProbeThread& thread) {
    auto& [local, block, histories] = thread;
    const std::int64_t first = b * block_size;
    const auto size = static_cast<Eigen::Index>(std::min(block_size, agents - first));
    block.first_id = static_cast<std::uint64_t>(first);
    for (Eigen::Index i = 0; i < size; ++i) {
      const AgentStepRandom rng(scenario.seed, 0, static_cast<std::uint64_t>(first + i), 0);
      synthesis.enter(params, rng, block, i);
      histories[static_cast<std::size_t>(i)] = History{};
    }
    for (int step = 0; step < steps; ++step) {
      const bool year_starts = step % steps_per_year == 0;
      const model::StepTime time{step * dt, dt};
      for (Eigen::Index i = 0; i < size; ++i) {
        if (!block.alive[i]) continue;
        if (year_starts && block.sex_of(i) == model::Sex::female) {
          const int g = probe_age_group(block.age_years[i]);
          ++local.women_observed[g];
          const double t_score = (block.bmd_g_cm2[i] - params.bone.reference_mean_g_cm2) /
                                 params.bone.reference_sd_g_cm2;
          if (t_score <= kOsteoporosisTScore) ++local.women_osteoporotic[g];
        }
        const AgentStepRandom rng(scenario.seed, 0, static_cast<std::uint64_t>(first + i),
                                  static_cast<std::uint32_t>(step));
        ProbeRecorder recorder(histories[static_cast<std::size_t>(i)]);
        model::simulate_step(params, time, rng, block, i, recorder);
      }
    }
    const double end_age = scenario.population.age_years + scenario.years;
    for (Eigen::Index i = 0; i < size; ++i) {
      count_agent(histories[static_cast<std::size_t>(i)], block.sex_of(i), end_age, local);
    }
  };
  const auto doing = [&](const std::string& what) {
    return [what, block_size] {
      return what + " (" + std::to_string(block_size) + " agents) of the validation probe";
    };
  };
  ProbeCounts total;
  std::mutex merge_mutex;
  FirstFailure failure;  // no exception may leave the region (see parallel_failure.hpp)
#pragma omp parallel num_threads(threads > 0 ? threads : omp_get_max_threads())
  {
    std::optional<ProbeThread> own;
    failure.capture([&] { own.emplace(block_size); }, doing("preparing a thread's blocks"));
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t b = 0; b < blocks; ++b) {
      if (failure.failed()) continue;
      failure.capture([&] { probe_block(b, *own); },
                      doing("simulating block " + std::to_string(b)));
    }
    if (own) {
      const std::lock_guard lock(merge_mutex);
      total.merge(own->local);
    }
  }
  failure.rethrow_if_failed();
  return total;
}

}  // namespace osteosim::engine
