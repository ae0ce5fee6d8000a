#include <algorithm>
#include <chrono>
#include <memory>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/run_checkpoint.hpp"
#include "cli/run_outputs.hpp"
#include "common/error.hpp"
#include "engine/distributed.hpp"
#include "engine/estimate.hpp"
#include "engine/psa.hpp"
#include "engine/psa_sizing.hpp"
#include "engine/run_result.hpp"
#include "engine/simulation.hpp"
#include "output/hdf5_writer.hpp"
#include "output/microdata_spool.hpp"
#include "output/output_path.hpp"
#include "output/stale_files.hpp"
#include "output/summary.hpp"

namespace osteosim::cli {

namespace {

/// Spools the event histories of the first microdata_agents agents (none: nullptr). Under
/// MPI the blocks holding them must fall in rank 0's range (rank 0 writes the file); a
/// resumed run simulates them again for their events (the engine does).
std::unique_ptr<output::MicrodataSpool> start_microdata(const config::Scenario& scenario,
                                                        engine::RunOptions& run_options,
                                                        const std::string& output_path,
                                                        const engine::RankInfo& ranks) {
  const std::int64_t agents = std::min(scenario.microdata_agents, scenario.population.agents);
  if (agents <= 0) return nullptr;
  const std::int64_t blocks = engine::block_count(agents, run_options.block_size);
  if (ranks.ranks > 1) {
    const auto first_rank = engine::rank_block_range(
        engine::block_count(scenario, run_options.block_size), 0, ranks.ranks);
    if (blocks > first_rank.last) {
      throw InputError("microdata_agents: " + std::to_string(agents) + " agents span " +
                       std::to_string(blocks) + " blocks but rank 0 simulates " +
                       std::to_string(first_rank.last) +
                       "; sample fewer agents or use fewer ranks");
    }
  }
  if (ranks.rank != 0) return nullptr;
  auto spool = std::make_unique<output::MicrodataSpool>(microdata_spool_base(output_path),
                                                        scenario.strategies.size());
  run_options.microdata_agents = agents;
  run_options.on_block_microdata = [spool = spool.get()](std::int64_t,
                                                         const std::vector<engine::Microdata>& d) {
    spool->append(d);
  };
  return spool;
}

}  // namespace

po::options_description run_command_options() {
  po::options_description options("run options");
  // One option a line, as the --help it becomes reads.
  // clang-format off
  options.add_options()
      ("output,o", po::value<std::string>()->value_name("OUT.h5"),
       "result file (default: SCENARIO-NAME.h5)")
      ("force", "overwrite an existing result file (and discard an old checkpoint)")
      ("resume", "finish an interrupted run from its checkpoint (OUT.h5.checkpoint)")
      ("checkpoint-every", po::value<double>()->default_value(60)->value_name("SECONDS"),
       "seconds between checkpoints of finished work (0 = after every block)")
      ("quiet", "no progress and no summary");
  // clang-format on
  add_threads_option(options);
  options.add(scenario_options());
  return options;
}

/// `osteosim run SCENARIO...`: simulate, write the result file, print its summary.
int command_run(const CommandContext& context) {
  std::ostream& out = context.out;
  std::ostream& err = context.err;
  const po::variables_map& vm = context.options;
  const auto scenario =
      config::load_scenarios(positionals(vm, "scenario", "scenario file"), overrides_from(vm));
  const int threads = threads_from(vm);
  const std::string output_path =
      vm.count("output") ? vm["output"].as<std::string>() : scenario.name + ".h5";
  const bool force = vm.count("force") > 0;
  const bool quiet = vm.count("quiet") > 0;
  const double checkpoint_every = checkpoint_interval_from(vm);
  // Refuse an existing file, an unwritable directory, a run too big for this machine or a
  // disk too small for its result before computing anything.
  output::check_output_path(output_path, force);
  const auto estimate = engine::estimate_run(scenario, threads, engine::kDefaultBlockSize);
  engine::check_limits(estimate, engine::physical_memory_bytes());
  output::check_output_space(output_path, estimate.max_disk_bytes(), estimate.max_file_bytes());

  // Under mpirun each rank simulates a contiguous range of blocks; rank 0 alone reports
  // progress and writes. Each rank keeps its own checkpoint (resume needs the same ranks).
  const engine::RankInfo ranks = engine::init_ranks(nullptr, nullptr);
  const bool writer = ranks.rank == 0;
  const std::string checkpoint_base =
      ranks.ranks == 1
          ? output_path
          : output_path + ".rank" + std::to_string(ranks.rank) + "of" + std::to_string(ranks.ranks);
  // A run killed by kill -9 left its temporary files; they are never read, but take space.
  output::remove_stale_run_files(output_path, output::checkpoint_path_for(checkpoint_base), writer);
  check_run_outputs(scenario, output_path, checkpoint_base, writer);

  Progress progress(err, !quiet && writer, context.err_is_terminal);
  engine::RunOptions run_options;
  run_options.threads = threads;
  run_options.progress = [&progress](double fraction) { progress.update(fraction); };
  RunCheckpoint checkpoint(scenario, run_options, checkpoint_base, vm.count("resume") > 0, force,
                           checkpoint_every);
  checkpoint.attach(run_options);
  if (vm.count("resume") > 0 && !quiet && writer)
    err << "osteosim: resuming from " << checkpoint.path() << ": " << checkpoint.finished_work()
        << " were done\n";
  if (ranks.ranks > 1) {
    const auto mine = engine::rank_block_range(
        engine::block_count(scenario, run_options.block_size), ranks.rank, ranks.ranks);
    run_options.skip_block = [mine, finished = run_options.skip_block](std::int64_t block) {
      return block < mine.first || block >= mine.last || (finished && finished(block));
    };
  }
  const auto microdata = start_microdata(scenario, run_options, output_path, ranks);
  const StopOnSignals stop_on_signals;
  run_options.should_stop = stop_requested;
  const auto started = std::chrono::steady_clock::now();
  try {
    engine::simulate(scenario, run_options);  // its tallies are also in the checkpoint
  } catch (const std::exception&) {           // a signal, memory or a checkpoint write
    progress.finish();
    keep_finished_work(checkpoint, err);
    throw;
  }
  progress.finish();
  auto tallies = checkpoint.totals();
  engine::reduce_to_rank0(tallies, ranks);
  // PSA draws and one-way runs are shared out over the ranks too; rank 0 gathers them.
  engine::PsaResult psa;
  engine::PsaSizing psa_sizing;
  engine::OneWayResult one_way;
  if (scenario.psa.draws > 0) {
    // A phase of analysis runs, with its own progress line and its runs in the checkpoint.
    const auto phase = [&](const char* what, output::AnalysisPhase saved, const auto& runs) {
      Progress phase_progress(err, !quiet && writer, context.err_is_terminal, what);
      auto done = runs([&phase_progress](double fraction) { phase_progress.update(fraction); },
                       checkpoint.finished_runs(saved));
      phase_progress.finish();
      return done;
    };
    try {
      config::Scenario analysed = scenario;
      if (scenario.psa.noise_share > 0) {
        psa_sizing = phase("PSA pilot", output::AnalysisPhase::psa_pilot,
                           [&](const auto& report, const engine::FinishedRuns& finished) {
                             return engine::size_psa(scenario, threads, report, ranks,
                                                     stop_requested, finished);
                           });
        analysed.psa.agents_per_draw = psa_sizing.agents_per_draw;
      }
      psa = phase("PSA", output::AnalysisPhase::psa,
                  [&](const auto& report, const engine::FinishedRuns& finished) {
                    return engine::run_psa(analysed, threads, report, ranks, stop_requested,
                                           finished);
                  });
      one_way = phase("one-way", output::AnalysisPhase::one_way,
                      [&](const auto& report, const engine::FinishedRuns& finished) {
                        return engine::run_one_way(analysed, threads, report, ranks, stop_requested,
                                                   finished);
                      });
    } catch (const std::exception&) {
      // The base run and the finished draws and one-way runs are in the checkpoint;
      // --resume runs the rest.
      keep_finished_work(checkpoint, err);
      throw;
    }
  }
  if (!writer) {
    checkpoint.remove();
    return 0;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  engine::RunResult result;
  auto& info = result.info;
  info.scenario_name = scenario.name;
  info.model_name = scenario.model_name;
  info.population_kind = config::population_kind_name(scenario.population.kind);
  info.agents = scenario.population.agents;
  info.persons_per_agent = engine::persons_per_agent(scenario);
  info.seed = scenario.seed;
  info.start_year = scenario.start_year;
  info.years = scenario.years;
  info.time_step_months = scenario.time_step_months;
  info.resolved_yaml = scenario.resolved_yaml;
  info.command_line = context.command_line;
  info.input_files = scenario.input_files;
  for (std::size_t s = 0; s < scenario.strategies.size(); ++s) {
    result.strategies.push_back({scenario.strategies[s].name, std::move(tallies[s])});
  }
  if (microdata) result.microdata_spool = microdata->base();
  result.economics = scenario.strategies.front().parameters.economics;
  result.psa = std::move(psa);
  result.psa_sizing = std::move(psa_sizing);
  result.one_way = std::move(one_way);
  try {
    if (microdata) microdata->finish();  // flushing the spool can fail like the result
    output::write_results(output_path, result, force);
  } catch (const std::exception&) {
    keep_finished_work(checkpoint, err);  // e.g. a full disk: free space, then --resume
    throw;
  }
  checkpoint.remove();

  if (!quiet) {
    const double agent_years = static_cast<double>(info.agents) * info.years *
                               static_cast<double>(scenario.strategies.size());
    err << "osteosim: simulated " << info.agents << " agents x " << scenario.strategies.size()
        << " strategies in " << seconds << " s (up to " << agent_years / seconds
        << " agent-years/s); wrote " << output_path << '\n';
    output::print_summary(output_path, out);
  }
  return 0;
}

}  // namespace osteosim::cli
