#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "engine/estimate.hpp"
#include "engine/simulation.hpp"

namespace osteosim::cli {

po::options_description check_command_options() { return scenario_options(); }

/// `osteosim check SCENARIO...`: validate and print the fully resolved scenario.
int command_check(const CommandContext& context) {
  const po::variables_map& vm = context.options;
  const auto scenario =
      config::load_scenarios(positionals(vm, "scenario", "scenario file"), overrides_from(vm));
  context.out << scenario.resolved_yaml << '\n';
  // A YAML comment, so the output stays a valid resolved scenario.
  const auto estimate = engine::estimate_run(scenario, 0, engine::kDefaultBlockSize);
  context.out << "# estimate: " << engine::describe(estimate) << '\n';
  engine::check_limits(estimate, engine::physical_memory_bytes());
  return 0;
}

}  // namespace osteosim::cli
