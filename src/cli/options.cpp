#include "cli/options.hpp"

#include "common/error.hpp"

namespace osteosim::cli {

po::options_description scenario_options() {
  po::options_description options("scenario options");
  // One option a line, as the --help it becomes reads.
  // clang-format off
  options.add_options()
      ("agents", po::value<std::int64_t>()->value_name("N"),
       "number of simulated agents (overrides the file)")
      ("seed", po::value<std::uint32_t>()->value_name("S"),
       "random seed, 0..4294967295 (overrides the file)")
      ("microdata", po::value<std::int64_t>()->value_name("N"),
       "write the event histories of the first N agents (microdata_agents: N)")
      ("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
       "override a scenario key or model parameter (repeatable), e.g. "
       "falls.annual_rate_scale=1.1");
  // clang-format on
  return options;
}

void add_threads_option(po::options_description& options) {
  options.add_options()("threads", po::value<int>()->default_value(0)->value_name("T"),
                        "OpenMP threads (0 = all cores)");
}

int threads_from(const po::variables_map& vm) {
  const int threads = vm["threads"].as<int>();
  if (threads < 0) throw InputError("--threads: must be 0 (all cores) or a positive number");
  return threads;
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
  if (!vm.count(name)) throw UsageError(std::string("missing ") + what);
  return vm[name].as<std::vector<std::string>>();
}

}  // namespace osteosim::cli
