#include <chrono>
#include <optional>
#include <string>

#include "analysis/psa_noise.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "engine/estimate.hpp"
#include "engine/psa_sizing.hpp"
#include "engine/simulation.hpp"
#include "output/text_table.hpp"

namespace osteosim::cli {

namespace {

/// The CEAC precision `check --noise-share` sizes draws for when not told otherwise.
constexpr double kDefaultCeacHalfWidth = 0.05;

/// `name`'s value as a number in the open interval (lo, hi), or an InputError naming it.
double open_interval_option(const po::variables_map& vm, const char* name, double lo, double hi) {
  const double value = vm[name].as<double>();
  if (!(value > lo && value < hi)) {
    throw InputError(std::string("--") + name + ": must be above " + output::fixed(lo, 0) +
                     " and below " + output::fixed(hi, 1));
  }
  return value;
}

std::string agents_text(const analysis::NoiseDecomposition& d, std::int64_t agents, double target) {
  const std::int64_t needed = analysis::agents_for_noise_share(d, agents, target);
  return needed > 0 ? std::to_string(needed) : "-";
}

/// Runs the scenario's pilot PSA and prints, as YAML comments, the noise it measured and
/// the PSA it proposes: agents per draw for the target noise share, draws for the CEAC
/// precision.
void propose_psa_size(config::Scenario scenario, double target, double ceac_half_width, int threads,
                      std::ostream& out) {
  if (scenario.psa.draws == 0) {
    throw InputError(
        "--noise-share: the scenario has no psa: {draws, agents_per_draw}; its "
        "agents_per_draw is the pilot's size");
  }
  if (scenario.strategies.size() < 2) {
    throw InputError(
        "--noise-share: the noise is that of the differences between strategies; "
        "the scenario has one strategy");
  }
  scenario.psa.noise_share = target;
  const auto started = std::chrono::steady_clock::now();
  const engine::PsaSizing sizing = engine::size_psa(scenario, threads, nullptr);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string& currency = scenario.strategies.front().parameters.economics.currency;
  out << "# PSA sizing for a noise share of at most " << output::fixed(100 * target, 0)
      << "% of the incremental net benefit's variance between draws (ANOVA, O'Hagan, Stevenson "
         "and Madan 2007), from a pilot of "
      << sizing.pilot_draws << " draws x " << sizing.pilot_agents_per_draw << " agents ("
      << output::fixed(seconds, 1) << " s); noise share and agents per draw at each " << currency
      << " per QALY:\n";
  output::TextTable table;
  std::vector<std::string> header{"strategy vs '" + scenario.strategies.front().name + "'"};
  for (const double wtp : sizing.thresholds_per_qaly) {
    header.push_back(output::fixed(wtp, 0));
    header.push_back("agents/draw");
  }
  table.add_row(header);
  for (std::size_t s = 0; s < sizing.strategies.size(); ++s) {
    std::vector<std::string> row{sizing.strategies[s]};
    for (const auto& d : sizing.net_benefit[s]) {
      row.push_back(output::fixed(d.noise_share, 2));
      row.push_back(agents_text(d, sizing.pilot_agents_per_draw, target));
    }
    table.add_row(row);
  }
  table.print(out, "#   ");
  config::Scenario proposed = scenario;
  proposed.psa.draws = analysis::draws_for_ceac_half_width(ceac_half_width);
  proposed.psa.agents_per_draw = sizing.agents_per_draw;
  proposed.psa.noise_share = 0;
  out << "# proposed: psa: {draws: " << proposed.psa.draws
      << ", agents_per_draw: " << proposed.psa.agents_per_draw << "}  (draws: a CEAC within +/-"
      << output::fixed(ceac_half_width, 3) << " at 95%; agents: the largest above, at least "
      << engine::kMinimumSizedAgentsPerDraw << ")\n";
  out << "# its estimate: "
      << engine::describe(engine::estimate_run(proposed, threads, engine::kDefaultBlockSize))
      << '\n';
  out << "# or let the run size itself: psa: {draws: " << proposed.psa.draws
      << ", agents_per_draw: " << sizing.pilot_agents_per_draw
      << ", noise_share: " << output::fixed(target, 2) << "}\n";
}

}  // namespace

po::options_description check_command_options() {
  po::options_description options("check options");
  // clang-format off
  options.add_options()
      ("noise-share", po::value<double>()->value_name("SHARE"),
       "run the scenario's PSA as a pilot (psa.pilot_draws draws of psa.agents_per_draw "
       "agents) and propose psa.draws and psa.agents_per_draw for which simulation noise is "
       "at most SHARE of the variance between draws (e.g. 0.1)")
      ("ceac-half-width", po::value<double>()->default_value(kDefaultCeacHalfWidth)->value_name("H"),
       "with --noise-share: propose draws for a CEAC within +/-H at 95%");
  // clang-format on
  add_threads_option(options);
  options.add(scenario_options());
  return options;
}

/// `osteosim check SCENARIO...`: validate and print the fully resolved scenario.
int command_check(const CommandContext& context) {
  const po::variables_map& vm = context.options;
  const auto scenario =
      config::load_scenarios(positionals(vm, "scenario", "scenario file"), overrides_from(vm));
  const int threads = threads_from(vm);
  std::optional<double> noise_share;
  if (vm.count("noise-share")) noise_share = open_interval_option(vm, "noise-share", 0, 1);
  const double ceac_half_width = open_interval_option(vm, "ceac-half-width", 0, 0.5);
  context.out << scenario.resolved_yaml << '\n';
  // A YAML comment, so the output stays a valid resolved scenario.
  const auto estimate = engine::estimate_run(scenario, threads, engine::kDefaultBlockSize);
  context.out << "# estimate: " << engine::describe(estimate) << '\n';
  engine::check_limits(estimate, engine::physical_memory_bytes());
  if (noise_share) propose_psa_size(scenario, *noise_share, ceac_half_width, threads, context.out);
  return 0;
}

}  // namespace osteosim::cli
