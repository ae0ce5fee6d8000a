#include "common/kill_point.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace osteosim {

namespace {

std::atomic<long long> g_passed{0};

/// The kill point to die at: 0 = never, -1 = count only; read once.
long long kill_at() {
  static const long long value = [] {
    const char* text = std::getenv("OSTEOSIM_TEST_KILL_AT");
    if (text == nullptr || *text == '\0') return 0LL;
    if (std::string(text) == "count") {
      std::atexit([] { std::fprintf(stderr, "osteosim: kill points: %lld\n", g_passed.load()); });
      return -1LL;
    }
    return std::atoll(text);
  }();
  return value;
}

/// The signal OSTEOSIM_TEST_KILL_SIGNAL names (KILL, STOP, INT, TERM; SIGKILL if unset). A
/// misspelt name aborts rather than falling back to SIGKILL, which would make a test of the
/// graceful path pass or fail for the wrong reason.
int kill_signal() {
  const char* text = std::getenv("OSTEOSIM_TEST_KILL_SIGNAL");
  const std::string name = text != nullptr ? text : "KILL";
  if (name == "KILL") return SIGKILL;
  if (name == "STOP") return SIGSTOP;
  if (name == "INT") return SIGINT;
  if (name == "TERM") return SIGTERM;
  std::fprintf(stderr, "osteosim: OSTEOSIM_TEST_KILL_SIGNAL=%s: expected KILL, STOP, INT or TERM\n",
               name.c_str());
  std::abort();
}

}  // namespace

void kill_point() {
  const long long at = kill_at();
  if (at == 0) return;
  if (++g_passed == at) ::kill(::getpid(), kill_signal());
}

}  // namespace osteosim
