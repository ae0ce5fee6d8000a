#include "config/economics_loader.hpp"

#include <algorithm>
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
    k.push_back({"costs." + site + "_first_year", kUsd,
                 [s](P& p) -> double& { return p.fracture_first_year_usd[s]; }});
    k.push_back({"utilities." + site + "_first_year_multiplier", kMultiplier,
                 [s](P& p) -> double& { return p.utility_first_year[s]; }});
    k.push_back({"utilities." + site + "_later_years_multiplier", kMultiplier,
                 [s](P& p) -> double& { return p.utility_later_years[s]; }});
  }
  for (const auto& row : model::kSiteTable) {
    if (row.aftermath != model::Aftermath::tracked) continue;
    const auto s = static_cast<std::size_t>(row.site);
    k.push_back({"costs." + std::string(row.economics_key) + "_later_years_per_year", kUsd,
                 [s](P& p) -> double& { return p.fracture_later_years_usd_per_year[s]; }});
  }
  k.push_back({"costs.later_years_duration_years", {0, 100}, [](P& p) -> double& {
                 return p.later_years_cost_duration_years;
               }});
  k.push_back({"costs.nursing_home_share_after_hip", {0, 1}, [](P& p) -> double& {
                 return p.nursing_home_share_after_hip;
               }});
  k.push_back({"costs.nursing_home_per_year", kUsd,
               [](P& p) -> double& { return p.nursing_home_usd_per_year; }});
  k.push_back({"costs.societal_per_clinical_fracture", kUsd,
               [](P& p) -> double& { return p.societal_usd_per_clinical_fracture; }});
  for (int d = 0; d < model::kDrugs; ++d) {
    k.push_back({"costs.drug_per_year." + std::string(model::kDrugNames[d]), kUsd,
                 [d](P& p) -> double& { return p.drug_usd_per_year[d]; }});
  }
  k.push_back({"costs.monitoring_per_year_on_treatment", kUsd,
               [](P& p) -> double& { return p.monitoring_usd_per_year_on_treatment; }});
  k.push_back({"costs.dxa", kUsd, [](P& p) -> double& { return p.dxa_usd; }});
  k.push_back({"costs.prescreening", kUsd, [](P& p) -> double& { return p.prescreening_usd; }});
  for (int g = 0; g < model::kProgrammes; ++g) {
    k.push_back({"costs.programme." + std::string(model::kProgrammeNames[g]), kUsd,
                 [g](P& p) -> double& { return p.programme_usd[g]; }});
  }
  k.push_back({"costs.adverse_event", kUsd, [](P& p) -> double& { return p.adverse_event_usd; }});
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

/// An ISO 4217 code: three capital letters ("USD", "GBP", "SEK"). Costs are never assumed
/// to be in any currency the file does not name.
std::string read_currency(FlatReader& in, const std::string& path) {
  const auto code = in.get_string(path, Need::required);
  if (!code) return "";
  const bool iso = code->size() == 3 && std::all_of(code->begin(), code->end(),
                                                    [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!iso) {
    in.errors().add(in.location_of(path), path,
                    "'" + *code +
                        "' is not an ISO 4217 currency code (three capital letters, "
                        "e.g. USD, GBP, EUR, SEK)");
    return "";
  }
  return *code;
}

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
  p.currency = read_currency(in, "currency");
  if (auto wtp = read_willingness_to_pay(in, "willingness_to_pay", Need::required)) {
    p.willingness_to_pay = std::move(*wtp);
  }
  p.price_year = static_cast<int>(in.get_int("price_year", 1950, 2100, Need::required).value_or(0));
  for (const std::string group :
       {"discount", "costs", "costs.drug_per_year", "costs.programme", "utilities"}) {
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

std::optional<model::WillingnessToPay> read_willingness_to_pay(FlatReader& in,
                                                               const std::string& prefix,
                                                               Need need) {
  if (!in.find(prefix)) {
    if (need == Need::required) {
      in.missing(prefix,
                 "the grid and thresholds of willingness to pay per QALY, in the "
                 "model's currency");
    }
    return std::nullopt;
  }
  in.expect_mapping(prefix);
  const Range kMoneyPerQaly{0, 1e9, true, false};
  model::WillingnessToPay wtp;
  wtp.grid_max_per_qaly =
      in.get_double(prefix + ".grid_max_per_qaly", kMoneyPerQaly, Need::required).value_or(0);
  wtp.grid_step_per_qaly =
      in.get_double(prefix + ".grid_step_per_qaly", kMoneyPerQaly, Need::required).value_or(0);
  const std::string thresholds = prefix + ".thresholds_per_qaly";
  const Entry* entry = in.take(thresholds, Need::required);
  if (entry) {
    const auto bad = [&](const std::string& why) {
      in.errors().add(entry->where, thresholds, why);
    };
    if (!entry->node.IsSequence() || entry->node.size() == 0) {
      bad("expected a list of one or more amounts per QALY, e.g. [20000, 30000]");
    } else {
      for (const auto& item : entry->node) {
        const auto x = item.IsScalar() ? parse_number(item.Scalar()) : std::nullopt;
        if (!x || *x < 0 || *x > 1e9) {
          bad("each threshold must be a number in [0, 1e9], got " + describe(item));
          return std::nullopt;
        }
        wtp.thresholds_per_qaly.push_back(*x);
      }
    }
  }
  if (wtp.grid_step_per_qaly > 0 && wtp.grid_max_per_qaly / wtp.grid_step_per_qaly > 1000) {
    in.errors().add(in.location_of(prefix + ".grid_step_per_qaly"), prefix + ".grid_step_per_qaly",
                    "makes more than 1000 grid points up to grid_max_per_qaly: take a larger step");
  }
  return wtp;
}

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
