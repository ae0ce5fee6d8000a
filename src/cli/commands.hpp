#pragma once
/// One function per command; each returns the exit code and throws InputError on bad input.
/// Beside each, the options it accepts: the dispatcher parses the command line with them and
/// prints them for `osteosim COMMAND --help`, so the help cannot drift from the parser.
#include <ostream>
#include <string>

#include "cli/options.hpp"

namespace osteosim::cli {

/// Everything a command may need from the process.
struct CommandContext {
  po::variables_map options;  ///< the command line, parsed with the command's options
  std::string command_line;   ///< the whole command line, for provenance
  std::ostream& out;
  std::ostream& err;
  bool err_is_terminal = false;
};

po::options_description run_command_options();
po::options_description check_command_options();
po::options_description summary_command_options();
po::options_description calibrate_command_options();
po::options_description validate_probe_command_options();
po::options_description describe_command_options();
po::options_description export_command_options();

int command_run(const CommandContext& context);
int command_check(const CommandContext& context);
int command_summary(const CommandContext& context);
int command_calibrate(const CommandContext& context);
int command_validate_probe(const CommandContext& context);
int command_describe(const CommandContext& context);
int command_export(const CommandContext& context);

}  // namespace osteosim::cli
