#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/error.hpp"
#include "output/summary.hpp"

namespace osteosim::cli {

/// `osteosim summary OUT.h5...`: human-readable tables of result files.
int command_summary(const CommandContext& context) {
  const auto vm = parse(context.args, po::options_description(), "file");
  for (const auto& file : positionals(vm, "file", "result file")) {
    try {
      output::print_summary(file, context.out);
    } catch (const IoError& e) {
      // The file passed the format check but a part of it cannot be read: a damaged file
      // is bad input (exit 2), wherever in the summary the damage is met.
      throw InputError("'" + file + "' is damaged or incomplete: " + e.what());
    }
  }
  return 0;
}

}  // namespace osteosim::cli
