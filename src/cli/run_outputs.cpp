#include "cli/run_outputs.hpp"

#include <unistd.h>

#include "output/checkpoint.hpp"
#include "output/microdata_spool.hpp"

namespace osteosim::cli {

std::string microdata_spool_base(const std::string& output_path) {
  return output_path + ".microdata-" + std::to_string(::getpid());
}

std::vector<output::PlannedOutput> run_outputs(const config::Scenario& scenario,
                                               const std::string& output_path,
                                               const std::string& checkpoint_base, bool writer) {
  std::vector<output::PlannedOutput> outputs;
  if (writer) {
    outputs.push_back({output_path, "result file"});
    outputs.push_back({output::temporary_path_for(output_path), "temporary result file"});
  }
  const std::string checkpoint = output::checkpoint_path_for(checkpoint_base);
  outputs.push_back({checkpoint, "checkpoint"});
  outputs.push_back({output::temporary_path_for(checkpoint), "temporary checkpoint"});
  if (writer && scenario.microdata_agents > 0) {
    const std::string base = microdata_spool_base(output_path);
    for (std::size_t s = 0; s < scenario.strategies.size(); ++s) {
      outputs.push_back({output::MicrodataSpool::events_path(base, s), "microdata spool file"});
      outputs.push_back({output::MicrodataSpool::baseline_path(base, s), "microdata spool file"});
    }
  }
  return outputs;
}

void check_run_outputs(const config::Scenario& scenario, const std::string& output_path,
                       const std::string& checkpoint_base, bool writer) {
  const auto outputs = run_outputs(scenario, output_path, checkpoint_base, writer);
  output::check_not_an_input(outputs, scenario.input_files);
  output::try_create(outputs);
}

}  // namespace osteosim::cli
