#pragma once
/// Progress on stderr: a bar with ETA when stderr is a terminal, otherwise a line per ~10%.
#include <chrono>
#include <ostream>

namespace osteosim::cli {

class Progress {
 public:
  Progress(std::ostream& err, bool enabled, bool terminal);
  /// Reports the fraction of work done (0..1); cheap when nothing needs printing.
  void update(double fraction);
  /// Ends the bar's line (terminal) so later output starts on a fresh line.
  void finish();

 private:
  std::ostream& err_;
  bool enabled_;
  bool terminal_;
  int last_tenth_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace osteosim::cli
