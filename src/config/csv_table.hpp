#pragma once
/// The model's CSV tables: `age,female,male` (or `years_since_fracture,female,male`), an
/// optional free-text `source` column, `#` comments. Strict: a table that parses is a table
/// the model can use (keys strictly increasing, every value finite and within range).
#include <optional>
#include <string>

#include "config/error_list.hpp"
#include "config/flat_reader.hpp"
#include "model/age_table.hpp"

namespace osteosim::config {

inline constexpr std::size_t kMaxCsvFileBytes = 8 << 20;
/// A table with this many problems is not checked further: its first lines say what is
/// wrong, and a file of millions of bad rows must not fill memory with messages.
inline constexpr int kMaxCsvProblems = 1000;

struct TableSpec {
  std::string key_column;  ///< "age" or "years_since_fracture"
  Range key_range;
  Range value_range;  ///< in the file's units
  double scale = 1;   ///< file units -> model units (1e-5 for "per 100,000")
};

/// Reads `path` into an AgeTable (source_file = path). Problems are recorded as
/// "path:LINE: ..." followed by `context` (which YAML key named the table); returns nothing
/// if there was any.
std::optional<model::AgeTable> read_csv_table(const std::string& path, const TableSpec& spec,
                                              const std::string& context, ErrorList& errors);

}  // namespace osteosim::config
