#pragma once
/// Hands per-block results to a consumer in block order, whatever order the threads finish
/// the blocks in, holding at most a fixed number of finished blocks: the consumer's output
/// (an event table appended block by block) is then the same for any thread count, and
/// memory stays O(max_pending blocks).
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <utility>

namespace osteosim::engine {

template <class BlockData>
class BlockOrder {
 public:
  using Consumer = std::function<void(std::int64_t block, const BlockData& data)>;

  /// Blocks [0, end) are delivered; a thread delivering block b waits while b is
  /// max_pending or more blocks ahead of the next one due.
  BlockOrder(std::int64_t end, std::int64_t max_pending, Consumer consumer)
      : end_(end), max_pending_(max_pending), consumer_(std::move(consumer)) {}

  /// Gives block `block` (< end) to the consumer once all earlier blocks have been. Every
  /// block must be delivered exactly once (a skipped block with empty data) unless
  /// abandon() is called. Deadlock-free under a dynamic schedule that hands out blocks in
  /// increasing order: the block that is due is held by a thread that never waits.
  /// Exceptions of the consumer propagate (and abandon the order).
  void deliver(std::int64_t block, BlockData data) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return abandoned_ || block - next_ < max_pending_; });
    if (abandoned_) return;
    pending_.emplace(block, std::move(data));
    try {
      for (auto it = pending_.begin(); it != pending_.end() && it->first == next_;
           it = pending_.erase(it), ++next_) {
        consumer_(it->first, it->second);
      }
    } catch (...) {
      abandoned_ = true;
      ready_.notify_all();
      throw;
    }
    ready_.notify_all();
  }

  /// Stops waiting and drops what is pending (the run is stopping or failed).
  void abandon() {
    const std::lock_guard lock(mutex_);
    abandoned_ = true;
    pending_.clear();
    ready_.notify_all();
  }

  std::int64_t end() const { return end_; }

 private:
  std::int64_t end_;
  std::int64_t max_pending_;
  Consumer consumer_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::map<std::int64_t, BlockData> pending_;
  std::int64_t next_ = 0;
  bool abandoned_ = false;
};

}  // namespace osteosim::engine
