#pragma once
/// Basic vocabulary of the model: sexes, fracture sites, age bands.
#include <array>
#include <cstdint>
#include <string_view>

namespace osteosim::model {

enum class Sex : std::uint8_t { female = 0, male = 1 };
inline constexpr int kSexes = 2;
inline constexpr std::array<std::string_view, kSexes> kSexNames{"female", "male"};

/// Fracture sites as tallied. A vertebral fracture is drawn once (a new morphometric
/// deformity) and is either clinically recognised or silent, so all morphometric vertebral
/// fractures = clinical_vertebral + silent_vertebral.
enum class Site : std::uint8_t { hip = 0, clinical_vertebral = 1, silent_vertebral = 2, wrist = 3 };
inline constexpr int kSites = 4;
inline constexpr std::array<std::string_view, kSites> kSiteNames{"hip", "clinical_vertebral",
                                                                 "silent_vertebral", "wrist"};
/// Sites whose fracture comes to clinical attention (used for "any clinical fracture").
constexpr bool is_clinical(Site s) { return s != Site::silent_vertebral; }

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
