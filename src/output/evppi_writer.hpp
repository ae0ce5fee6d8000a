#pragma once
/// /analysis/evppi: the expected value of partial perfect information of each PSA
/// parameter and of each group of parameters sharing a key prefix (analysis/evppi.hpp).
#include <hdf5.h>

#include <string>
#include <vector>

#include "analysis/cea.hpp"
#include "engine/psa.hpp"

namespace osteosim::output {

/// Writes /analysis/evppi under `analysis_group` for the PSA `psa` (its per-person
/// cost[d][s] and qaly[d][s] in `table`) over the willingness-to-pay grid `wtp`. A
/// parameter or group with too few draws for its regression gets NaN and is named in the
/// group's `skipped` attribute.
void write_evppi(hid_t analysis_group, const engine::PsaResult& psa,
                 const analysis::PsaTable& table, const std::vector<double>& wtp,
                 const std::string& currency);

}  // namespace osteosim::output
