#pragma once
/// SIGINT/SIGTERM during a run: the first signal asks the engine to stop after the blocks
/// in flight (so their work reaches the checkpoint) and the CLI exits with 128 + signal;
/// a second signal terminates at once (default action), for a user who cannot wait.
namespace osteosim::cli {

/// Installs the handlers for its lifetime and restores the previous ones afterwards, so
/// in-process callers (tests) are left as they were.
class StopOnSignals {
 public:
  StopOnSignals();
  ~StopOnSignals();
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;
};

/// True once a handled signal arrived (async-signal-safe flag, cheap to poll).
bool stop_requested();

/// The signal that stopped the run (SIGINT or SIGTERM), or 0.
int received_signal();

}  // namespace osteosim::cli
