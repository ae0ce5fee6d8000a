#pragma once
/// A deterministic hook for the chaos test (tests/cli/chaos_resume.sh), which kills runs at
/// chosen moments and checks that --resume finishes them identically: kill -9 at a random
/// time would make its failures impossible to reproduce. The moments ("kill points") are
/// every progress report (a block, a PSA draw or one-way run done) and every temporary
/// file about to be renamed into place (checkpoint, result).
///
/// OSTEOSIM_TEST_KILL_AT=N: the process sends itself SIGKILL at its N-th kill point.
/// OSTEOSIM_TEST_KILL_SIGNAL=STOP: SIGSTOP instead, so that a test can change the stopped
/// process (its resource limits, with prlimit) at a known moment before SIGCONT.
/// OSTEOSIM_TEST_KILL_AT=count: it prints "osteosim: kill points: P" to stderr at exit.
/// Unset (always, outside tests): kill_point() costs one relaxed atomic load.
namespace osteosim {

void kill_point();

}  // namespace osteosim
