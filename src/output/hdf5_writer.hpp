#pragma once
/// Writes a finished run to an HDF5 result file that netCDF-4 readers (xarray with
/// h5netcdf, ncdump, R) open without osteosim code. Layout: DESIGN.md "The result file".
#include <string>

#include "engine/run_result.hpp"

namespace osteosim::output {

/// Writes `result` to `path`. Refuses an existing file unless `force` (InputError), writes
/// a temporary sibling and renames it into place only when complete, so a failure leaves
/// no partial file. Datasets are bit-identical for identical tallies; only the `created`
/// attribute (and the command line) may differ between two runs.
void write_results(const std::string& path, const engine::RunResult& result, bool force);

}  // namespace osteosim::output
