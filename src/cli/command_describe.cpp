#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/error.hpp"
#include "output/describe.hpp"

namespace osteosim::cli {

po::options_description describe_command_options() {
  po::options_description options("describe options");
  options.add_options()("markdown", "the dictionary as Markdown (docs/outputs.md)");
  return options;
}

/// `osteosim describe [OUT.h5...] [--markdown]`: without a file, the dictionary of all
/// the writer can write (docs/outputs.md is its Markdown); with files, what each holds.
int command_describe(const CommandContext& context) {
  const po::variables_map& vm = context.options;
  const bool markdown = vm.count("markdown") > 0;
  if (!vm.count("file")) {
    output::print_dictionary(context.out, markdown);
    return 0;
  }
  if (markdown) throw InputError("describe: --markdown prints the dictionary; give no file");
  const auto files = vm["file"].as<std::vector<std::string>>();
  for (const auto& file : files) {
    output::describe_file(file, context.out);
  }
  return 0;
}

}  // namespace osteosim::cli
