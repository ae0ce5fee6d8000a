#pragma once
/// The checkpoint file of a long run: which blocks are finished and the sum of their
/// tallies, so that `osteosim run --resume` simulates only the rest. Tallies are integers,
/// so (checkpointed sum) + (remaining blocks) is bit-identical to an uninterrupted run.
/// After the base run, the outcomes of each finished PSA draw and one-way run (doubles,
/// kept bit for bit): a resumed PSA runs only the draws not yet done.
///
/// It lives in output/ because it is a file the run writes next to its result; the engine
/// only reports finished blocks (RunOptions::on_block_done) and never sees this file.
/// The format is a private binary one (native byte order, ends with its own SHA-256): it is
/// read back only by the same osteosim build on the same machine, which the fingerprint
/// enforces.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/tallies.hpp"

namespace osteosim::output {

/// "<result path>.checkpoint": one checkpoint per result file.
std::string checkpoint_path_for(const std::string& result_path);

/// The loops of runs after the base run whose finished runs a checkpoint keeps.
enum class AnalysisPhase : std::uint8_t { psa = 0, one_way = 1, psa_pilot = 2 };

class Checkpoint {
 public:
  /// An empty checkpoint for a run of `blocks` blocks, `strategies` strategies and `years`
  /// years. `fingerprint` identifies the run (inputs, seed, agents, build): a checkpoint is
  /// only ever resumed by the identical run.
  Checkpoint(std::string path, std::string fingerprint, std::int64_t blocks, std::size_t strategies,
             int years);

  /// Reads the checkpoint at `path`. Throws InputError when it is missing, truncated or
  /// damaged, or was written by a different run (fingerprint or shape differ).
  static Checkpoint load(const std::string& path, const std::string& fingerprint,
                         std::int64_t blocks, std::size_t strategies, int years);

  const std::string& path() const { return path_; }
  bool done(std::int64_t block) const { return done_[static_cast<std::size_t>(block)] != 0; }
  std::int64_t blocks_done() const { return blocks_done_; }
  std::int64_t blocks() const { return static_cast<std::int64_t>(done_.size()); }
  /// The sum of the tallies of every finished block, one per strategy.
  const std::vector<engine::Tallies>& totals() const { return totals_; }

  /// Records a finished block; a block is added at most once.
  void add(std::int64_t block, const std::vector<engine::Tallies>& block_tallies);

  /// Records the outcome of run `index` (a PSA draw, a one-way run) of `phase`; a run is
  /// added at most once.
  void add_run(AnalysisPhase phase, std::int64_t index, std::vector<double> outcome);
  /// The outcome of a finished run, or nullptr.
  const std::vector<double>* run(AnalysisPhase phase, std::int64_t index) const;
  /// How many runs of `phase` are finished.
  std::int64_t runs_done(AnalysisPhase phase) const;

  /// Writes the file atomically (temporary sibling, fsync, rename): a crash leaves the
  /// previous checkpoint or the new one, never a mixture. Throws IoError on failure.
  void save() const { save_as(path_); }
  /// Writes the same file to another path (when its own place has no room), atomically.
  void save_as(const std::string& path) const;

  /// Deletes the file (after the result it was for has been written).
  void remove() const;

 private:
  std::string serialize() const;

  std::string path_;
  std::string fingerprint_;
  std::vector<std::uint8_t> done_;  // one byte per block: simple, and small next to tallies
  std::int64_t blocks_done_ = 0;
  std::vector<engine::Tallies> totals_;
  std::map<std::pair<AnalysisPhase, std::int64_t>, std::vector<double>> runs_;
};

}  // namespace osteosim::output
