#include "output/export_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "output/csv_export_file.hpp"
#include "output/csv_text.hpp"
#include "output/hdf5_inspect.hpp"
#include "output/result_format.hpp"
#include "output/result_open.hpp"

namespace osteosim::output {

namespace {

// Columns 1..5 of kExportColumns are the standard dimensions, in the table's order.
constexpr std::size_t kFirstDimColumn = 1;
constexpr std::size_t kDimColumns = 5;
// psa_draw of variables without that dimension: the single (base-case) draw.
const std::string kSingleDraw = "0";

/// A coordinate's values as the text that goes into its column.
std::vector<std::string> coordinate_labels(hid_t group, const std::string& name) {
  const h5::Handle dataset = h5::open_dataset(group, name);
  const std::string type = h5::type_name(dataset.get());
  if (type == "string") return h5::read_string_dataset(group, name);
  std::vector<std::string> labels;
  if (type.starts_with("float")) {
    for (double v : h5::read_dataset<double>(group, name, nullptr))
      labels.push_back(number_text(v));
  } else {
    for (std::int64_t v : h5::read_dataset<std::int64_t>(group, name, nullptr)) {
      labels.push_back(std::to_string(v));
    }
  }
  return labels;
}

/// Column index of each axis, or the reason the variable cannot be a block of rows.
std::string map_axes(const std::vector<std::string>& dims, std::vector<std::size_t>* columns) {
  const auto first = kExportColumns.begin() + kFirstDimColumn;
  for (const std::string& dim : dims) {
    const auto at = std::find(first, first + kDimColumns, dim);
    if (at == first + kDimColumns) {
      return dim.empty() ? "an axis without a dimension scale"
                         : "dimension '" + dim + "' has no column";
    }
    columns->push_back(static_cast<std::size_t>(at - kExportColumns.begin()));
  }
  return dims.empty() ? "scalar" : "";
}

/// Writes the rows of one strategy group; returns their number.
std::int64_t write_strategy(hid_t strategies, const std::string& strategy, std::ostream& out,
                            ExportReport* report) {
  const h5::Handle group = h5::open_group(strategies, strategy);
  std::map<std::string, std::vector<std::string>> labels;
  std::vector<std::string> variables;
  std::set<std::string> auxiliary_coordinates;  // CF `coordinates`: labels, not measures
  for (const std::string& name : h5::child_datasets(group.get())) {
    const h5::Handle dataset = h5::open_dataset(group.get(), name);
    if (h5::is_dimension_scale(dataset.get())) {
      labels[name] = coordinate_labels(group.get(), name);
      continue;
    }
    variables.push_back(name);
    if (h5::has_attribute(dataset.get(), "coordinates")) {
      std::istringstream names(h5::read_string_attribute(dataset.get(), "coordinates"));
      for (std::string coordinate; names >> coordinate;) auxiliary_coordinates.insert(coordinate);
    }
  }
  std::erase_if(variables,
                [&](const std::string& name) { return auxiliary_coordinates.contains(name); });
  std::int64_t rows = 0;
  for (const std::string& name : variables) {
    const h5::Handle dataset = h5::open_dataset(group.get(), name);
    const std::string type = h5::type_name(dataset.get());
    const std::vector<std::string> dims = h5::dimension_names(dataset.get());
    std::vector<std::size_t> columns;
    std::string reason = map_axes(dims, &columns);
    if (reason.empty() && type == "string") reason = "text, not numbers";
    if (!reason.empty()) {
      report->skipped.push_back(strategy + "/" + name + ": " + reason);
      continue;
    }
    const bool integer = type.starts_with("int") || type.starts_with("uint");
    std::vector<hsize_t> shape;
    const std::vector<double> values =
        integer ? std::vector<double>{} : h5::read_dataset<double>(group.get(), name, &shape);
    const std::vector<std::int64_t> counts =
        integer ? h5::read_dataset<std::int64_t>(group.get(), name, &shape)
                : std::vector<std::int64_t>{};
    std::vector<std::string> row(kExportColumns.size());
    row[0] = csv_field(strategy);
    row[kExportColumns.size() - 2] = csv_field(name);
    const std::size_t count = integer ? counts.size() : values.size();
    for (std::size_t cell = 0; cell < count; ++cell) {
      for (std::size_t c = kFirstDimColumn; c < kFirstDimColumn + kDimColumns; ++c) row[c].clear();
      row[kFirstDimColumn] = kSingleDraw;
      // Row-major: the last axis varies fastest.
      std::size_t rest = cell;
      for (std::size_t axis = dims.size(); axis-- > 0;) {
        const std::size_t i = rest % shape[axis];
        rest /= shape[axis];
        const std::vector<std::string>& axis_labels = labels.at(dims[axis]);
        row[columns[axis]] = csv_field(i < axis_labels.size() ? axis_labels[i] : std::to_string(i));
      }
      row.back() = integer ? std::to_string(counts[cell]) : number_text(values[cell]);
      for (std::size_t c = 0; c < row.size(); ++c) out << (c ? "," : "") << row[c];
      out << '\n';
    }
    rows += static_cast<std::int64_t>(count);
  }
  return rows;
}

}  // namespace

ExportReport export_csv(const std::string& result_path, const std::string& csv_path, bool force) {
  const h5::Handle file = open_result_file(result_path);
  std::vector<std::string> strategies;
  try {
    strategies = h5::child_groups(h5::open_group(file.get(), kStrategiesGroup).get());
  } catch (const IoError& e) {
    throw InputError("'" + result_path + "' is damaged or incomplete: " + e.what());
  }
  return write_csv_export(
      result_path, file.get(), strategies, csv_path, force, kExportColumns,
      [](hid_t group, const std::string& strategy, std::ostream& out, ExportReport& report) {
        return write_strategy(group, strategy, out, &report);
      });
}

}  // namespace osteosim::output
