#pragma once
/// A minimal aligned text table for terminal summaries: the first column left-aligned
/// (labels), the others right-aligned (numbers).
#include <ostream>
#include <string>
#include <vector>

namespace osteosim::output {

class TextTable {
 public:
  /// Appends a row; rows may have fewer cells than others (missing cells are blank).
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  /// Prints every row, each prefixed by `indent`, columns separated by two spaces.
  void print(std::ostream& out, const std::string& indent = "  ") const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace osteosim::output
