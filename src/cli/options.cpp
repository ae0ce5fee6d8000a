#include "cli/options.hpp"

#include "common/error.hpp"

namespace osteosim::cli {

const char* const kUsage =
    "usage: osteosim run SCENARIO.yaml [SCENARIO.yaml...] [-o OUT.h5] [--agents N] [--seed S]\n"
    "                    [--threads T] [--set key=value]... [--microdata N] [--force] [--quiet]\n"
    "       osteosim check SCENARIO.yaml...   validate and print the resolved scenario\n"
    "       osteosim summary OUT.h5           tables of a result file\n"
    "       osteosim calibrate SCENARIO.yaml [--force] [--output-dir DIR]  fit the model's\n"
    "                baseline hazard multipliers to its incidence and life tables\n"
    "       osteosim validate-probe SCENARIO.yaml   per-agent validation counts (CSV)\n"
    "       osteosim describe [OUT.h5] [--markdown]  the result-file dictionary, or one file\n"
    "       osteosim export OUT.h5 --csv FILE [--events] [--force]  one long table for\n"
    "                pandas/data.table (or the event histories of a --microdata run)\n"
    "       osteosim export OUT.h5 --csv-dir DIR [--force]  every group of the file,\n"
    "                one CSV each (strategies, analysis, config, events)\n"
    "       osteosim --help | --version\n";

po::options_description scenario_options() {
  po::options_description options("scenario options");
  options.add_options()
      ("agents", po::value<std::int64_t>(), "number of simulated agents (overrides the file)")
      ("seed", po::value<std::uint32_t>(), "random seed, 0..4294967295 (overrides the file)")
      ("microdata", po::value<std::int64_t>(),
       "write the event histories of the first N agents (microdata_agents: N)")
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
  // A scenario key like any other, so the loader validates it and names the option.
  if (vm.count("microdata")) {
    o.set.push_back("microdata_agents=" + std::to_string(vm["microdata"].as<std::int64_t>()));
  }
  return o;
}

std::vector<std::string> positionals(const po::variables_map& vm, const char* name,
                                     const char* what) {
  if (!vm.count(name)) throw InputError(std::string("missing ") + what + "\n" + kUsage);
  return vm[name].as<std::vector<std::string>>();
}

}  // namespace osteosim::cli
