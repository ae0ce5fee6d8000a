#include "cli/cli.hpp"

#include <csignal>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/options.hpp"
#include "common/error.hpp"
#include "common/version.hpp"

namespace osteosim::cli {

namespace {

std::string join_command_line(int argc, const char* const* argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    line += argv[i];
  }
  return line;
}

int dispatch(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
             bool err_is_terminal) {
  if (argc < 2) throw InputError(std::string("no command given\n") + kUsage);
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "--help" || command == "-h" || command == "help") {
    out << kUsage << '\n' << scenario_options() << '\n';
    return kExitSuccess;
  }
  if (command == "--version") {
    out << "osteosim " << version() << " (commit " << git_commit() << ", " << compiler() << ")\n";
    return kExitSuccess;
  }
  const CommandContext context{args, join_command_line(argc, argv), out, err, err_is_terminal};
  if (command == "run") return command_run(context);
  if (command == "check") return command_check(context);
  if (command == "summary") return command_summary(context);
  if (command == "calibrate") return command_calibrate(context);
  if (command == "validate-probe") return command_validate_probe(context);
  if (command == "describe") return command_describe(context);
  if (command == "export") return command_export(context);
  throw InputError("unknown command '" + command + "'\n" + kUsage);
}

}  // namespace

int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
         bool err_is_terminal) {
  try {
    return dispatch(argc, argv, out, err, err_is_terminal);
  } catch (const Interrupted& e) {
    err << "osteosim: interrupted: " << e.what() << '\n';
    const int signal = received_signal();
    return 128 + (signal != 0 ? signal : SIGINT);
  } catch (const InputError& e) {
    err << "osteosim: error: " << e.what() << '\n';
    return kExitBadInput;
  } catch (const po::error& e) {
    err << "osteosim: error: " << e.what() << "\n" << kUsage;
    return kExitBadInput;
  } catch (const std::exception& e) {
    err << "osteosim: failure: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace osteosim::cli
