#pragma once
/// The dictionary of the result file: every attribute, coordinate and variable the writer
/// can write, declared once. The writer refuses to write anything not declared here (and
/// checks it wrote everything declared "always"), and `osteosim describe` prints this same
/// table, so docs/outputs.md cannot drift from the files.
#include <string>
#include <string_view>
#include <vector>

namespace osteosim::output {

/// The group every strategy's entries are declared under (one group per strategy).
inline constexpr std::string_view kStrategyGroupPattern = "/strategies/<strategy>";

/// Event histories of the sampled agents (runs with microdata_agents > 0): one row per
/// event, and one row per agent with its characteristics at entry.
inline constexpr std::string_view kEventsGroupPattern = "/strategies/<strategy>/events";
inline constexpr std::string_view kBaselineGroupPattern = "/strategies/<strategy>/baseline";

enum class EntryKind { attribute, coordinate, variable };

/// Stands in declared units for the run's currency (the model's ISO 4217 code, e.g. USD,
/// GBP): "<currency>" or "<currency>/QALY". DeclaredGroup writes the code in its place.
inline constexpr std::string_view kCurrencyUnit = "<currency>";
enum class DType { int32, int64, float64, string };

/// One thing a reader finds in a result file.
struct ResultEntry {
  std::string group;              ///< "/", "/config" or kStrategyGroupPattern
  std::string name;
  EntryKind kind;
  DType dtype;
  std::vector<std::string> dims;  ///< outermost first (row-major); empty for scalars
  std::string units;              ///< empty when dimensionless or a label
  std::string long_name;
  std::string description;
  std::string present_when;       ///< empty: always written; else the condition
};

/// Every declared entry, grouped by group, in the order the writer writes them.
const std::vector<ResultEntry>& result_entries();

/// The declaration of `name` in `group`; std::logic_error if undeclared (a writer bug).
const ResultEntry& declared_entry(std::string_view group, std::string_view name);

std::string_view to_string(EntryKind kind);
std::string_view to_string(DType dtype);

}  // namespace osteosim::output
