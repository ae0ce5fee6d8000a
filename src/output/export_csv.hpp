#pragma once
/// `osteosim export`: a result file as CSV tables that pandas and data.table read with no
/// osteosim code. `--csv FILE`: every variable of every strategy group as one long
/// ("tidy") table; `--csv-dir DIR`: every group of the file, one file each.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace osteosim::output {

/// What an export wrote and what it could not put in a table.
struct ExportReport {
  std::int64_t rows = 0;
  std::vector<std::string> files;    ///< written, in order
  std::vector<std::string> skipped;  ///< "group/variable: reason", for variables left out
};

/// Writes the table of the strategy groups of `result_path` to `csv_path`: columns
/// `strategy`, one per dimension the groups use (year, sex, age_band, site, drug, ...),
/// `measure` and `value`; a variable without a dimension leaves its column empty. Every
/// variable is exported, so variables added to the writer appear without changes here.
/// Written through a temporary file renamed into place when complete. InputError if the
/// result file is not one, or `csv_path` exists and !force.
ExportReport export_csv(const std::string& result_path, const std::string& csv_path, bool force);

/// Writes every group of `result_path` into the directory `dir` (made if missing):
/// strategies.csv (as export_csv), analysis_<name>.csv for each group of /analysis (cea,
/// psa with its psa_draw column, one_way: long tables over their own dimensions),
/// config_input_files.csv and config_scenario.yaml (the run's inputs and resolved
/// scenario), and events.csv and baseline.csv where the run kept event histories. Each
/// file is refused if it exists and !force.
ExportReport export_csv_directory(const std::string& result_path, const std::string& dir,
                                  bool force);

}  // namespace osteosim::output
