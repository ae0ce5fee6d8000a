#pragma once
/// models/<name>/economics.yaml: perspective, currency, price year, discount rates, costs and
/// utilities. Every number is either a plain value or {value, distribution, se}; the
/// distributions are what a probabilistic sensitivity analysis draws from.
#include <optional>
#include <string>
#include <vector>

#include "config/error_list.hpp"
#include "config/flat_reader.hpp"
#include "model/economics.hpp"
#include "model/uncertainty.hpp"

namespace osteosim::config {

struct EconomicsModel {
  model::EconomicsParameters parameters;             ///< base case (the values)
  std::vector<model::UncertainParameter> uncertain;  ///< every number, in file order
};

/// Reads economics.yaml from `model_dir`. Records every problem with file, line and key,
/// including a missing file (at `model_named_at`, where the scenario names the model).
///
/// The file is required by every run, not only by CEAs: every result file holds costs and
/// QALYs per strategy and an /analysis/cea table, and `osteosim summary` prints that table
/// even for one strategy. Without costs they would be zeros that read like a result (a
/// natural-history run "costing" nothing; a better strategy "dominated"). Leaving them out
/// instead would change the file format that readers and notebooks rely on, so a model
/// without economics is refused: an error can never be mistaken for a result.
/// `willingness_to_pay: {grid_max_per_qaly, grid_step_per_qaly, thresholds_per_qaly: [...]}`
/// under `prefix`: in economics.yaml (required: the model's default) and in a scenario
/// (optional: replaces the model's). Problems are recorded in `in`'s error list.
std::optional<model::WillingnessToPay> read_willingness_to_pay(FlatReader& in,
                                                               const std::string& prefix,
                                                               Need need);

std::optional<EconomicsModel> load_economics(const std::string& model_dir,
                                             const Location& model_named_at, ErrorList& errors,
                                             std::vector<std::string>& files_read);

}  // namespace osteosim::config
