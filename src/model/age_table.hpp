#pragma once
/// A numeric table indexed by a lower-bound key (age in years, or years since an event)
/// and sex: the value for key x is the row with the largest key <= x (a step function,
/// as published tables give rates for age bands). Keys below the first row take the
/// first row; keys beyond the last take the last.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "model/types.hpp"

namespace osteosim::model {

struct AgeTable {
  std::vector<double> keys;                         ///< strictly increasing lower bounds
  std::array<std::vector<double>, kSexes> values;   ///< values[sex][row]
  std::string source_file;                          ///< for provenance and error messages

  double at(Sex sex, double key) const {
    const auto it = std::upper_bound(keys.begin(), keys.end(), key);
    const auto row = it == keys.begin() ? 0 : static_cast<std::size_t>(it - keys.begin()) - 1;
    return values[static_cast<int>(sex)][row];
  }
  bool empty() const { return keys.empty(); }
};

}  // namespace osteosim::model
