#include "output/evppi_writer.hpp"

#include <limits>
#include <stdexcept>

#include "analysis/evppi.hpp"
#include "output/declared_group.hpp"

namespace osteosim::output {

namespace {

/// [parameter][draw] from the PSA's [draw][parameter] values.
std::vector<std::vector<double>> by_parameter(const engine::PsaResult& psa) {
  const std::size_t count = psa.parameter_names.size();
  std::vector<std::vector<double>> out(count);
  for (std::size_t d = 0; d < static_cast<std::size_t>(psa.draws); ++d) {
    for (std::size_t p = 0; p < count; ++p) out[p].push_back(psa.parameter_values[d * count + p]);
  }
  return out;
}

/// Appends one EVPPI curve to the [wtp][item] table `out` (`items` wide) at column `item`;
/// NaN and a note in `skipped` when there are too few draws for the regression.
void add_curve(const analysis::PsaTable& table, const std::vector<std::vector<double>>& terms,
               const std::vector<double>& wtp, std::size_t item, std::size_t items,
               const std::string& name, std::vector<double>& out, std::string& skipped) {
  std::vector<double> curve(wtp.size(), std::numeric_limits<double>::quiet_NaN());
  try {
    curve = analysis::evppi(table, terms, wtp);
  } catch (const std::invalid_argument& e) {
    skipped += (skipped.empty() ? "" : "; ") + name + ": " + e.what();
  }
  for (std::size_t w = 0; w < wtp.size(); ++w) out[w * items + item] = curve[w];
}

}  // namespace

void write_evppi(hid_t analysis_group, const engine::PsaResult& psa,
                 const analysis::PsaTable& table, const std::vector<double>& wtp,
                 const std::string& currency) {
  const auto values = by_parameter(psa);
  const auto& names = psa.parameter_names;
  std::string skipped;
  std::vector<double> single(wtp.size() * names.size());
  for (std::size_t p = 0; p < names.size(); ++p) {
    add_curve(table, {values[p]}, wtp, p, names.size(), names[p], single, skipped);
  }
  const auto groups = analysis::parameter_groups(names);
  std::vector<std::string> group_names, members;
  std::vector<double> joint(wtp.size() * groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::vector<std::vector<double>> terms;
    std::string listed;
    for (const std::size_t p : groups[g].members) {
      terms.push_back(values[p]);
      listed += (listed.empty() ? "" : ", ") + names[p];
    }
    group_names.push_back(groups[g].name);
    members.push_back(listed);
    add_curve(table, terms, wtp, g, groups.size(), groups[g].name, joint, skipped);
  }

  const h5::Handle handle = h5::create_group(analysis_group, "evppi");
  DeclaredGroup group(handle.get(), "/analysis/evppi", currency);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  group.attribute("method", std::string("regression on the parameters (Strong, Oakley & Brennan "
                                        "2014): additive penalised cubic splines, GCV"));
  if (!skipped.empty()) group.attribute("skipped", skipped);
  group.coordinate("wtp", wtp);
  group.coordinate("parameter", names);
  group.variable("evppi", single, &nan);
  if (!groups.empty()) {
    group.coordinate("parameter_group", group_names);
    group.strings("group_members", members);
    group.variable("group_evppi", joint, &nan);
  }
  group.check_complete();
}

}  // namespace osteosim::output
