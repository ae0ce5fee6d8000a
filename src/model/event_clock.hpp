#pragma once
/// The exponential clock of the competing-events step (model/step.cpp), lazily evaluated.
#include <array>
#include <cmath>

namespace osteosim::model {

/// The unit exponential clock -ln(u) to the next event, evaluated lazily. Integrated hazard
/// is consumed segment by segment; an event happens in the segment whose hazard exceeds
/// what is left of the clock. Since -ln(u) >= 1 - u, while the hazard consumed stays below
/// 1 - u (with a margin far above every rounding error involved) no event can happen and
/// the logarithm is not needed; most steps end so. When it is needed, the clock is
/// computed and the segments passed so far are subtracted in order, exactly as an eagerly
/// computed clock would have been: results are bit for bit the same.
class EventClock {
 public:
  explicit EventClock(double u) : u_(u) {}

  /// Whether a segment of integrated hazard `hazard` passes without an event (then the
  /// hazard is consumed) -- the comparison `hazard <= clock` of an eager clock.
  bool passes(double hazard) {
    if (!known_) {
      if (pending_count_ < kMaxPending && consumed_ + hazard + kMargin < 1 - u_) {
        consumed_ += hazard;
        pending_[pending_count_++] = hazard;
        return true;
      }
      clock_ = -std::log(u_);
      for (int k = 0; k < pending_count_; ++k) clock_ -= pending_[k];
      known_ = true;
    }
    if (hazard <= clock_) {
      clock_ -= hazard;
      return true;
    }
    return false;
  }
  /// What is left of the clock; only after passes() returned false.
  double remaining() const { return clock_; }

  /// Covers the error of ln (< 1 ulp of at most 23), of the sum and of up to kMaxPending
  /// subtractions: all below 1e-13.
  static constexpr double kMargin = 1e-9;
  static constexpr int kMaxPending = 16;

 private:
  double u_;
  bool known_ = false;
  double clock_ = 0;
  double consumed_ = 0;
  int pending_count_ = 0;
  std::array<double, kMaxPending> pending_;  // the first pending_count_ are set
};

}  // namespace osteosim::model
