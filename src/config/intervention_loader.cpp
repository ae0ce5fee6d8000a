#include "config/intervention_loader.hpp"

#include <filesystem>
#include <functional>

#include "config/flat_reader.hpp"
#include "config/uncertain_number.hpp"
#include "config/yaml_tree.hpp"

namespace osteosim::config {
namespace fs = std::filesystem;
namespace {

using model::DrugParameters;
using model::ProgrammeParameters;

const Range kProbability{0, 1};
const Range kRelativeRisk{0, 10, true, false};
const Range kYears{0, 50};

template <class T>
struct NumberField {
  std::string key;
  Range range;
  std::function<double&(T&)> ref;
};

std::vector<NumberField<DrugParameters>> drug_fields() {
  using D = DrugParameters;
  std::vector<NumberField<D>> f;
  for (int k = 0; k < model::kFractureProcesses; ++k) {
    f.push_back({"rr_" + std::string(model::kFractureProcessNames[k]), kRelativeRisk,
                 [k](D& d) -> double& { return d.rr[k]; }});
  }
  f.push_back({"onset_years", {0, 5}, [](D& d) -> double& { return d.onset_years; }});
  f.push_back({"offset_per_year_on", {0, 5}, [](D& d) -> double& { return d.offset_per_year_on; }});
  f.push_back({"offset_min_years", {0, 20}, [](D& d) -> double& { return d.offset_min_years; }});
  f.push_back({"offset_max_years", {0, 20}, [](D& d) -> double& { return d.offset_max_years; }});
  f.push_back(
      {"rebound_vertebral_rr", {1, 20}, [](D& d) -> double& { return d.rebound_vertebral_rr; }});
  f.push_back({"rebound_years", {0, 10}, [](D& d) -> double& { return d.rebound_years; }});
  f.push_back({"bmd_gain_fraction_per_year", {0, 0.2}, [](D& d) -> double& {
                 return d.bmd_gain_fraction_per_year;
               }});
  f.push_back({"adverse_events_per_year", kProbability,
               [](D& d) -> double& { return d.adverse_events_per_year; }});
  f.push_back(
      {"persistence_6_months", kProbability, [](D& d) -> double& { return d.persistence[0]; }});
  f.push_back(
      {"persistence_12_months", kProbability, [](D& d) -> double& { return d.persistence[1]; }});
  f.push_back(
      {"persistence_24_months", kProbability, [](D& d) -> double& { return d.persistence[2]; }});
  f.push_back({"adherence_effect_fraction", kProbability,
               [](D& d) -> double& { return d.adherence_effect_fraction; }});
  f.push_back(
      {"course_years", {0, 50, true, false}, [](D& d) -> double& { return d.course_years; }});
  f.push_back({"holiday_years", kYears, [](D& d) -> double& { return d.holiday_years; }});
  return f;
}

std::vector<NumberField<ProgrammeParameters>> programme_fields() {
  using P = ProgrammeParameters;
  std::vector<NumberField<P>> f;
  f.push_back({"fall_rate_rr", kRelativeRisk, [](P& p) -> double& { return p.fall_rate_rr; }});
  for (int k = 0; k < model::kFractureProcesses; ++k) {
    f.push_back({"fracture_rr_" + std::string(model::kFractureProcessNames[k]), kRelativeRisk,
                 [k](P& p) -> double& { return p.fracture_rr[k]; }});
  }
  f.push_back({"full_effect_years", {0, 100}, [](P& p) -> double& { return p.full_effect_years; }});
  f.push_back({"waning_years", kYears, [](P& p) -> double& { return p.waning_years; }});
  return f;
}

/// Reads the number fields of one catalogue entry (`locate` finds it in the parameters),
/// each possibly with a distribution for the PSA.
template <class T>
void read_fields(FlatReader& in, const std::string& prefix,
                 const std::vector<NumberField<T>>& fields,
                 const std::function<T&(model::ModelParameters&)>& locate, Catalogue& out) {
  in.expect_mapping(prefix);
  for (const auto& field : fields) {
    const auto ref = [locate, r = field.ref](model::ModelParameters& m) -> double& {
      return r(locate(m));
    };
    read_number_into(in, prefix + "." + field.key, field.range, ref, out.whole, out.uncertain);
  }
}

/// `persistence_distribution: {distribution: dirichlet, sample_size: N}`: the persistence
/// curve as a Dirichlet over the four intervals of discontinuation (stopped by 6 months,
/// 6-12, 12-24, still on at 24), with alpha = N x the base-case share of each interval.
void read_persistence_distribution(FlatReader& in, const std::string& prefix, int drug,
                                   Catalogue& out) {
  const std::string path = prefix + ".persistence_distribution";
  if (!in.find(path)) return;
  in.expect_mapping(path);
  const auto kind = in.get_enum(path + ".distribution", {"dirichlet"}, Need::required);
  const auto n = in.get_double(path + ".sample_size", {0, 1e7, true, false}, Need::required);
  if (!kind || !n) return;
  const auto& p = out.whole.interventions.drugs[drug].persistence;
  const std::vector<double> shares{1 - p[0], p[0] - p[1], p[1] - p[2], p[2]};
  model::UncertainParameter u;
  u.name = path;
  u.distribution = model::Distribution::dirichlet;
  u.categories = {"stopped_by_6_months", "stopped_6_to_12_months", "stopped_12_to_24_months",
                  "persistent_at_24_months"};
  for (const double share : shares) {
    if (!(share > 0)) {
      in.errors().add(
          in.location_of(path), path,
          "a Dirichlet needs every interval's share > 0: persistence must fall strictly "
          "from 1 through 6, 12 and 24 months and stay above 0");
      return;
    }
    u.alpha.push_back(*n * share);
  }
  u.set_shares = [drug](model::ModelParameters& m, const std::vector<double>& s) {
    auto& persistence = m.interventions.drugs[drug].persistence;
    persistence[0] = 1 - s[0];
    persistence[1] = persistence[0] - s[1];
    persistence[2] = s[3];
  };
  out.uncertain.push_back(std::move(u));
}

/// Loads and flattens one catalogue file; nullopt (with errors recorded) on failure.
std::optional<FlatTree> load_tree(const std::string& path, ErrorList& errors) {
  const auto root = load_yaml_file(path, errors);
  if (!root) return std::nullopt;
  if (!root->IsMap()) {
    errors.add_raw({path, 0}, "expected a mapping of keys at the top level");
    return std::nullopt;
  }
  FlatTree tree;
  const std::size_t before = errors.size();
  flatten(*root, "", {path, 0}, tree, errors);
  if (errors.size() != before) return std::nullopt;
  return tree;
}

void check_schema(FlatReader& in, ErrorList& errors) {
  if (const auto version = in.get_int("schema_version", 0, 1000000, Need::required)) {
    if (*version != 1) {
      errors.add(in.location_of("schema_version"), "schema_version",
                 "unsupported schema version " + std::to_string(*version) +
                     "; this osteosim reads version 1");
    }
  }
}

void read_drugs(const FlatTree& tree, const std::string& path, ErrorList& errors,
                Catalogue& catalogue) {
  FlatReader in(tree, errors, path);
  check_schema(in, errors);
  in.expect_mapping("drugs");
  const auto& out = catalogue.whole.interventions;
  const auto fields = drug_fields();
  for (int d = 0; d < model::kDrugs; ++d) {
    const std::string prefix = "drugs." + std::string(model::kDrugNames[d]);
    read_fields<DrugParameters>(
        in, prefix, fields,
        [d](model::ModelParameters& m) -> DrugParameters& { return m.interventions.drugs[d]; },
        catalogue);
    const auto& p = out.drugs[d].persistence;
    if (p[1] > p[0] || p[2] > p[1]) {
      errors.add(in.location_of(prefix + ".persistence_24_months"), prefix,
                 "persistence must not rise with time (6, 12, 24 months)");
    } else {
      read_persistence_distribution(in, prefix, d, catalogue);
    }
    if (out.drugs[d].offset_min_years > out.drugs[d].offset_max_years) {
      errors.add(in.location_of(prefix + ".offset_max_years"), prefix + ".offset_max_years",
                 "must not be below offset_min_years");
    }
  }
  in.report_unknown();
}

void read_interventions(const FlatTree& tree, const std::string& path, ErrorList& errors,
                        Catalogue& catalogue) {
  auto& out = catalogue.whole.interventions;
  FlatReader in(tree, errors, path);
  check_schema(in, errors);
  in.expect_mapping("programmes");
  const auto fields = programme_fields();
  for (int p = 0; p < model::kProgrammes; ++p) {
    read_fields<ProgrammeParameters>(
        in, "programmes." + std::string(model::kProgrammeNames[p]), fields,
        [p](model::ModelParameters& m) -> ProgrammeParameters& {
          return m.interventions.programmes[p];
        },
        catalogue);
  }
  in.expect_mapping("screening");
  out.dxa_precision_sd_g_cm2 =
      in.get_double("screening.dxa_precision_sd_g_cm2", {0, 0.5}, Need::required).value_or(0);
  for (int s = 0; s < model::kSexes; ++s) {
    out.ost_referral_below[s] =
        in.get_double("screening.ost_referral_below_" + std::string(model::kSexNames[s]), {-50, 50},
                      Need::required)
            .value_or(0);
  }
  in.expect_mapping("body_weight");
  constexpr std::array<const char*, model::kWeightBands> kBands{"50_59", "60_69", "70_79",
                                                                "80_plus"};
  for (int s = 0; s < model::kSexes; ++s) {
    for (int b = 0; b < model::kWeightBands; ++b) {
      out.body_weight.mean_kg[s][b] =
          in.get_double("body_weight.mean_kg_" + std::string(model::kSexNames[s]) + "_" + kBands[b],
                        {20, 300}, Need::required)
              .value_or(70);
    }
  }
  out.body_weight.cv = in.get_double("body_weight.cv", {0, 1}, Need::required).value_or(0.2);
  in.report_unknown();
}

}  // namespace

std::optional<Catalogue> load_intervention_catalogue(const std::string& model_dir,
                                                     ErrorList& errors,
                                                     std::vector<std::string>& files_read) {
  ErrorList own;
  Catalogue out;
  const std::string drugs_path = (fs::path(model_dir) / "drugs.yaml").string();
  const std::string interventions_path = (fs::path(model_dir) / "interventions.yaml").string();
  std::error_code ec;
  // A model without a catalogue describes the natural history only; a strategy that asks
  // for an intervention then gets an error naming the missing file.
  if (!fs::exists(drugs_path, ec) && !fs::exists(interventions_path, ec)) return std::nullopt;
  if (const auto tree = load_tree(drugs_path, own)) {
    files_read.push_back(drugs_path);
    read_drugs(*tree, drugs_path, own, out);
  }
  if (const auto tree = load_tree(interventions_path, own)) {
    files_read.push_back(interventions_path);
    read_interventions(*tree, interventions_path, own, out);
  }
  errors.append(own);
  if (!own.empty()) return std::nullopt;
  return out;
}

}  // namespace osteosim::config
