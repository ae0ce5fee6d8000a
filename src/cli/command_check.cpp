#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace osteosim::cli {

/// `osteosim check SCENARIO...`: validate and print the fully resolved scenario.
int command_check(const CommandContext& context) {
  const auto vm = parse(context.args, scenario_options(), "scenario");
  const auto scenario =
      config::load_scenarios(positionals(vm, "scenario", "scenario file"), overrides_from(vm));
  context.out << scenario.resolved_yaml << '\n';
  return 0;
}

}  // namespace osteosim::cli
