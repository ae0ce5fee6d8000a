#pragma once
/// Copies the spooled event histories of one strategy into its result group as two
/// netCDF-style tables (`events` with dimension `row`, `baseline` with dimension `agent`),
/// a chunk at a time, so a table of any length is written in bounded memory.
#include <hdf5.h>

#include <string>

namespace osteosim::output {

/// Writes groups `events` and `baseline` under `strategy_group` from the spool files of
/// strategy index `strategy` (MicrodataSpool::events_path / baseline_path of `spool_base`).
void write_microdata(hid_t strategy_group, const std::string& spool_base, std::size_t strategy);

}  // namespace osteosim::output
