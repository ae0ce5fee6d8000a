#pragma once
/// The intervention keys of one `strategies:` entry (screening, fracture_liaison,
/// fall_prevention, calcium_vitamin_d) -> model::InterventionPolicy, strictly validated.
#include <string>

#include "config/flat_reader.hpp"
#include "model/intervention_parameters.hpp"
#include "model/policy.hpp"

namespace osteosim::config {

/// Reads the keys under `prefix` ("strategies[2]"); courses without years are left for
/// resolve_strategy_policy (the model, and so the catalogue, is read after the strategies).
model::InterventionPolicy read_strategy_policy(FlatReader& in, const std::string& prefix);

/// Fills catalogue defaults (course lengths); an error at `where` if the strategy uses an
/// intervention and the model has no catalogue (`catalogue` null).
void resolve_strategy_policy(model::InterventionPolicy& policy,
                             const model::InterventionParameters* catalogue, const Location& where,
                             const std::string& model_dir, ErrorList& errors);

}  // namespace osteosim::config
