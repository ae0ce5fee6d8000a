#pragma once
/// Falls: an annual rate by age and sex, raised after a recent fall.
#include "model/parameters.hpp"

namespace osteosim::model {

/// A fall within this many years counts as "fallen in the past 12 months".
inline constexpr double kFallHistoryYears = 1.0;

/// Population mean falls per person-year at this age (table times its scale).
double mean_fall_rate_per_year(const FallParameters& falls, Sex sex, double age_years);

/// An agent's falls per year given whether it fell in the past year. The table is the
/// population mean, so the multiplier is normalised by its mean 1 - q + q * rr, where
/// q = 1 - exp(-rate) is the share who fell in the past year if falls were Poisson.
double fall_rate_per_year(const FallParameters& falls, double mean_rate_per_year,
                          bool fell_in_past_year);

}  // namespace osteosim::model
