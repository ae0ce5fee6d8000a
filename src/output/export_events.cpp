#include "output/export_events.hpp"

#include "common/error.hpp"
#include "output/csv_export_file.hpp"
#include "output/csv_text.hpp"
#include "output/result_format.hpp"
#include "output/result_open.hpp"

namespace osteosim::output {

namespace {

std::int64_t write_strategy_events(hid_t strategies, const std::string& strategy,
                                   std::ostream& out) {
  const h5::Handle group = h5::open_group(strategies, strategy + "/events");
  const auto agent = h5::read_dataset<std::int64_t>(group.get(), "agent", nullptr);
  const auto time = h5::read_dataset<double>(group.get(), "time_years", nullptr);
  const auto age = h5::read_dataset<double>(group.get(), "age_years", nullptr);
  const auto event = h5::read_string_dataset(group.get(), "event");
  const auto site = h5::read_string_dataset(group.get(), "site");
  const auto value = h5::read_dataset<double>(group.get(), "value", nullptr);
  const std::size_t n = agent.size();
  if (time.size() != n || age.size() != n || event.size() != n || site.size() != n ||
      value.size() != n) {
    throw IoError("columns of " + strategy + "/events differ in length");
  }
  const std::string name = csv_field(strategy);
  for (std::size_t i = 0; i < n; ++i) {
    out << name << ',' << agent[i] << ',' << number_text(time[i]) << ','
        << number_text(age[i]) << ',' << csv_field(event[i]) << ',' << csv_field(site[i])
        << ',' << number_text(value[i]) << '\n';
  }
  return static_cast<std::int64_t>(n);
}

}  // namespace

ExportReport export_events_csv(const std::string& result_path, const std::string& csv_path,
                               bool force) {
  const h5::Handle file = open_result_file(result_path);
  std::vector<std::string> with_events;
  try {
    const h5::Handle strategies = h5::open_group(file.get(), kStrategiesGroup);
    for (const std::string& strategy : h5::child_groups(strategies.get())) {
      const h5::Handle group = h5::open_group(strategies.get(), strategy);
      if (h5::has_link(group.get(), "events")) with_events.push_back(strategy);
    }
  } catch (const IoError& e) {
    throw InputError("'" + result_path + "' is damaged or incomplete: " + e.what());
  }
  if (with_events.empty()) {
    throw InputError("export: '" + result_path +
                     "' holds no event histories: run with microdata_agents: N (or --microdata N)");
  }
  return write_csv_export(
      result_path, file.get(), with_events, csv_path, force, kEventColumns,
      [](hid_t group, const std::string& strategy, std::ostream& out, ExportReport&) {
        return write_strategy_events(group, strategy, out);
      });
}

}  // namespace osteosim::output
