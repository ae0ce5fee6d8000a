#include "cli/progress.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "common/kill_point.hpp"

namespace osteosim::cli {

namespace {

std::string format_duration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buffer;
}

}  // namespace

Progress::Progress(std::ostream& err, bool enabled, bool terminal, std::string what)
    : err_(err),
      enabled_(enabled),
      terminal_(terminal),
      prefix_(what.empty() ? what : what + ' '),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::update(double fraction) {
  kill_point();  // a test hook: see common/kill_point.hpp
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  if (terminal_) {
    // Redraw at most 10 times a second.
    if (fraction < 1 && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    err_ << '\r' << prefix_ << '[' << std::string(filled, '#') << std::string(kWidth - filled, ' ')
         << "] " << static_cast<int>(fraction * 100) << "%  elapsed " << format_duration(elapsed)
         << "  ETA " << format_duration(eta) << std::flush;
    return;
  }
  const int tenth = static_cast<int>(fraction * 10);
  if (tenth <= last_tenth_) return;
  last_tenth_ = tenth;
  err_ << "osteosim: " << prefix_ << tenth * 10 << "% done, elapsed " << format_duration(elapsed)
       << ", ETA " << format_duration(eta) << '\n'
       << std::flush;
}

void Progress::finish() {
  if (enabled_ && terminal_) err_ << '\n' << std::flush;
}

}  // namespace osteosim::cli
