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

/// SIGKILL, or SIGSTOP with OSTEOSIM_TEST_KILL_SIGNAL=STOP.
int kill_signal() {
  const char* text = std::getenv("OSTEOSIM_TEST_KILL_SIGNAL");
  return text != nullptr && std::string(text) == "STOP" ? SIGSTOP : SIGKILL;
}

}  // namespace

void kill_point() {
  const long long at = kill_at();
  if (at == 0) return;
  if (++g_passed == at) ::kill(::getpid(), kill_signal());
}

}  // namespace osteosim
