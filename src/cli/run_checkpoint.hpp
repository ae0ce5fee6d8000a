#pragma once
/// Connects `osteosim run` to its checkpoint file: decides whether to start afresh or
/// resume, feeds finished blocks, PSA draws and one-way runs to the checkpoint, saves it
/// every so often, and refuses a checkpoint of a different run. The file format is
/// output/checkpoint.hpp.
#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "engine/psa.hpp"
#include "engine/simulation.hpp"
#include "output/checkpoint.hpp"

namespace osteosim::cli {

class RunCheckpoint {
 public:
  /// Opens the checkpoint of `output_path`. With `resume` it must exist and belong to this
  /// run; without, an existing one is refused (it holds finished work) unless `force`.
  /// `save_every_seconds` = 0 saves after every block. Throws InputError.
  RunCheckpoint(const config::Scenario& scenario, const engine::RunOptions& options,
                const std::string& output_path, bool resume, bool force, double save_every_seconds);

  /// Makes the engine skip finished blocks and report new ones here.
  void attach(engine::RunOptions& options);
  /// Restores the finished runs of the PSA or the one-way analysis, and records new ones.
  engine::FinishedRuns finished_runs(output::AnalysisPhase phase);

  /// What the checkpoint holds, e.g. "16 of 16 blocks and 4 PSA draws".
  std::string finished_work() const;

  std::int64_t blocks_done() const { return checkpoint_.blocks_done(); }
  const std::string& path() const { return checkpoint_.path(); }
  /// Tallies of every finished block, restored and new: the run's result once all are done.
  const std::vector<engine::Tallies>& totals() const { return checkpoint_.totals(); }

  /// Saves now (after an interruption or a failed write), so no finished block is lost.
  void save() const { checkpoint_.save(); }
  /// Saves to another path (its own place had no room); --resume needs it moved back.
  void save_as(const std::string& path) const { checkpoint_.save_as(path); }
  /// Deletes the file once the result it was for is safely written.
  void remove() const { checkpoint_.remove(); }

 private:
  /// Saves if save_every_seconds_ have passed since the last save.
  void save_if_due();

  std::string fingerprint_;  // before checkpoint_: initialised first
  output::Checkpoint checkpoint_;
  double save_every_seconds_;
  std::chrono::steady_clock::time_point last_save_;
};

/// Saves the checkpoint after an interruption or a failure and tells `err` how to go on. If
/// it cannot be written next to the result (the disk is full, a file-size limit) it goes to
/// $TMPDIR (or /tmp) and the message says where and how to move it back; if that fails
/// too, the message says that the finished work is lost. Never throws.
void keep_finished_work(const RunCheckpoint& checkpoint, std::ostream& err) noexcept;

/// A digest of everything that determines a run's numbers: osteosim build, resolved
/// scenario and model text, the bytes of every input file, agents, seed, block size, PSA
/// draw. Two runs with the same fingerprint produce identical tallies block by block.
std::string run_fingerprint(const config::Scenario& scenario, const engine::RunOptions& options);

}  // namespace osteosim::cli
