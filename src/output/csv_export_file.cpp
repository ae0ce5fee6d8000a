#include "output/csv_export_file.hpp"

#include <fstream>

#include "common/error.hpp"
#include "output/hdf5_file.hpp"
#include "output/output_path.hpp"
#include "output/result_format.hpp"

namespace osteosim::output {

void write_table(const std::string& result_path, const std::string& path, bool force,
                 const std::vector<std::string>& columns,
                 const std::function<void(std::ostream&)>& write_body) {
  check_output_path(path, force);
  // `export in.h5 --csv in.h5 --force` would replace the result with its own table.
  check_not_an_input({{path, "CSV file"}, {temporary_path_for(path), "temporary CSV file"}},
                     {result_path});
  TemporaryOutput temporary(path);
  {
    std::ofstream out(temporary.path(), std::ios::binary);
    if (!out) throw IoError("cannot create '" + temporary.path() + "'");
    for (std::size_t c = 0; c < columns.size(); ++c) {
      out << (c ? "," : "") << columns[c] << (c + 1 == columns.size() ? "\n" : "");
    }
    try {
      write_body(out);
    } catch (const IoError& e) {
      throw InputError("'" + result_path + "' is damaged or incomplete: " + e.what());
    }
    out.close();
    if (!out) throw IoError("cannot write '" + temporary.path() + "'");
  }
  temporary.commit();
}

ExportReport write_csv_export(const std::string& result_path, hid_t file,
                              const std::vector<std::string>& strategies,
                              const std::string& csv_path, bool force,
                              const std::vector<std::string>& columns,
                              const StrategyRowWriter& write_rows) {
  ExportReport report;
  write_table(result_path, csv_path, force, columns, [&](std::ostream& out) {
    const h5::Handle group = h5::open_group(file, kStrategiesGroup);
    for (const std::string& strategy : strategies) {
      report.rows += write_rows(group.get(), strategy, out, report);
    }
  });
  report.files.push_back(csv_path);
  return report;
}

}  // namespace osteosim::output
