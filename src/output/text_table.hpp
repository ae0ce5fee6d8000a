#pragma once
/// A minimal aligned text table for terminal summaries: the first column left-aligned
/// (labels), the others right-aligned (numbers) unless asked otherwise.
#include <ostream>
#include <string>
#include <vector>

namespace osteosim::output {

class TextTable {
 public:
  enum class Align { numbers_right, all_left };
  /// `all_left` suits key-value blocks (labels and sentences), the default suits numbers.
  explicit TextTable(Align align = Align::numbers_right) : align_(align) {}
  /// Appends a row; rows may have fewer cells than others (missing cells are blank).
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  /// Prints every row, each prefixed by `indent`, columns separated by two spaces.
  void print(std::ostream& out, const std::string& indent = "  ") const;

 private:
  Align align_;
  std::vector<std::vector<std::string>> rows_;
};

/// `value` with `decimals` digits after the point ("-" for NaN): the cells of the tables.
std::string fixed(double value, int decimals);

}  // namespace osteosim::output
