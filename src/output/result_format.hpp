#pragma once
/// Names shared by the writer and the reader of result files, so the two cannot drift.
#include <string>

#include "model/types.hpp"

namespace osteosim::output {

inline constexpr const char* kFormatName = "osteosim-results";
/// Bumped whenever a reader of the previous version would misread a file.
inline constexpr int kFormatVersion = 1;

inline constexpr const char* kStrategiesGroup = "strategies";
inline constexpr const char* kConfigGroup = "config";

/// First age of an age band, as written in the `age` coordinate: 50, 55, ..., 100.
inline int age_band_start(int band) { return model::kMinAge + band * model::kAgeBandYears; }

/// Label of an age band as written in the `age_band` coordinate: "50-54", ..., "100+".
inline std::string age_band_label(int band) {
  const int first = age_band_start(band);
  if (band >= model::kAgeBands - 1) return std::to_string(first) + "+";
  return std::to_string(first) + "-" + std::to_string(first + model::kAgeBandYears - 1);
}

}  // namespace osteosim::output
