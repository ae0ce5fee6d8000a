#pragma once
/// The economics of a result file: costs, QALYs and life-years in each strategy group, and
/// the cost-effectiveness analysis under /analysis (cea: incremental table, NMB, CEAC,
/// EVPI; psa: the per-draw results).
#include <hdf5.h>

#include <vector>

#include "engine/run_result.hpp"
#include "output/declared_group.hpp"

namespace osteosim::output {

/// Costs by year and category, QALYs and discounted life-years of one strategy.
void write_strategy_economics(DeclaredGroup& group, const engine::Tallies& tallies);

/// /analysis/cea (always) and /analysis/psa (with a PSA).
void write_analysis(hid_t file, const engine::RunResult& result);

}  // namespace osteosim::output
