#include "cli/run_checkpoint.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "common/error.hpp"
#include "common/version.hpp"
#include "output/sha256.hpp"

namespace osteosim::cli {

std::string run_fingerprint(const config::Scenario& scenario, const engine::RunOptions& options) {
  std::string text = "osteosim " + version() + " " + git_commit() + " " + compiler() + "\n";
  text += "agents " + std::to_string(scenario.population.agents) + "\n";
  text += "seed " + std::to_string(scenario.seed) + "\n";
  text += "block_size " + std::to_string(options.block_size) + "\n";
  text += "psa_draw " + std::to_string(options.psa_draw) + "\n";
  for (const auto& strategy : scenario.strategies) text += "strategy " + strategy.name + "\n";
  // Tables are referenced by path in the resolved text; their bytes count too.
  for (const auto& file : scenario.input_files) {
    text += "input " + file + " " + output::sha256_file_hex(file) + "\n";
  }
  text += scenario.resolved_yaml;
  return output::sha256_hex(text);
}

namespace {

/// Where a checkpoint goes when its own directory has no room: $TMPDIR or /tmp, under its
/// own name and this process's id (an older one there is left alone).
std::string fallback_checkpoint_path(const std::string& path) {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::filesystem::path directory = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  return (directory / std::filesystem::path(path).filename()).string() + "-" +
         std::to_string(::getpid());
}

}  // namespace

void keep_finished_work(const RunCheckpoint& checkpoint, std::ostream& err) noexcept {
  if (checkpoint.blocks_done() == 0) return;
  try {
    const std::string saved = checkpoint.finished_work() + " are saved in ";
    try {
      checkpoint.save();
      err << "osteosim: " << saved << checkpoint.path()
          << "; run the same command with --resume to finish\n";
      return;
    } catch (const std::exception& e) {
      err << "osteosim: could not save the finished work next to the result: " << e.what() << '\n';
    }
    const std::string elsewhere = fallback_checkpoint_path(checkpoint.path());
    try {
      checkpoint.save_as(elsewhere);
      err << "osteosim: " << saved << elsewhere << " instead; free some space, move it to "
          << checkpoint.path() << " and run the same command with --resume to finish\n";
    } catch (const std::exception& e) {
      std::error_code ignored;
      const bool older = std::filesystem::exists(checkpoint.path(), ignored);
      err << "osteosim: could not save it in " << elsewhere << " either (" << e.what() << "): "
          << (older ? "the blocks finished since the checkpoint " + checkpoint.path() +
                          " was saved are lost; --resume finishes from it"
                    : std::string("the finished work is lost"))
          << '\n';
    }
  } catch (...) {
    // Out of memory for the messages themselves: nothing more can be done or said.
  }
}

RunCheckpoint::RunCheckpoint(const config::Scenario& scenario, const engine::RunOptions& options,
                             const std::string& output_path, bool resume, bool force,
                             double save_every_seconds)
    : fingerprint_(run_fingerprint(scenario, options)),
      checkpoint_(output::checkpoint_path_for(output_path), fingerprint_,
                  engine::block_count(scenario, options.block_size), scenario.strategies.size(),
                  scenario.years),
      save_every_seconds_(save_every_seconds),
      last_save_(std::chrono::steady_clock::now()) {
  std::error_code error;
  const bool exists = std::filesystem::exists(checkpoint_.path(), error);
  if (resume) {
    if (!exists) {
      throw InputError("--resume: there is no checkpoint '" + checkpoint_.path() +
                       "' of an interrupted run to finish; run without --resume");
    }
    checkpoint_ = output::Checkpoint::load(checkpoint_.path(), fingerprint_, checkpoint_.blocks(),
                                           scenario.strategies.size(), scenario.years);
  } else if (exists && !force) {
    throw InputError("checkpoint '" + checkpoint_.path() +
                     "' holds the finished work of an interrupted run: add --resume to finish "
                     "it, or --force to start over");
  }
}

void RunCheckpoint::save_if_due() {
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_save_).count() >= save_every_seconds_) {
    checkpoint_.save();
    last_save_ = now;
  }
}

void RunCheckpoint::attach(engine::RunOptions& options) {
  options.skip_block = [this](std::int64_t block) { return checkpoint_.done(block); };
  // The engine calls this from one thread at a time, so no lock is needed here.
  options.on_block_done = [this](std::int64_t block, const std::vector<engine::Tallies>& t) {
    checkpoint_.add(block, t);
    save_if_due();
  };
}

engine::FinishedRuns RunCheckpoint::finished_runs(output::AnalysisPhase phase) {
  return {[this, phase](std::int64_t run) { return checkpoint_.run(phase, run); },
          [this, phase](std::int64_t run, const std::vector<double>& outcome) {
            checkpoint_.add_run(phase, run, outcome);
            save_if_due();
          }};
}

std::string RunCheckpoint::finished_work() const {
  std::string text = std::to_string(checkpoint_.blocks_done()) + " of " +
                     std::to_string(checkpoint_.blocks()) + " blocks";
  std::vector<std::string> parts{text};
  const std::pair<output::AnalysisPhase, const char*> phases[] = {
      {output::AnalysisPhase::psa_pilot, " pilot PSA draws"},
      {output::AnalysisPhase::psa, " PSA draws"},
      {output::AnalysisPhase::one_way, " one-way runs"}};
  for (const auto& [phase, what] : phases) {
    if (const auto n = checkpoint_.runs_done(phase); n > 0)
      parts.push_back(std::to_string(n) + what);
  }
  // "a", "a and b", "a, b and c"
  text = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i)
    text += (i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return text;
}

}  // namespace osteosim::cli
