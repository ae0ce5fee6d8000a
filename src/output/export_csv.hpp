#pragma once
/// `osteosim export --csv`: every variable of a result file over the standard dimensions
/// as one long ("tidy") table that pandas and data.table read with no osteosim code.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace osteosim::output {

/// The columns of the table, in order. A variable without one of the dimensions leaves
/// that column empty (psa_draw is 0 when the file has no PSA draws).
inline const std::vector<std::string> kExportColumns{
    "strategy", "psa_draw", "year", "sex", "age_band", "site", "measure", "value"};

/// What export_csv wrote and what it could not put in the table.
struct ExportReport {
  std::int64_t rows = 0;
  std::vector<std::string> skipped;  ///< "group/variable: reason", for variables left out
};

/// Writes the table of `result_path` to `csv_path` through a temporary file renamed into
/// place when complete. InputError if the result file is not one, or `csv_path` exists
/// and !force. Numeric variables whose dimensions are all standard are exported, so
/// variables added to the writer appear without changes here.
ExportReport export_csv(const std::string& result_path, const std::string& csv_path, bool force);

}  // namespace osteosim::output
