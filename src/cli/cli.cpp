#include "cli/cli.hpp"

#include <csignal>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/options.hpp"
#include "common/error.hpp"
#include "common/version.hpp"
#include "config/did_you_mean.hpp"

namespace osteosim::cli {

namespace {

/// A command of the executable: its usage, what it does, and the options its parser
/// accepts. Help, suggestions and parsing all read `options`, so none can drift.
struct Subcommand {
  const char* name;
  const char* operands;    ///< e.g. "SCENARIO.yaml [SCENARIO.yaml...]"
  const char* positional;  ///< the key the operands are stored under
  const char* summary;     ///< one line for `osteosim --help`
  po::options_description (*options)();
  int (*run)(const CommandContext&);
};

const Subcommand kSubcommands[] = {
    {"run", "SCENARIO.yaml [SCENARIO.yaml...]", "scenario",
     "simulate, write the result file (several scenarios: side by side), print its summary",
     run_command_options, command_run},
    {"check", "SCENARIO.yaml [SCENARIO.yaml...]", "scenario",
     "validate and print the resolved scenario and the run's estimate; run nothing",
     check_command_options, command_check},
    {"summary", "OUT.h5 [OUT.h5...]", "file", "human-readable tables of result files",
     summary_command_options, command_summary},
    {"calibrate", "SCENARIO.yaml", "scenario",
     "fit the model's baseline hazard multipliers to its incidence and life tables",
     calibrate_command_options, command_calibrate},
    {"validate-probe", "SCENARIO.yaml", "scenario",
     "per-agent validation counts (CSV) for scripts/validate", validate_probe_command_options,
     command_validate_probe},
    {"describe", "[OUT.h5...]", "file", "the result-file dictionary, or what each file holds",
     describe_command_options, command_describe},
    {"export", "OUT.h5 --csv FILE | --csv-dir DIR", "file",
     "CSV tables for pandas/data.table: the strategies (or the events), or every group",
     export_command_options, command_export},
};

const Subcommand* find_subcommand(const std::string& name) {
  for (const Subcommand& command : kSubcommands) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

std::vector<std::string> subcommand_names() {
  std::vector<std::string> names;
  for (const Subcommand& command : kSubcommands) names.emplace_back(command.name);
  return names;
}

std::string usage_line(const Subcommand& command) {
  return std::string("osteosim ") + command.name + ' ' + command.operands + " [OPTIONS]";
}

/// `osteosim --help`: every command with what it does, and where to find its options.
std::string overview() {
  std::string text;
  const char* prefix = "usage: ";
  for (const Subcommand& command : kSubcommands) {
    text += prefix + usage_line(command) + "\n           " + command.summary + '\n';
    prefix = "       ";
  }
  text +=
      "       osteosim --help | --version\n"
      "       osteosim --list-options SUBCOMMAND   its option names, one a line (for scripts)\n"
      "\n"
      "osteosim SUBCOMMAND --help for details: its usage and every option with its default.\n";
  return text;
}

/// What the command's parser accepts: the command's own options and --help.
po::options_description accepted_options(const Subcommand& command) {
  po::options_description options = command.options();
  po::options_description general("general options");
  general.add_options()("help,h", "print this help and exit");
  options.add(general);
  return options;
}

void print_help(const Subcommand& command, std::ostream& out) {
  out << "usage: " << usage_line(command) << '\n' << command.summary << '\n';
  // Boost starts the group list with its own blank line when the first group is empty.
  if (!command.options().options().empty()) out << '\n';
  out << accepted_options(command) << '\n';
}

/// One option name a line (--long, then -s if it has one): for the tests and completion.
void print_option_names(const Subcommand& command, std::ostream& out) {
  const po::options_description options = accepted_options(command);
  for (const auto& option : options.options()) {
    out << option->canonical_display_name(po::command_line_style::allow_long) << '\n';
    // Without a short name, Boost answers with the bare long name.
    const std::string short_name =
        option->canonical_display_name(po::command_line_style::allow_dash_for_short);
    if (short_name.front() == '-') out << short_name << '\n';
  }
}

/// " (did you mean '--quiet'?)" for a misspelt option of `command`, or "".
std::string option_suggestion(const std::string& token, const Subcommand& command) {
  // Compare bare names: the shared "--" would otherwise make every option look close.
  std::string word = token.substr(0, token.find('='));
  word.erase(0, word.find_first_not_of('-'));
  const po::options_description options = accepted_options(command);
  std::vector<std::string> names;
  for (const auto& option : options.options()) {
    names.push_back(option->long_name());
  }
  const std::string match = config::closest_match(word, names);
  return match.empty() ? "" : " (did you mean '--" + match + "'?)";
}

/// Ends every usage error of a command, so the user learns where its options are listed.
std::string help_hint(const Subcommand& command) {
  return "\nosteosim " + std::string(command.name) + " --help lists its options";
}

po::variables_map parse_command_line(const Subcommand& command,
                                     const std::vector<std::string>& args) {
  try {
    return parse(args, accepted_options(command), command.positional);
  } catch (const po::unknown_option& e) {
    throw InputError(e.what() + option_suggestion(e.get_option_name(), command) +
                     help_hint(command));
  } catch (const po::error& e) {
    throw InputError(e.what() + help_hint(command));
  }
}

const Subcommand& subcommand_or_throw(const std::string& name) {
  const Subcommand* command = find_subcommand(name);
  if (command == nullptr) {
    throw InputError("unknown command '" + name + "'" +
                     config::did_you_mean(name, subcommand_names()) + "\n" + overview());
  }
  return *command;
}

std::string join_command_line(int argc, const char* const* argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    line += argv[i];
  }
  return line;
}

int run_subcommand(const Subcommand& command, int argc, const char* const* argv, std::ostream& out,
                   std::ostream& err, bool err_is_terminal) {
  const std::vector<std::string> args(argv + 2, argv + argc);
  CommandContext context{parse_command_line(command, args), join_command_line(argc, argv), out, err,
                         err_is_terminal};
  if (context.options.count("help")) {
    print_help(command, out);
    return kExitSuccess;
  }
  try {
    return command.run(context);
  } catch (const UsageError& e) {
    throw InputError(e.what() + std::string("\nusage: ") + usage_line(command) +
                     help_hint(command));
  }
}

int dispatch(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
             bool err_is_terminal) {
  if (argc < 2) throw InputError("no command given\n" + overview());
  const std::string word = argv[1];
  if (word == "--help" || word == "-h" || word == "help") {
    // `osteosim help run` is `osteosim run --help`.
    if (argc > 2)
      print_help(subcommand_or_throw(argv[2]), out);
    else
      out << overview();
    return kExitSuccess;
  }
  if (word == "--version") {
    out << "osteosim " << version() << " (commit " << git_commit() << ", " << compiler() << ")\n";
    return kExitSuccess;
  }
  if (word == "--list-options") {
    if (argc != 3) throw InputError("--list-options takes one subcommand\n" + overview());
    print_option_names(subcommand_or_throw(argv[2]), out);
    return kExitSuccess;
  }
  return run_subcommand(subcommand_or_throw(word), argc, argv, out, err, err_is_terminal);
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
    err << "osteosim: error: " << e.what() << "\n" << overview();
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    // Where the engine knows what it was doing it says so (OutOfMemory); elsewhere this.
    err << "osteosim: failure: out of memory (std::bad_alloc): try fewer --threads or a "
           "smaller run\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    err << "osteosim: failure: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace osteosim::cli
