#pragma once
/// The skeleton shared by the CSV exports (export_csv, export_events_csv): a table written
/// atomically. Internal to output/ (it speaks HDF5 handles).
#include <hdf5.h>

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "output/export_csv.hpp"

namespace osteosim::output {

/// Refuses an existing `path` unless `force`, then writes the header `columns` (none if
/// empty) and `write_body` through a temporary file renamed into place when complete, so
/// that a failure leaves no partial file. HDF5 errors while writing the body become an
/// InputError naming `result_path`.
void write_table(const std::string& result_path, const std::string& path, bool force,
                 const std::vector<std::string>& columns,
                 const std::function<void(std::ostream&)>& write_body);

/// Writes rows for one strategy group (an open /strategies/<strategy>) to `out`, noting
/// anything left out in `report`; returns the number of rows written.
using StrategyRowWriter = std::function<std::int64_t(
    hid_t strategies_group, const std::string& strategy, std::ostream& out, ExportReport& report)>;

/// write_table with the rows of each of `strategies`.
ExportReport write_csv_export(const std::string& result_path, hid_t file,
                              const std::vector<std::string>& strategies,
                              const std::string& csv_path, bool force,
                              const std::vector<std::string>& columns,
                              const StrategyRowWriter& write_rows);

}  // namespace osteosim::output
