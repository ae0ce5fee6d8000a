#include "config/economics_loader.hpp"

#include <filesystem>
#include <functional>

#include "config/flat_reader.hpp"
#include "config/uncertain_number.hpp"
#include "config/yaml_tree.hpp"

namespace osteosim::config {
namespace fs = std::filesystem;
namespace {

using model::EconomicsParameters;
using Ref = std::function<double&(EconomicsParameters&)>;

struct NumberKey {
  std::string path;
  Range range;
  Ref ref;
};

const Range kUsd{0, 1e7};
const Range kUtility{0, 1};
const Range kMultiplier{0, 1.5};

std::vector<NumberKey> number_keys() {
  using P = EconomicsParameters;
  std::vector<NumberKey> k;
  k.push_back({"discount.costs_rate_per_year", {0, 0.2}, [](P& p) -> double& {
                 return p.discount_rate_costs_per_year;
               }});
  k.push_back({"discount.effects_rate_per_year", {0, 0.2}, [](P& p) -> double& {
                 return p.discount_rate_effects_per_year;
               }});
  // Site keys by the site registry's economics key (silent vertebral fractures have none:
  // they are not diagnosed); later-years costs only for sites whose time is tracked.
  for (const auto& row : model::kSiteTable) {
    if (row.economics_key.empty()) continue;
    const auto s = static_cast<std::size_t>(row.site);
    const std::string site(row.economics_key);
    k.push_back({"costs." + site + "_first_year_usd", kUsd,
                 [s](P& p) -> double& { return p.fracture_first_year_usd[s]; }});
    k.push_back({"utilities." + site + "_first_year_multiplier", kMultiplier,
                 [s](P& p) -> double& { return p.utility_first_year[s]; }});
    k.push_back({"utilities." + site + "_later_years_multiplier", kMultiplier,
                 [s](P& p) -> double& { return p.utility_later_years[s]; }});
  }
  for (const auto& row : model::kSiteTable) {
    if (row.aftermath != model::Aftermath::tracked) continue;
    const auto s = static_cast<std::size_t>(row.site);
    k.push_back({"costs." + std::string(row.economics_key) + "_later_years_usd_per_year", kUsd,
                 [s](P& p) -> double& { return p.fracture_later_years_usd_per_year[s]; }});
  }
  k.push_back({"costs.later_years_duration_years", {0, 100}, [](P& p) -> double& {
                 return p.later_years_cost_duration_years;
               }});
  k.push_back({"costs.nursing_home_share_after_hip", {0, 1}, [](P& p) -> double& {
                 return p.nursing_home_share_after_hip;
               }});
  k.push_back({"costs.nursing_home_usd_per_year", kUsd,
               [](P& p) -> double& { return p.nursing_home_usd_per_year; }});
  k.push_back({"costs.societal_usd_per_clinical_fracture", kUsd,
               [](P& p) -> double& { return p.societal_usd_per_clinical_fracture; }});
  for (int d = 0; d < model::kDrugs; ++d) {
    k.push_back({"costs.drug_usd_per_year." + std::string(model::kDrugNames[d]), kUsd,
                 [d](P& p) -> double& { return p.drug_usd_per_year[d]; }});
  }
  k.push_back({"costs.monitoring_usd_per_year_on_treatment", kUsd,
               [](P& p) -> double& { return p.monitoring_usd_per_year_on_treatment; }});
  k.push_back({"costs.dxa_usd", kUsd, [](P& p) -> double& { return p.dxa_usd; }});
  k.push_back({"costs.prescreening_usd", kUsd, [](P& p) -> double& { return p.prescreening_usd; }});
  for (int g = 0; g < model::kProgrammes; ++g) {
    k.push_back({"costs.programme_usd." + std::string(model::kProgrammeNames[g]), kUsd,
                 [g](P& p) -> double& { return p.programme_usd[g]; }});
  }
  k.push_back(
      {"costs.adverse_event_usd", kUsd, [](P& p) -> double& { return p.adverse_event_usd; }});
  constexpr std::array<const char*, model::kUtilityBands> kBands{"50_59", "60_69", "70_79",
                                                                 "80_plus"};
  for (int s = 0; s < model::kSexes; ++s) {
    for (int b = 0; b < model::kUtilityBands; ++b) {
      k.push_back({"utilities.baseline_" + std::string(model::kSexNames[s]) + "_" + kBands[b],
                   kUtility, [s, b](P& p) -> double& { return p.baseline_utility[s][b]; }});
    }
  }
  return k;
}

std::vector<std::string> names_of(auto const& names) { return {names.begin(), names.end()}; }

void read_file(const FlatTree& tree, const std::string& path, ErrorList& errors,
               EconomicsModel& out) {
  FlatReader in(tree, errors, path);
  if (const auto version = in.get_int("schema_version", 0, 1000000, Need::required);
      version && *version != 1) {
    errors.add(in.location_of("schema_version"), "schema_version",
               "unsupported schema version " + std::to_string(*version) +
                   "; this osteosim reads version 1");
  }
  // Numbers are read into a whole parameter set so that their PSA references point into
  // model::ModelParameters like those of model.yaml and drugs.yaml.
  model::ModelParameters whole;
  auto& p = whole.economics;
  if (const auto perspective =
          in.get_enum("perspective", names_of(model::kPerspectiveNames), Need::required)) {
    p.perspective =
        *perspective == "societal" ? model::Perspective::societal : model::Perspective::payer;
  }
  p.currency = in.get_string("currency", Need::required).value_or("");
  p.price_year = static_cast<int>(in.get_int("price_year", 1950, 2100, Need::required).value_or(0));
  for (const std::string group :
       {"discount", "costs", "costs.drug_usd_per_year", "costs.programme_usd", "utilities"}) {
    in.expect_mapping(group);
  }
  for (const auto& key : number_keys()) {
    const auto ref = [r = key.ref](model::ModelParameters& m) -> double& { return r(m.economics); };
    read_number_into(in, key.path, key.range, ref, whole, out.uncertain);
  }
  in.report_unknown();
  out.parameters = p;
}

}  // namespace

std::optional<EconomicsModel> load_economics(const std::string& model_dir,
                                             const Location& model_named_at, ErrorList& errors,
                                             std::vector<std::string>& files_read) {
  const std::string path = (fs::path(model_dir) / "economics.yaml").string();
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    // Why this is an error and not a model without costs: see the header.
    errors.add(model_named_at, "model",
               "the model folder " + model_dir + " has no economics.yaml (looked for " + path +
                   "); every run reports costs, QALYs and a cost-effectiveness table, which "
                   "would be meaningless zeros without it: add one (models/us-2025/economics.yaml "
                   "shows every key)");
    return std::nullopt;
  }
  ErrorList own;
  const auto root = load_yaml_file(path, own);
  if (root && !root->IsMap()) own.add_raw({path, 0}, "expected a mapping of keys at the top level");
  EconomicsModel out;
  if (root && root->IsMap()) {
    FlatTree tree;
    flatten(*root, "", {path, 0}, tree, own);
    if (own.empty()) {
      files_read.push_back(path);
      read_file(tree, path, own, out);
    }
  }
  errors.append(own);
  if (!own.empty()) return std::nullopt;
  return out;
}

}  // namespace osteosim::config
