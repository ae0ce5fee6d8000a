#pragma once
/// The fully resolved scenario and model as YAML text: what `osteosim check` prints and what
/// result files embed, so that a run can be understood (and repeated) without its input files.
#include <string>
#include <utility>
#include <vector>

#include "config/scenario.hpp"

namespace osteosim::config {

using FlatText = std::vector<std::pair<std::string, std::string>>;

struct ResolvedParts {
  const Scenario* scenario = nullptr;
  std::vector<FlatText> strategy_sets;  ///< per strategy: its own `set:` (path, value)
  std::string model_dir;
  std::string model_description;
  const model::ModelParameters* model = nullptr;  ///< after the scenario-wide `set:`
};

std::string emit_resolved_yaml(const ResolvedParts& parts);

}  // namespace osteosim::config
