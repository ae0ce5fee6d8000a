#pragma once
/// Progress on stderr: a bar with ETA when stderr is a terminal, otherwise a line per ~10%.
#include <chrono>
#include <ostream>
#include <string>

namespace osteosim::cli {

class Progress {
 public:
  /// `what` names the work in each line (e.g. "PSA"); "" for the main simulation.
  Progress(std::ostream& err, bool enabled, bool terminal, std::string what = "");
  /// Reports the fraction of work done (0..1); cheap when nothing needs printing.
  void update(double fraction);
  /// Ends the bar's line (terminal) so later output starts on a fresh line.
  void finish();

 private:
  std::ostream& err_;
  bool enabled_;
  bool terminal_;
  std::string prefix_;  ///< "what " or ""
  int last_tenth_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace osteosim::cli
