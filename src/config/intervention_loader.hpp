#pragma once
/// The intervention catalogue of a model folder: drugs.yaml (drug efficacy, onset, offset,
/// persistence, duration rules, adverse events) and interventions.yaml (community
/// programmes, DXA precision, OST cut-offs, body weight). Every key is required, range
/// checked, and unknown keys are errors, as in model.yaml.
#include <optional>
#include <string>
#include <vector>

#include "config/error_list.hpp"
#include "model/parameters.hpp"
#include "model/uncertainty.hpp"

namespace osteosim::config {

/// The catalogue read into a whole parameter set (`whole.interventions`; the rest is
/// default), with every number and its distribution for the PSA.
struct Catalogue {
  model::ModelParameters whole;
  std::vector<model::UncertainParameter> uncertain;  ///< file order, drugs.yaml first
};

/// Reads both files from `model_dir`; records every problem and returns nothing if any.
/// A model folder with neither file has no catalogue: nothing is returned, no error.
/// The files read are appended to `files_read`.
std::optional<Catalogue> load_intervention_catalogue(const std::string& model_dir, ErrorList& errors,
                                                     std::vector<std::string>& files_read);

}  // namespace osteosim::config
