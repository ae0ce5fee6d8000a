#pragma once
/// A deterministic hook for the tests that stop runs at chosen moments (tests/cli/
/// chaos_resume.sh, interrupt_resume.sh, resource_limits.sh, tests/sanitizers/*.sh): a
/// signal sent after a delay, or once a file appears, would make them fail on a machine
/// faster or slower than the author's, and their failures impossible to reproduce. The
/// moments ("kill points") are every progress report (a block, a PSA draw or one-way run
/// done) and every temporary file about to be renamed into place (checkpoint, result).
///
/// OSTEOSIM_TEST_KILL_AT=N: the process sends itself a signal at its N-th kill point:
/// OSTEOSIM_TEST_KILL_SIGNAL=KILL (or unset): SIGKILL, a crash or kill -9;
/// OSTEOSIM_TEST_KILL_SIGNAL=STOP: SIGSTOP, so that a test can change the stopped process
///   (its resource limits, with prlimit) at a known moment before SIGCONT;
/// OSTEOSIM_TEST_KILL_SIGNAL=INT or TERM: SIGINT or SIGTERM, the graceful path (Ctrl-C, a
///   batch scheduler): the run stops after the blocks in flight, saves its checkpoint and
///   exits 130 or 143.
/// OSTEOSIM_TEST_KILL_AT=count: it prints "osteosim: kill points: P" to stderr at exit.
/// Unset (always, outside tests): kill_point() costs one relaxed atomic load.
namespace osteosim {

void kill_point();

}  // namespace osteosim
