#pragma once
/// models/<name>/economics.yaml: perspective, currency, price year, discount rates, costs and
/// utilities. Every number is either a plain value or {value, distribution, se}; the
/// distributions are what a probabilistic sensitivity analysis draws from.
#include <optional>
#include <string>
#include <vector>

#include "config/error_list.hpp"
#include "model/economics.hpp"
#include "model/uncertainty.hpp"

namespace osteosim::config {

struct EconomicsModel {
  model::EconomicsParameters parameters;           ///< base case (the values)
  std::vector<model::UncertainParameter> uncertain;  ///< every number, in file order
};

/// Reads economics.yaml from `model_dir`; nothing (and no error) if the file is absent, so a
/// model without economics still runs. Records every problem with file, line and key.
std::optional<EconomicsModel> load_economics(const std::string& model_dir, ErrorList& errors,
                                             std::vector<std::string>& files_read);

}  // namespace osteosim::config
