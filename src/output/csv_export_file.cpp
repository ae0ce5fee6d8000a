#include "output/csv_export_file.hpp"

#include <fstream>

#include "common/error.hpp"
#include "output/hdf5_file.hpp"
#include "output/output_path.hpp"
#include "output/result_format.hpp"

namespace osteosim::output {

ExportReport write_csv_export(const std::string& result_path, hid_t file,
                              const std::vector<std::string>& strategies,
                              const std::string& csv_path, bool force,
                              const std::vector<std::string>& columns,
                              const StrategyRowWriter& write_rows) {
  check_output_path(csv_path, force);
  TemporaryOutput temporary(csv_path);
  ExportReport report;
  {
    std::ofstream out(temporary.path(), std::ios::binary);
    if (!out) throw IoError("cannot create '" + temporary.path() + "'");
    for (std::size_t c = 0; c < columns.size(); ++c) out << (c ? "," : "") << columns[c];
    out << '\n';
    try {
      const h5::Handle group = h5::open_group(file, kStrategiesGroup);
      for (const std::string& strategy : strategies) {
        report.rows += write_rows(group.get(), strategy, out, report);
      }
    } catch (const IoError& e) {
      throw InputError("'" + result_path + "' is damaged or incomplete: " + e.what());
    }
    out.close();
    if (!out) throw IoError("cannot write '" + temporary.path() + "'");
  }
  temporary.commit();
  return report;
}

}  // namespace osteosim::output
