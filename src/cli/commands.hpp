#pragma once
/// One function per command; each returns the exit code and throws InputError on bad input.
#include <ostream>
#include <string>
#include <vector>

namespace osteosim::cli {

/// Everything a command may need from the process.
struct CommandContext {
  std::vector<std::string> args;  ///< arguments after the command word
  std::string command_line;       ///< the whole command line, for provenance
  std::ostream& out;
  std::ostream& err;
  bool err_is_terminal = false;
};

int command_run(const CommandContext& context);
int command_check(const CommandContext& context);
int command_summary(const CommandContext& context);
int command_calibrate(const CommandContext& context);
int command_validate_probe(const CommandContext& context);
int command_describe(const CommandContext& context);
int command_export(const CommandContext& context);

}  // namespace osteosim::cli
