#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "output/summary.hpp"

namespace osteosim::cli {

/// `osteosim summary OUT.h5...`: human-readable tables of result files.
int command_summary(const CommandContext& context) {
  const auto vm = parse(context.args, po::options_description(), "file");
  for (const auto& file : positionals(vm, "file", "result file")) {
    output::print_summary(file, context.out);
  }
  return 0;
}

}  // namespace osteosim::cli
