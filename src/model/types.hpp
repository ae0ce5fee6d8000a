#pragma once
/// Basic vocabulary of the model: sexes, fracture sites (from the site registry), age bands.
#include <array>
#include <cstdint>
#include <string_view>

#include "model/site_registry.hpp"  // Site, kSites, kSiteNames, is_clinical, FractureProcess

namespace osteosim::model {

enum class Sex : std::uint8_t { female = 0, male = 1 };
inline constexpr int kSexes = 2;
inline constexpr std::array<std::string_view, kSexes> kSexNames{"female", "male"};

/// Five-year age bands 50-54 ... 95-99 and an open band 100+.
inline constexpr int kMinAge = 50;
inline constexpr int kAgeBandYears = 5;
inline constexpr int kAgeBands = 11;
constexpr int age_band(double age_years) {
  const int band = (static_cast<int>(age_years) - kMinAge) / kAgeBandYears;
  return band < 0 ? 0 : (band >= kAgeBands ? kAgeBands - 1 : band);
}
/// Age (years) at which the band after `band` starts.
constexpr double age_band_end(int band) {
  return band >= kAgeBands - 1 ? 1e9 : kMinAge + (band + 1) * kAgeBandYears;
}

}  // namespace osteosim::model
