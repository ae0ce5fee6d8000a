#pragma once
/// Option parsing shared by the commands (Boost.Program_options).
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "config/scenario.hpp"

namespace osteosim::cli {

namespace po = boost::program_options;

/// A command line the command cannot use (operands missing or too many); the dispatcher
/// adds the command's usage line to the message.
class UsageError : public InputError {
 public:
  using InputError::InputError;
};

/// Options shared by the commands that load a scenario: what to simulate (--agents, --seed,
/// --set, --microdata).
po::options_description scenario_options();

/// The ceiling of --threads is kThreadsPerCore x the hardware threads, but at least
/// kMinThreadCeiling: more threads than that only cost memory (buffers per thread).
inline constexpr int kThreadsPerCore = 4;
inline constexpr int kMinThreadCeiling = 64;
/// The ceiling of --threads on this machine.
int max_threads();

/// Adds --threads (default 0: all cores) for the commands that simulate.
void add_threads_option(po::options_description& options);

/// The --threads value, or an InputError if it is negative or above max_threads().
int threads_from(const po::variables_map& vm);

/// The --checkpoint-every value in seconds, or an InputError if negative, NaN or infinite.
double checkpoint_interval_from(const po::variables_map& vm);

/// Parses `args` (after the command word) with `named` options and any number of
/// positional arguments collected under `positional_name`.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& named,
                        const char* positional_name);

/// The scenario overrides given on the command line.
config::Overrides overrides_from(const po::variables_map& vm);

/// The positional arguments, or a UsageError naming `what` is missing.
std::vector<std::string> positionals(const po::variables_map& vm, const char* name,
                                     const char* what);

}  // namespace osteosim::cli
