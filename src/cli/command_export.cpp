#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/error.hpp"
#include "output/export_csv.hpp"
#include "output/export_events.hpp"

namespace osteosim::cli {

po::options_description export_command_options() {
  po::options_description options("export options");
  // One option a line, as the --help it becomes reads.
  // clang-format off
  options.add_options()
      ("csv", po::value<std::string>()->value_name("FILE"),
       "write the long table of the strategies to this CSV file")
      ("csv-dir", po::value<std::string>()->value_name("DIR"),
       "write every group of the file, one CSV each, into this directory")
      ("events", "with --csv: export the event histories (runs with microdata_agents) instead")
      ("force", "overwrite existing CSV files")
      ("quiet", "no report on stderr");
  // clang-format on
  return options;
}

/// `osteosim export OUT.h5 --csv FILE [--events] [--force]`: the strategies' results as
/// one long CSV table, or with --events the event histories; `--csv-dir DIR`: every group
/// of the file, one CSV each.
int command_export(const CommandContext& context) {
  const po::variables_map& vm = context.options;
  const auto files = positionals(vm, "file", "result file");
  if (files.size() != 1) throw UsageError("export: give exactly one result file");
  if (vm.count("csv") + vm.count("csv-dir") != 1) {
    throw UsageError("export: give one of --csv FILE or --csv-dir DIR");
  }
  if (vm.count("events") && vm.count("csv-dir")) {
    throw UsageError(
        "export: --csv-dir writes the event histories already; --events goes with --csv");
  }
  const bool force = vm.count("force") > 0;
  const auto report =
      vm.count("csv-dir")
          ? output::export_csv_directory(files.front(), vm["csv-dir"].as<std::string>(), force)
      : vm.count("events")
          ? output::export_events_csv(files.front(), vm["csv"].as<std::string>(), force)
          : output::export_csv(files.front(), vm["csv"].as<std::string>(), force);
  if (!vm.count("quiet")) {
    for (const std::string& skipped : report.skipped) {
      context.err << "osteosim: export: left out " << skipped << '\n';
    }
    std::string written;
    for (const std::string& file : report.files) written += (written.empty() ? "" : ", ") + file;
    context.err << "osteosim: wrote " << report.rows << " rows to " << written << '\n';
  }
  return 0;
}

}  // namespace osteosim::cli
