#pragma once
/// A numeric table indexed by a lower-bound key (age in years, or years since an event)
/// and sex: the value for key x is the row with the largest key <= x (a step function,
/// as published tables give rates for age bands). Keys below the first row take the
/// first row; keys beyond the last take the last.
#include <algorithm>
#include <array>
#include <limits>
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
  /// Linear interpolation between the midpoints of the key intervals (the last interval is
  /// taken as wide as the one before it); constant beyond the first and last midpoints.
  /// For smooth quantities published by age band, such as mean BMD, where a step at each
  /// band edge would be an artefact.
  double interpolated(Sex sex, double key) const {
    const auto& v = values[static_cast<int>(sex)];
    const std::size_t n = keys.size();
    if (n == 1) return v[0];
    auto midpoint = [&](std::size_t r) {
      const double width = r + 1 < n ? keys[r + 1] - keys[r] : keys[r] - keys[r - 1];
      return keys[r] + width / 2;
    };
    if (key <= midpoint(0)) return v[0];
    for (std::size_t r = 1; r < n; ++r) {
      const double m = midpoint(r);
      if (key <= m) {
        const double m0 = midpoint(r - 1);
        return v[r - 1] + (v[r] - v[r - 1]) * (key - m0) / (m - m0);
      }
    }
    return v[n - 1];
  }

  /// The smallest key strictly greater than `key`, or +infinity: where the value next changes.
  double next_key_after(double key) const {
    const auto it = std::upper_bound(keys.begin(), keys.end(), key);
    return it == keys.end() ? std::numeric_limits<double>::infinity() : *it;
  }

  bool empty() const { return keys.empty(); }
};

}  // namespace osteosim::model
