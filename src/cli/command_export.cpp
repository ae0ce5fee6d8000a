#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/error.hpp"
#include "output/export_csv.hpp"
#include "output/export_events.hpp"

namespace osteosim::cli {

/// `osteosim export OUT.h5 --csv FILE [--events] [--force]`: the strategies' results as
/// one long CSV table, or with --events the event histories; `--csv-dir DIR`: every group
/// of the file, one CSV each.
int command_export(const CommandContext& context) {
  po::options_description options;
  options.add_options()("csv", po::value<std::string>(), "write the long table to this CSV file")(
      "csv-dir", po::value<std::string>(),
      "write every group of the file, one CSV each, into this directory")(
      "events", "export the event histories (runs with microdata_agents) instead")(
      "force", "overwrite an existing CSV file")("quiet", "no report on stderr");
  const auto vm = parse(context.args, options, "file");
  const auto files = positionals(vm, "file", "result file");
  if (files.size() != 1) throw InputError("export: give exactly one result file");
  if (vm.count("csv") + vm.count("csv-dir") != 1) {
    throw InputError("export: give one of --csv FILE or --csv-dir DIR");
  }
  if (vm.count("events") && vm.count("csv-dir")) {
    throw InputError(
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
