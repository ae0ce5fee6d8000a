#include "output/export_csv.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "output/csv_export_file.hpp"
#include "output/csv_text.hpp"
#include "output/export_events.hpp"
#include "output/hdf5_inspect.hpp"
#include "output/output_path.hpp"
#include "output/result_format.hpp"
#include "output/result_open.hpp"

namespace osteosim::output {

namespace {

/// A variable of a group as the export sees it.
struct Variable {
  std::string name;
  std::vector<std::string> dims;  ///< "" for an axis without a dimension scale
  std::string type;               ///< h5::type_name: "string", "int64", "float64", ...
};

/// What a group holds for export: the labels of its coordinates and its variables.
struct GroupContent {
  std::map<std::string, std::vector<std::string>> labels;
  std::vector<Variable> variables;
};

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

/// The coordinates and variables of `group`. Auxiliary coordinates (named by a CF
/// `coordinates` attribute, such as the numeric age beside age_band) are labels, not
/// measures, and are left out.
GroupContent read_content(hid_t group) {
  GroupContent content;
  std::set<std::string> auxiliary_coordinates;
  for (const std::string& name : h5::child_datasets(group)) {
    const h5::Handle dataset = h5::open_dataset(group, name);
    if (h5::is_dimension_scale(dataset.get())) {
      content.labels[name] = coordinate_labels(group, name);
      continue;
    }
    content.variables.push_back(
        {name, h5::dimension_names(dataset.get()), h5::type_name(dataset.get())});
    if (h5::has_attribute(dataset.get(), "coordinates")) {
      std::istringstream names(h5::read_string_attribute(dataset.get(), "coordinates"));
      for (std::string coordinate; names >> coordinate;) auxiliary_coordinates.insert(coordinate);
    }
  }
  std::erase_if(content.variables,
                [&](const Variable& v) { return auxiliary_coordinates.contains(v.name); });
  return content;
}

/// The dimension columns of a table of `groups`: every named dimension of their
/// variables, in the order first met.
std::vector<std::string> dimension_columns(const std::vector<GroupContent>& groups) {
  std::vector<std::string> columns;
  for (const GroupContent& group : groups) {
    for (const Variable& variable : group.variables) {
      for (const std::string& dim : variable.dims) {
        if (!dim.empty() && std::find(columns.begin(), columns.end(), dim) == columns.end()) {
          columns.push_back(dim);
        }
      }
    }
  }
  return columns;
}

/// A variable's values as CSV fields, row-major, with its shape.
std::vector<std::string> value_fields(hid_t group, const Variable& variable,
                                      std::vector<hsize_t>* shape) {
  std::vector<std::string> fields;
  if (variable.type == "string") {
    const h5::Handle dataset = h5::open_dataset(group, variable.name);
    *shape = h5::dataset_dims(dataset.get());
    for (const std::string& text : h5::read_string_dataset(group, variable.name)) {
      fields.push_back(csv_field(text));
    }
  } else if (variable.type.starts_with("int") || variable.type.starts_with("uint")) {
    for (std::int64_t v : h5::read_dataset<std::int64_t>(group, variable.name, shape)) {
      fields.push_back(std::to_string(v));
    }
  } else {
    for (double v : h5::read_dataset<double>(group, variable.name, shape)) {
      fields.push_back(number_text(v));
    }
  }
  return fields;
}

/// Writes every variable of `group` as rows `lead..., dimension columns..., measure,
/// value` (a dimension a variable lacks stays empty); returns the number of rows.
/// `where` names the group in the report of what was left out.
std::int64_t write_long_rows(hid_t group, const GroupContent& content,
                             const std::vector<std::string>& lead,
                             const std::vector<std::string>& dim_columns, std::ostream& out,
                             ExportReport& report, const std::string& where) {
  std::int64_t rows = 0;
  for (const Variable& variable : content.variables) {
    if (std::find(variable.dims.begin(), variable.dims.end(), "") != variable.dims.end()) {
      report.skipped.push_back(where + variable.name + ": an axis without a dimension scale");
      continue;
    }
    std::vector<std::size_t> column_of_axis;
    for (const std::string& dim : variable.dims) {
      column_of_axis.push_back(static_cast<std::size_t>(
          std::find(dim_columns.begin(), dim_columns.end(), dim) - dim_columns.begin()));
    }
    std::vector<hsize_t> shape;
    const std::vector<std::string> values = value_fields(group, variable, &shape);
    std::vector<std::string> dims(dim_columns.size());
    for (std::size_t cell = 0; cell < values.size(); ++cell) {
      std::fill(dims.begin(), dims.end(), std::string());
      // Row-major: the last axis varies fastest.
      std::size_t rest = cell;
      for (std::size_t axis = variable.dims.size(); axis-- > 0;) {
        const std::size_t i = rest % shape[axis];
        rest /= shape[axis];
        const std::vector<std::string>& labels = content.labels.at(variable.dims[axis]);
        dims[column_of_axis[axis]] = csv_field(i < labels.size() ? labels[i] : std::to_string(i));
      }
      for (const std::string& field : lead) out << csv_field(field) << ',';
      for (const std::string& field : dims) out << field << ',';
      out << csv_field(variable.name) << ',' << values[cell] << '\n';
    }
    rows += static_cast<std::int64_t>(values.size());
  }
  return rows;
}

/// The header of a long table.
std::vector<std::string> long_columns(const std::vector<std::string>& lead,
                                      const std::vector<std::string>& dim_columns) {
  std::vector<std::string> columns = lead;
  columns.insert(columns.end(), dim_columns.begin(), dim_columns.end());
  columns.push_back("measure");
  columns.push_back("value");
  return columns;
}

std::vector<std::string> strategy_names(const std::string& result_path, hid_t file) {
  try {
    return h5::child_groups(h5::open_group(file, kStrategiesGroup).get());
  } catch (const IoError& e) {
    throw InputError("'" + result_path + "' is damaged or incomplete: " + e.what());
  }
}

/// The table of every strategy group: one column per dimension they use.
ExportReport write_strategies_table(const std::string& result_path, hid_t file,
                                    const std::string& csv_path, bool force) {
  const std::vector<std::string> strategies = strategy_names(result_path, file);
  const h5::Handle strategies_group = h5::open_group(file, kStrategiesGroup);
  std::vector<GroupContent> contents;
  for (const std::string& strategy : strategies) {
    contents.push_back(read_content(h5::open_group(strategies_group.get(), strategy).get()));
  }
  const std::vector<std::string> dims = dimension_columns(contents);
  ExportReport report;
  write_table(result_path, csv_path, force, long_columns({"strategy"}, dims),
              [&](std::ostream& out) {
                for (std::size_t s = 0; s < strategies.size(); ++s) {
                  const h5::Handle group = h5::open_group(strategies_group.get(), strategies[s]);
                  report.rows += write_long_rows(group.get(), contents[s], {strategies[s]}, dims,
                                                 out, report, strategies[s] + "/");
                }
              });
  report.files.push_back(csv_path);
  return report;
}

/// One table per group below /analysis (cea, psa, one_way, ...), over its own dimensions.
void write_analysis_tables(const std::string& result_path, hid_t file, const std::string& dir,
                           bool force, ExportReport& report) {
  if (!h5::has_link(file, "analysis")) return;
  const h5::Handle analysis = h5::open_group(file, "analysis");
  for (const std::string& name : h5::child_groups(analysis.get())) {
    const h5::Handle group = h5::open_group(analysis.get(), name);
    const GroupContent content = read_content(group.get());
    const std::vector<std::string> dims = dimension_columns({content});
    const std::string path = dir + "/analysis_" + name + ".csv";
    write_table(result_path, path, force, long_columns({}, dims), [&](std::ostream& out) {
      report.rows +=
          write_long_rows(group.get(), content, {}, dims, out, report, "analysis/" + name + "/");
    });
    report.files.push_back(path);
  }
}

/// The input files of the run with their SHA-256, and the resolved scenario as YAML.
void write_config(const std::string& result_path, hid_t file, const std::string& dir, bool force,
                  ExportReport& report) {
  const h5::Handle config = h5::open_group(file, kConfigGroup);
  const std::vector<std::string> files = h5::read_string_dataset(config.get(), "input_files");
  const std::vector<std::string> sha256 = h5::read_string_dataset(config.get(), "input_sha256");
  const std::string inputs = dir + "/config_input_files.csv";
  write_table(result_path, inputs, force, {"file", "sha256"}, [&](std::ostream& out) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      out << csv_field(files[i]) << ',' << csv_field(i < sha256.size() ? sha256[i] : "") << '\n';
    }
  });
  report.rows += static_cast<std::int64_t>(files.size());
  report.files.push_back(inputs);
  const std::string yaml = dir + "/config_scenario.yaml";
  write_table(result_path, yaml, force, {}, [&](std::ostream& out) {
    out << h5::read_string_dataset(config.get(), "scenario_yaml").at(0);
  });
  report.files.push_back(yaml);
}

/// The event histories and the sampled agents' characteristics, where the run kept them.
void write_microdata(const std::string& result_path, hid_t file, const std::string& dir, bool force,
                     ExportReport& report) {
  const std::vector<std::string> strategies = strategy_names(result_path, file);
  const h5::Handle strategies_group = h5::open_group(file, kStrategiesGroup);
  if (strategies.empty() ||
      !h5::has_link(h5::open_group(strategies_group.get(), strategies.front()).get(), "events")) {
    return;
  }
  const std::string events = dir + "/events.csv";
  report.rows += export_events_csv(result_path, events, force).rows;
  report.files.push_back(events);
  // The characteristics at entry: one row per sampled agent (its id, the group's one
  // dimension), a column per variable.
  const auto baseline_of = [&](const std::string& strategy) {
    return h5::open_group(strategies_group.get(), strategy + "/baseline");
  };
  const std::vector<Variable> variables =
      read_content(baseline_of(strategies.front()).get()).variables;
  const std::string agent_dim = variables.empty() ? "agent" : variables.front().dims.at(0);
  std::vector<std::string> columns{"strategy", agent_dim};
  for (const Variable& variable : variables) columns.push_back(variable.name);
  const std::string baseline = dir + "/baseline.csv";
  write_table(result_path, baseline, force, columns, [&](std::ostream& out) {
    for (const std::string& strategy : strategies) {
      const h5::Handle group = baseline_of(strategy);
      const std::vector<std::string> agents = coordinate_labels(group.get(), agent_dim);
      std::vector<std::vector<std::string>> fields;
      for (const Variable& variable : variables) {
        std::vector<hsize_t> shape;
        fields.push_back(value_fields(group.get(), variable, &shape));
      }
      for (std::size_t row = 0; row < agents.size(); ++row) {
        out << csv_field(strategy) << ',' << agents[row];
        for (const auto& column : fields) out << ',' << column.at(row);
        out << '\n';
      }
      report.rows += static_cast<std::int64_t>(agents.size());
    }
  });
  report.files.push_back(baseline);
}

}  // namespace

ExportReport export_csv(const std::string& result_path, const std::string& csv_path, bool force) {
  const h5::Handle file = open_result_file(result_path);
  return write_strategies_table(result_path, file.get(), csv_path, force);
}

ExportReport export_csv_directory(const std::string& result_path, const std::string& dir,
                                  bool force) {
  const h5::Handle file = open_result_file(result_path);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_directory(dir)) {
    throw InputError("export: cannot make the directory '" + dir + "'" +
                     (error ? ": " + error.message() : ""));
  }
  ExportReport report =
      write_strategies_table(result_path, file.get(), dir + "/strategies.csv", force);
  write_analysis_tables(result_path, file.get(), dir, force, report);
  write_config(result_path, file.get(), dir, force, report);
  write_microdata(result_path, file.get(), dir, force, report);
  return report;
}

}  // namespace osteosim::output
