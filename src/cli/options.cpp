#include "cli/options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <thread>

#include "common/error.hpp"

namespace osteosim::cli {

namespace {

/// `text` as a whole decimal number in [0, max], or an InputError naming `option`. Boost's
/// own conversion turns "-1" into 4294967295 for an unsigned option; this one refuses
/// signs, spaces and anything after the digits.
std::uint64_t unsigned_option(const char* option, const std::string& text, std::uint64_t max) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value > max) {
    throw InputError(std::string("--") + option + ": '" + text +
                     "' is not a whole number from 0 to " + std::to_string(max));
  }
  return value;
}

}  // namespace

po::options_description scenario_options() {
  po::options_description options("scenario options");
  // One option a line, as the --help it becomes reads.
  // clang-format off
  options.add_options()
      ("agents", po::value<std::int64_t>()->value_name("N"),
       "number of simulated agents (overrides the file)")
      ("seed", po::value<std::string>()->value_name("S"),
       "random seed, 0..4294967295 (overrides the file)")
      ("microdata", po::value<std::int64_t>()->value_name("N"),
       "write the event histories of the first N agents (microdata_agents: N)")
      ("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
       "override a scenario key or model parameter (repeatable), e.g. "
       "falls.annual_rate_scale=1.1");
  // clang-format on
  return options;
}

int max_threads() {
  return std::max(kMinThreadCeiling,
                  kThreadsPerCore * static_cast<int>(std::thread::hardware_concurrency()));
}

void add_threads_option(po::options_description& options) {
  options.add_options()(
      "threads", po::value<int>()->default_value(0)->value_name("T"),
      ("OpenMP threads (0 = all cores; at most the larger of " + std::to_string(kMinThreadCeiling) +
       " and " + std::to_string(kThreadsPerCore) + " x cores)")
          .c_str());
}

int threads_from(const po::variables_map& vm) {
  const int threads = vm["threads"].as<int>();
  if (threads < 0) throw InputError("--threads: must be 0 (all cores) or a positive number");
  // Each thread holds its own buffers: 10,000 threads took 8.7 GB for 2,000 agents.
  if (threads > max_threads()) {
    throw InputError("--threads: " + std::to_string(threads) + " is more than the limit of " +
                     std::to_string(max_threads()) + " (" + std::to_string(kThreadsPerCore) +
                     " x the " + std::to_string(std::thread::hardware_concurrency()) +
                     " cores, at least " + std::to_string(kMinThreadCeiling) + ")");
  }
  return threads;
}

double checkpoint_interval_from(const po::variables_map& vm) {
  const double seconds = vm["checkpoint-every"].as<double>();
  if (!std::isfinite(seconds) || seconds < 0) {
    throw InputError("--checkpoint-every: must be a finite number of seconds, 0 or more");
  }
  return seconds;
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
  if (vm.count("seed")) {
    o.seed = static_cast<std::uint32_t>(unsigned_option("seed", vm["seed"].as<std::string>(),
                                                        std::numeric_limits<std::uint32_t>::max()));
  }
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
