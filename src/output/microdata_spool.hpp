#pragma once
/// Event histories on their way to the result file. During the run the engine hands over
/// each sampled block's rows (in block order); they are appended at once to raw temporary
/// files next to the output, one pair per strategy, so memory holds no more than a block.
/// At the end write_results copies them into the result file in chunks.
#include <cstdio>
#include <string>
#include <vector>

#include "engine/microdata.hpp"

namespace osteosim::output {

class MicrodataSpool {
 public:
  /// Creates (truncating) the files "<base>.events.<s>" and "<base>.baseline.<s>".
  MicrodataSpool(std::string base, std::size_t strategies);
  /// Closes and removes the files.
  ~MicrodataSpool();
  MicrodataSpool(const MicrodataSpool&) = delete;
  MicrodataSpool& operator=(const MicrodataSpool&) = delete;

  /// Appends one block's rows, one Microdata per strategy; throws IoError (e.g. disk full).
  void append(const std::vector<engine::Microdata>& per_strategy);
  /// Flushes and closes the files so they can be read; throws IoError.
  void finish();

  const std::string& base() const { return base_; }
  static std::string events_path(const std::string& base, std::size_t strategy);
  static std::string baseline_path(const std::string& base, std::size_t strategy);

 private:
  void remove_files() noexcept;

  std::string base_;
  std::vector<std::FILE*> events_;
  std::vector<std::FILE*> baseline_;
};

}  // namespace osteosim::output
