#pragma once
/// A number of a model file that may carry its uncertainty beside it:
///   key: 0.60                                                  (fixed)
///   key: {value: 23402, distribution: gamma, se: 2340}         (mean and standard error)
///   key: {value: 0.60, distribution: lognormal, ci95: [0.40, 0.92]}   (median and 95% CI)
/// The same syntax in model.yaml, drugs.yaml and economics.yaml.
#include <functional>
#include <optional>
#include <string>

#include "config/flat_reader.hpp"
#include "model/uncertainty.hpp"

namespace osteosim::config {

/// Reads the number at `path` (range-checked) with its distribution, if any. Problems are
/// recorded with file, line and key; nothing is returned then. The result's `ref` is left
/// empty for the caller, its [lower, upper] is `range`.
std::optional<model::UncertainParameter> read_uncertain_number(FlatReader& in, const std::string& path,
                                                               const Range& range);

/// Reads a number like read_uncertain_number, stores its value through `ref` into
/// `parameters` and appends it (with `ref`) to `uncertain`.
void read_number_into(FlatReader& in, const std::string& path, const Range& range,
                      const std::function<double&(model::ModelParameters&)>& ref,
                      model::ModelParameters& parameters,
                      std::vector<model::UncertainParameter>& uncertain);

}  // namespace osteosim::config
