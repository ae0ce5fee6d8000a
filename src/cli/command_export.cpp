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
       "write the long table to this CSV file (required)")
      ("events", "export the event histories (runs with microdata_agents) instead")
      ("force", "overwrite an existing CSV file")
      ("quiet", "no report on stderr");
  // clang-format on
  return options;
}

/// `osteosim export OUT.h5 --csv FILE [--events] [--force]`: the result as one long CSV
/// table, or with --events its event histories.
int command_export(const CommandContext& context) {
  const po::variables_map& vm = context.options;
  const auto files = positionals(vm, "file", "result file");
  if (files.size() != 1) throw UsageError("export: give exactly one result file");
  if (!vm.count("csv")) throw UsageError("export: --csv FILE is required");
  const std::string csv = vm["csv"].as<std::string>();
  const bool force = vm.count("force") > 0;
  const auto report = vm.count("events") ? output::export_events_csv(files.front(), csv, force)
                                         : output::export_csv(files.front(), csv, force);
  if (!vm.count("quiet")) {
    for (const std::string& skipped : report.skipped) {
      context.err << "osteosim: export: left out " << skipped << '\n';
    }
    context.err << "osteosim: wrote " << report.rows << " rows to " << csv << '\n';
  }
  return 0;
}

}  // namespace osteosim::cli
