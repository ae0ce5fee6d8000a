#pragma once
/// Option parsing shared by the commands (Boost.Program_options).
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "config/scenario.hpp"

namespace osteosim::cli {

namespace po = boost::program_options;

/// The usage text printed by --help and after usage errors.
extern const char* const kUsage;

/// Options shared by `run` and `check`: what to simulate (--agents, --seed, --set).
po::options_description scenario_options();

/// Parses `args` (after the command word) with `named` options and any number of
/// positional arguments collected under `positional_name`.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& named,
                        const char* positional_name);

/// The scenario overrides given on the command line.
config::Overrides overrides_from(const po::variables_map& vm);

/// The positional arguments, or an InputError naming `what` is missing.
std::vector<std::string> positionals(const po::variables_map& vm, const char* name,
                                     const char* what);

}  // namespace osteosim::cli
