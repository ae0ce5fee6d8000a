#include "cli/cli.hpp"

#include <boost/program_options.hpp>
#include <chrono>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/progress.hpp"
#include "common/error.hpp"
#include "common/version.hpp"
#include "config/scenario.hpp"
#include "engine/run_result.hpp"
#include "engine/simulation.hpp"
#include "output/hdf5_writer.hpp"
#include "output/output_path.hpp"
#include "output/summary.hpp"

namespace osteosim::cli {

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "usage: osteosim run SCENARIO.yaml [SCENARIO.yaml...] [-o OUT.h5] [--agents N] [--seed S]\n"
    "                    [--threads T] [--set key=value]... [--force] [--quiet]\n"
    "       osteosim check SCENARIO.yaml...   validate and print the resolved scenario\n"
    "       osteosim summary OUT.h5           tables of a result file\n"
    "       osteosim --help | --version\n";

std::string join_command_line(int argc, const char* const* argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
  return line;
}

/// Options shared by `run` and `check`: what to simulate.
po::options_description scenario_options() {
  po::options_description options("scenario options");
  options.add_options()
      ("agents", po::value<std::int64_t>(), "number of simulated agents (overrides the file)")
      ("seed", po::value<std::uint32_t>(), "random seed, 0..4294967295 (overrides the file)")
      ("set", po::value<std::vector<std::string>>()->composing(),
       "override a scenario key or model parameter: --set falls.annual_rate_scale=1.1");
  return options;
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& named,
                        const char* positional_name) {
  po::options_description all;
  all.add(named).add_options()(positional_name, po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add(positional_name, -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

config::Overrides overrides_from(const po::variables_map& vm) {
  config::Overrides o;
  if (vm.count("agents")) o.agents = vm["agents"].as<std::int64_t>();
  if (vm.count("seed")) o.seed = vm["seed"].as<std::uint32_t>();
  if (vm.count("set")) o.set = vm["set"].as<std::vector<std::string>>();
  return o;
}

std::vector<std::string> positionals(const po::variables_map& vm, const char* name,
                                     const char* what) {
  if (!vm.count(name)) throw InputError(std::string("missing ") + what + "\n" + kUsage);
  return vm[name].as<std::vector<std::string>>();
}

int command_check(const std::vector<std::string>& args, std::ostream& out) {
  const auto vm = parse(args, scenario_options(), "scenario");
  const auto scenario =
      config::load_scenarios(positionals(vm, "scenario", "scenario file"), overrides_from(vm));
  out << scenario.resolved_yaml << '\n';
  return kExitSuccess;
}

int command_summary(const std::vector<std::string>& args, std::ostream& out) {
  const auto vm = parse(args, po::options_description(), "file");
  const auto files = positionals(vm, "file", "result file");
  for (const auto& file : files) output::print_summary(file, out);
  return kExitSuccess;
}

int command_run(const std::vector<std::string>& args, const std::string& command_line,
                std::ostream& out, std::ostream& err, bool err_is_terminal) {
  po::options_description options = scenario_options();
  options.add_options()
      ("output,o", po::value<std::string>(), "result file (default: SCENARIO-NAME.h5)")
      ("threads", po::value<int>()->default_value(0), "OpenMP threads (0 = all cores)")
      ("force", "overwrite an existing result file")
      ("quiet", "no progress and no summary");
  const auto vm = parse(args, options, "scenario");
  const auto scenario =
      config::load_scenarios(positionals(vm, "scenario", "scenario file"), overrides_from(vm));
  const int threads = vm["threads"].as<int>();
  if (threads < 0) throw InputError("--threads: must be 0 (all cores) or a positive number");
  const std::string output_path =
      vm.count("output") ? vm["output"].as<std::string>() : scenario.name + ".h5";
  const bool force = vm.count("force") > 0;
  const bool quiet = vm.count("quiet") > 0;
  // Refuse an existing file or an unwritable directory before computing anything.
  output::check_output_path(output_path, force);

  Progress progress(err, !quiet, err_is_terminal);
  engine::RunOptions run_options;
  run_options.threads = threads;
  run_options.progress = [&progress](double fraction) { progress.update(fraction); };
  const auto started = std::chrono::steady_clock::now();
  auto tallies = engine::simulate(scenario, run_options);
  progress.finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  engine::RunResult result;
  auto& info = result.info;
  info.scenario_name = scenario.name;
  info.model_name = scenario.model_name;
  info.population_kind =
      scenario.population.kind == config::PopulationKind::cohort ? "cohort" : "cross_section";
  info.agents = scenario.population.agents;
  info.persons_per_agent = engine::persons_per_agent(scenario);
  info.seed = scenario.seed;
  info.start_year = scenario.start_year;
  info.years = scenario.years;
  info.time_step_months = scenario.time_step_months;
  info.resolved_yaml = scenario.resolved_yaml;
  info.command_line = command_line;
  info.input_files = scenario.input_files;
  for (std::size_t s = 0; s < scenario.strategies.size(); ++s) {
    result.strategies.push_back({scenario.strategies[s].name, std::move(tallies[s])});
  }
  output::write_results(output_path, result, force);

  if (!quiet) {
    const double agent_years = static_cast<double>(info.agents) * info.years *
                               static_cast<double>(scenario.strategies.size());
    err << "osteosim: simulated " << info.agents << " agents x " << scenario.strategies.size()
        << " strategies in " << seconds << " s (up to " << agent_years / seconds
        << " agent-years/s); wrote " << output_path << '\n';
    output::print_summary(output_path, out);
  }
  return kExitSuccess;
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
  if (command == "run") return command_run(args, join_command_line(argc, argv), out, err, err_is_terminal);
  if (command == "check") return command_check(args, out);
  if (command == "summary") return command_summary(args, out);
  throw InputError("unknown command '" + command + "'\n" + kUsage);
}

}  // namespace

int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
         bool err_is_terminal) {
  try {
    return dispatch(argc, argv, out, err, err_is_terminal);
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
