#pragma once
/// Exceptions in OpenMP regions. An exception escaping a parallel region (or a worksharing
/// loop) calls std::terminate: the process aborts (exit 134) with nothing saved. Each thread
/// therefore catches its own, the first one is kept here, every thread stops taking new
/// blocks, and the caller rethrows it once the region has ended normally.
#include <atomic>
#include <exception>
#include <mutex>
#include <new>
#include <string>

#include "common/error.hpp"

namespace osteosim::engine {

/// The error for memory exhausted while doing `what` ("simulating block 3 (...)"): names
/// what ran out and what to change, instead of the bare "std::bad_alloc".
inline OutOfMemory out_of_memory_while(const std::string& what) {
  return OutOfMemory("out of memory while " + what +
                     "; try fewer --threads (each keeps its own block and tallies) or a smaller "
                     "run (fewer agents, strategies or years)");
}

class FirstFailure {
 public:
  /// Runs `work`; an exception it throws is kept if it is the first, std::bad_alloc as
  /// out_of_memory_while(doing()). Returns whether `work` succeeded.
  template <class Work, class Doing>
  bool capture(Work&& work, Doing&& doing) noexcept {
    try {
      work();
      return true;
    } catch (const std::bad_alloc&) {
      keep_out_of_memory(doing);
    } catch (...) {
      keep(std::current_exception());
    }
    return false;
  }

  /// True once any thread failed: the others skip their remaining blocks.
  bool failed() const noexcept { return failed_.load(std::memory_order_relaxed); }

  /// After the region: rethrows the first exception, if any.
  void rethrow_if_failed() {
    const std::lock_guard lock(mutex_);
    if (first_) std::rethrow_exception(first_);
  }

 private:
  template <class Doing>
  void keep_out_of_memory(Doing& doing) noexcept {
    try {
      keep(std::make_exception_ptr(out_of_memory_while(doing())));
    } catch (...) {
      // Not even the message could be built: keep the bad_alloc, main still reports it.
      keep(std::current_exception());
    }
  }

  void keep(std::exception_ptr error) noexcept {
    const std::lock_guard lock(mutex_);
    if (!first_) first_ = std::move(error);
    failed_.store(true);
  }

  std::mutex mutex_;
  std::exception_ptr first_;
  std::atomic<bool> failed_{false};
};

}  // namespace osteosim::engine
