#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/error.hpp"
#include "engine/validation_probe.hpp"

namespace osteosim::cli {

po::options_description validate_probe_command_options() {
  po::options_description options("validate-probe options");
  add_threads_option(options);
  options.add(scenario_options());
  return options;
}

/// `osteosim validate-probe SCENARIO`: the per-agent validation counts of a cohort run
/// (engine/validation_probe.hpp) as CSV, `metric,sex,age,events,denominator`, for
/// scripts/validate. Proportions are events / denominator.
int command_validate_probe(const CommandContext& context) {
  const po::variables_map& vm = context.options;
  const auto paths = positionals(vm, "scenario", "scenario file");
  if (paths.size() != 1) throw UsageError("validate-probe takes one scenario file");
  const int threads = threads_from(vm);
  const auto scenario = config::load_scenario(paths.front(), overrides_from(vm));
  const auto c = engine::run_validation_probe(scenario, threads);
  auto& out = context.out;
  out << "metric,sex,age,events,denominator\n";
  for (int s = 0; s < model::kSexes; ++s) {
    const auto sex = model::kSexNames[s];
    out << "hip_fracture_mortality_6m," << sex << ",65+," << c.deaths_within_half_year_of_hip[s]
        << ',' << c.hip_fractures_65_plus[s] << '\n'
        << "hip_fracture_mortality_1y," << sex << ",65+," << c.deaths_within_year_of_hip[s] << ','
        << c.hip_fractures_65_plus[s] << '\n';
    const char* horizons[] = {"subsequent_fracture_1y", "subsequent_fracture_2y",
                              "subsequent_fracture_5y"};
    for (int k = 0; k < 3; ++k) {
      out << horizons[k] << ',' << sex << ",65+," << c.subsequent_within[s][k] << ','
          << c.first_clinical_65_plus[s] << '\n';
    }
  }
  const char* groups[] = {"50-59", "60-69", "70-79", "80+"};
  for (int g = 0; g < engine::kProbeAgeGroups; ++g) {
    out << "osteoporosis_fn_prevalence,female," << groups[g] << ',' << c.women_osteoporotic[g]
        << ',' << c.women_observed[g] << '\n';
  }
  return 0;
}

}  // namespace osteosim::cli
