#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/error.hpp"
#include "output/summary.hpp"

namespace osteosim::cli {

/// summary has no options of its own (--help is everyone's).
po::options_description summary_command_options() { return po::options_description(); }

/// `osteosim summary OUT.h5...`: human-readable tables of result files.
int command_summary(const CommandContext& context) {
  const auto files = positionals(context.options, "file", "result file");
  for (const auto& file : files) {
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
