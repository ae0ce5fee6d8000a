#pragma once
/// `osteosim export --events`: the event histories of every strategy of a result file as
/// one CSV table (strategy, agent, time_years, age_years, event, site, value).
#include <string>

#include "output/export_csv.hpp"

namespace osteosim::output {

inline const std::vector<std::string> kEventColumns{
    "strategy", "agent", "time_years", "age_years", "event", "site", "value"};

/// Writes the table through a temporary file renamed into place. InputError if the file
/// is not a result file or holds no event histories (run with microdata_agents), or if
/// `csv_path` exists and !force.
ExportReport export_events_csv(const std::string& result_path, const std::string& csv_path,
                               bool force);

}  // namespace osteosim::output
