#include "config/uncertain_number.hpp"

#include <cmath>
#include <vector>

namespace osteosim::config {
namespace {

/// z of the two-sided 95% interval of a normal distribution.
constexpr double kZ95 = 1.959963984540054;

std::vector<std::string> distribution_names() {
  return {model::kDistributionNames.begin(), model::kDistributionNames.end()};
}

/// `ci95: [low, high]` of a log-normal: the SD of the log, checked against the median.
std::optional<double> read_log_sd(FlatReader& in, const std::string& path, double median) {
  const Entry* e = in.take(path, Need::required);
  if (!e) return std::nullopt;
  const YAML::Node& node = e->node;
  std::optional<double> low, high;
  if (node.IsSequence() && node.size() == 2 && node[0].IsScalar() && node[1].IsScalar()) {
    low = parse_number(node[0].Scalar());
    high = parse_number(node[1].Scalar());
  }
  if (!low || !high) {
    in.errors().add(e->where, path, "expected two numbers [low, high]");
    return std::nullopt;
  }
  if (!(*low > 0 && *low < median && median < *high)) {
    in.errors().add(e->where, path,
                    "needs 0 < low < value < high (got [" + format_number(*low) + ", " +
                        format_number(*high) + "] around " + format_number(median) + ")");
    return std::nullopt;
  }
  return (std::log(*high) - std::log(*low)) / (2 * kZ95);
}

}  // namespace

std::optional<model::UncertainParameter> read_uncertain_number(FlatReader& in, const std::string& path,
                                                               const Range& range) {
  model::UncertainParameter u;
  u.name = path;
  u.lower = range.lo;
  u.upper = range.hi;
  const Entry* e = in.find(path);
  if (!e || !e->is_mapping) {
    const auto value = in.get_double(path, range, Need::required);
    if (!value) return std::nullopt;
    u.value = *value;
    return u;
  }
  in.expect_mapping(path);
  const auto value = in.get_double(path + ".value", range, Need::required);
  const auto kind = in.get_enum(path + ".distribution", distribution_names(), Need::required);
  if (!value || !kind) return std::nullopt;
  u.value = *value;
  for (std::size_t d = 0; d < model::kDistributionNames.size(); ++d) {
    if (model::kDistributionNames[d] == *kind) u.distribution = static_cast<model::Distribution>(d);
  }
  const bool has_ci = in.find(path + ".ci95") != nullptr;
  if (has_ci && u.distribution != model::Distribution::lognormal) {
    in.errors().add(in.location_of(path + ".ci95"), path + ".ci95",
                    "a 95% interval is read for lognormal distributions only; give se for " + *kind);
    return std::nullopt;
  }
  if (has_ci) {
    const auto log_sd = read_log_sd(in, path + ".ci95", u.value);
    if (!log_sd) return std::nullopt;
    u.log_sd = *log_sd;
  } else {
    const Need need_se = u.distribution == model::Distribution::fixed ? Need::optional : Need::required;
    u.se = in.get_double(path + ".se", {0, 1e7}, need_se).value_or(0);
  }
  const std::string problem = model::distribution_problem(u.distribution, u.value, u.se);
  if (!problem.empty()) {
    in.errors().add(in.location_of(path + ".distribution"), path + ".distribution", problem);
    return std::nullopt;
  }
  return u;
}

void read_number_into(FlatReader& in, const std::string& path, const Range& range,
                      const std::function<double&(model::ModelParameters&)>& ref,
                      model::ModelParameters& parameters,
                      std::vector<model::UncertainParameter>& uncertain) {
  auto u = read_uncertain_number(in, path, range);
  if (!u) return;
  u->ref = ref;
  ref(parameters) = u->value;
  uncertain.push_back(std::move(*u));
}

}  // namespace osteosim::config
