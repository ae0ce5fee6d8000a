#include "config/model_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>

#include "config/did_you_mean.hpp"
#include "config/flat_reader.hpp"
#include "config/uncertain_number.hpp"

namespace osteosim::config {
namespace fs = std::filesystem;
namespace {

using model::AgeTable;
using model::ModelParameters;

/// One key of model.yaml: a number with its allowed range, or a CSV table.
struct Field {
  std::string path;
  std::optional<Range> range;      // numbers
  std::optional<TableSpec> table;  // tables
  std::function<double&(ModelParameters&)> number;
  std::function<AgeTable&(ModelParameters&)> table_ref;
  bool optional = false;  // tables written by `osteosim calibrate`: absent = 1
};

// Ranges from the model-file contract: probabilities, prevalences, shares in [0,1]; relative
// risks in (0,100]; BMD in (0,2] g/cm2; BMD loss fractions in [-0.1,0.2] per year; ages in
// [0,120].
const Range kProbability{0, 1};
const Range kRelativeRisk{0, 100, true, false};
const Range kBmd{0, 2, true, false};
const Range kLossFraction{-0.1, 0.2};
const Range kAge{0, 120};
const Range kPositiveAge{0, 120, true, false};

TableSpec age_table(Range values, double scale = 1) { return {"age", kAge, values, scale}; }
TableSpec years_since_table(Range values) { return {"years_since_fracture", kAge, values, 1}; }

// Incidence tables are per 100,000 person-years in the files (as published) and per
// person-year in the model.
const TableSpec kIncidencePer100k = age_table({0, 1e5}, 1e-5);

std::vector<Field> make_fields() {
  std::vector<Field> f;
  const auto number = [&f](std::string path, Range range,
                           std::function<double&(ModelParameters&)> ref) {
    f.push_back({std::move(path), range, std::nullopt, std::move(ref), nullptr});
  };
  const auto table = [&f](std::string path, TableSpec spec,
                          std::function<AgeTable&(ModelParameters&)> ref) {
    f.push_back({std::move(path), std::nullopt, std::move(spec), nullptr, std::move(ref)});
  };
  const auto calibration_table = [&f](std::string path,
                                      std::function<AgeTable&(ModelParameters&)> ref) {
    // Multipliers fitted by `osteosim calibrate` (age band lower bounds, by sex).
    f.push_back(
        {std::move(path), std::nullopt, age_table(kRelativeRisk), nullptr, std::move(ref), true});
  };
  // Persons by age: any count a national population can have.
  table("demography.population_table", age_table({0, 1e10}),
        [](ModelParameters& p) -> AgeTable& { return p.demography.population; });
  // Persons turning 50 by calendar year (open populations only, so optional).
  f.push_back({"demography.entrants_table", std::nullopt,
               TableSpec{"year", {1900, 2200}, {0, 1e10}, 1}, nullptr,
               [](ModelParameters& p) -> AgeTable& { return p.demography.entrants_age50; }, true});

  number("bone.reference_mean_g_cm2", kBmd,
         [](ModelParameters& p) -> double& { return p.bone.reference_mean_g_cm2; });
  number("bone.reference_sd_g_cm2", kBmd,
         [](ModelParameters& p) -> double& { return p.bone.reference_sd_g_cm2; });
  table("bone.mean_bmd_table", age_table(kBmd),
        [](ModelParameters& p) -> AgeTable& { return p.bone.mean_bmd_g_cm2; });
  table("bone.sd_bmd_table", age_table(kBmd),
        [](ModelParameters& p) -> AgeTable& { return p.bone.sd_bmd_g_cm2; });
  table("bone.annual_loss_table", age_table(kLossFraction),
        [](ModelParameters& p) -> AgeTable& { return p.bone.annual_loss_fraction; });
  // Zero individual variation (CV, SD of menopause age) is allowed: it is the limit case the
  // validation tests use to compare with closed-form results.
  number("bone.loss_individual_cv", {0, 5},
         [](ModelParameters& p) -> double& { return p.bone.loss_individual_cv; });
  number("bone.menopause_age_mean_years", kPositiveAge,
         [](ModelParameters& p) -> double& { return p.bone.menopause_age_mean_years; });
  number("bone.menopause_age_sd_years", {0, 20},
         [](ModelParameters& p) -> double& { return p.bone.menopause_age_sd_years; });
  number(
      "bone.menopause_extra_loss_fraction_per_year", kLossFraction,
      [](ModelParameters& p) -> double& { return p.bone.menopause_extra_loss_fraction_per_year; });
  // Times relative to the final menstrual period.
  number("bone.menopause_extra_loss_start_years", {-20, 20},
         [](ModelParameters& p) -> double& { return p.bone.menopause_extra_loss_start_years; });
  number("bone.menopause_extra_loss_end_years", {-20, 20},
         [](ModelParameters& p) -> double& { return p.bone.menopause_extra_loss_end_years; });

  for (int r = 0; r < model::kRiskFactors; ++r) {
    const std::string base = "risk_factors." + std::string(model::kRiskFactorNames[r]) + ".";
    for (int s = 0; s < model::kSexes; ++s) {
      number(base + "prevalence_" + std::string(model::kSexNames[s]), kProbability,
             [r, s](ModelParameters& p) -> double& { return p.risk_factors[r].prevalence[s]; });
    }
    for (int k = 0; k < model::kFractureProcesses; ++k) {
      number(base + "rr_" + std::string(model::kFractureProcessNames[k]), kRelativeRisk,
             [r, k](ModelParameters& p) -> double& { return p.risk_factors[r].rr[k]; });
    }
  }

  table("falls.annual_rate_table", age_table({0, 100}),
        [](ModelParameters& p) -> AgeTable& { return p.falls.annual_rate; });
  number("falls.annual_rate_scale", {0, 10},
         [](ModelParameters& p) -> double& { return p.falls.annual_rate_scale; });
  number("falls.rr_after_fall_in_last_year", kRelativeRisk,
         [](ModelParameters& p) -> double& { return p.falls.rr_after_fall_in_last_year; });

  for (int k = 0; k < model::kFractureProcesses; ++k) {
    const std::string base = "fractures." + std::string(model::kFractureProcessNames[k]) + ".";
    // Keys by the site registry: what the incidence table counts, and fall-relatedness.
    const bool clinical_only = model::counts_clinical_only(k);
    table(base + (clinical_only ? "clinical_incidence_table" : "incidence_table"),
          kIncidencePer100k, [k](ModelParameters& p) -> AgeTable& {
            return p.fractures.site[k].incidence_per_person_year;
          });
    if (clinical_only) {
      number(base + "clinical_fraction", {0, 1, true, false},
             [](ModelParameters& p) -> double& { return p.fractures.vertebral_clinical_fraction; });
    }
    number(base + "rr_per_sd_decrease", kRelativeRisk,
           [k](ModelParameters& p) -> double& { return p.fractures.site[k].rr_per_sd_decrease; });
    if (model::process_entry(k).fall_related) {
      number(base + "fall_share", kProbability,
             [k](ModelParameters& p) -> double& { return p.fractures.site[k].fall_share; });
    }
    calibration_table(base + "calibration_multiplier_table", [k](ModelParameters& p) -> AgeTable& {
      return p.fractures.site[k].calibration_multiplier;
    });
  }
  table("fractures.prior_fracture_prevalence_table", age_table(kProbability),
        [](ModelParameters& p) -> AgeTable& { return p.fractures.prior_fracture_prevalence; });
  table("fractures.rr_by_years_since_fracture_table", years_since_table(kRelativeRisk),
        [](ModelParameters& p) -> AgeTable& { return p.fractures.rr_by_years_since_fracture; });

  table("mortality.life_table", age_table(kProbability),
        [](ModelParameters& p) -> AgeTable& { return p.mortality.annual_death_probability; });
  table("mortality.rr_after_hip_fracture_table", years_since_table(kRelativeRisk),
        [](ModelParameters& p) -> AgeTable& { return p.mortality.rr_after_hip_fracture; });
  table("mortality.rr_after_vertebral_fracture_table", years_since_table(kRelativeRisk),
        [](ModelParameters& p) -> AgeTable& { return p.mortality.rr_after_vertebral_fracture; });
  calibration_table("mortality.background_multiplier_table", [](ModelParameters& p) -> AgeTable& {
    return p.mortality.background_multiplier;
  });
  return f;
}

const std::vector<Field>& fields() {
  static const std::vector<Field> all = make_fields();
  return all;
}

std::vector<std::string> split_colons(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto colon = text.find(':', start);
    const auto part =
        text.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!part.empty()) parts.push_back(part);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return parts;
}

}  // namespace

const std::vector<std::string>& model_parameter_paths() {
  static const std::vector<std::string> paths = [] {
    std::vector<std::string> out;
    for (const auto& f : fields()) out.push_back(f.path);
    return out;
  }();
  return paths;
}

std::vector<std::pair<std::string, std::string>> model_as_flat_text(
    const model::ModelParameters& parameters) {
  auto copy = parameters;  // the accessors hand out non-const references
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : fields()) {
    if (f.optional && f.table_ref(copy).empty()) continue;
    out.emplace_back(f.path,
                     f.range ? format_number(f.number(copy)) : f.table_ref(copy).source_file);
  }
  return out;
}

namespace {

/// <dir of the running executable>/../share/osteosim/models (the install layout), if the
/// executable can be found.
std::optional<fs::path> installed_models_dir() {
#ifdef OSTEOSIM_INSTALLED_MODELS_RELDIR
  // /proc/self/exe, not argv[0]: it is the real file even when osteosim is started through
  // PATH or a symbolic link, so an installed tree can be moved as a whole.
  std::error_code ec;
  const fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (!ec) return (exe.parent_path() / OSTEOSIM_INSTALLED_MODELS_RELDIR).lexically_normal();
#endif
  return std::nullopt;
}

}  // namespace

std::vector<fs::path> model_search_roots(const std::string& scenario_file) {
  std::vector<fs::path> roots;
  // The user's explicit choice comes first, so that it can replace a shipped model.
  if (const char* env = std::getenv("OSTEOSIM_MODEL_PATH")) {
    for (const auto& dir : split_colons(env)) roots.emplace_back(dir);
  }
  // A project keeps scenarios/ and models/ side by side (the source tree, an install's
  // share/osteosim, a user's own folder).
  roots.push_back((fs::path(scenario_file).parent_path() / ".." / "models").lexically_normal());
  // An installed osteosim needs no source tree: its models are beside the executable.
  if (auto installed = installed_models_dir()) roots.push_back(std::move(*installed));
#ifdef OSTEOSIM_MODELS_DIR
  // Last, the source tree the binary was built from (a build-tree binary).
  roots.emplace_back(OSTEOSIM_MODELS_DIR);
#endif
  return roots;
}

std::optional<std::string> find_model_dir(const std::string& name, const std::string& scenario_file,
                                          const Location& where, ErrorList& errors) {
  const auto roots = model_search_roots(scenario_file);
  std::string looked;
  std::set<std::string> available;
  for (const auto& root : roots) {
    const fs::path candidate = root / name / "model.yaml";
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return (root / name).string();
    looked += (looked.empty() ? "" : ", ") + candidate.string();
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
      if (fs::is_regular_file(it->path() / "model.yaml", ec))
        available.insert(it->path().filename().string());
    }
  }
  const std::vector<std::string> names(available.begin(), available.end());
  errors.add(
      where, "model",
      "model '" + name + "' not found" + did_you_mean(name, names) + "; looked for " + looked);
  return std::nullopt;
}

ModelLoader::ModelLoader(std::string model_dir, ErrorList& errors)
    : dir_(std::move(model_dir)), errors_(errors) {
  yaml_path_ = (fs::path(dir_) / "model.yaml").string();
}

bool ModelLoader::load() {
  const auto root = load_yaml_file(yaml_path_, errors_);
  if (!root) return false;
  files_read_.push_back(yaml_path_);
  if (!root->IsMap()) {
    errors_.add_raw({yaml_path_, 0}, root->IsNull()
                                         ? "the model file is empty"
                                         : "expected a mapping of keys at the top level");
    return false;
  }
  const std::size_t before = errors_.size();
  flatten(*root, "", {yaml_path_, 0}, tree_, errors_);
  return errors_.size() == before;
}

std::optional<model::AgeTable> ModelLoader::read_table(const Entry& entry, const std::string& key,
                                                       const TableSpec& spec, ErrorList& errors) {
  if (!entry.node.IsScalar() || entry.node.Scalar().empty()) {
    errors.add(entry.where, key, "expected the path of a CSV table, got " + describe(entry.node));
    return std::nullopt;
  }
  const std::string value = entry.node.Scalar();
  const fs::path relative(value);
  // Tables belong to the model: a model folder must be self-contained so that it can be
  // copied, checksummed and cited as one thing.
  if (relative.is_absolute()) {
    errors.add(
        entry.where, key,
        "table path '" + value + "' is absolute; give a path relative to the model folder " + dir_);
    return std::nullopt;
  }
  const fs::path normal = relative.lexically_normal();
  if (normal.empty() || *normal.begin() == "..") {
    errors.add(entry.where, key, "table path '" + value + "' leaves the model folder " + dir_);
    return std::nullopt;
  }
  const fs::path full = fs::path(dir_) / normal;
  const std::string shown = full.string();
  std::error_code ec;
  const auto status = fs::status(full, ec);
  if (ec || !fs::exists(status)) {
    errors.add(entry.where, key, "table file not found: " + shown);
    return std::nullopt;
  }
  if (fs::is_directory(status)) {
    errors.add(entry.where, key, "table path " + shown + " is a directory, not a CSV file");
    return std::nullopt;
  }
  // A symbolic link could still lead outside the folder.
  const auto real_dir = fs::weakly_canonical(dir_, ec);
  const auto real_file = fs::weakly_canonical(full, ec);
  const auto rel = real_file.lexically_relative(real_dir);
  if (ec || rel.empty() || *rel.begin() == "..") {
    errors.add(entry.where, key,
               "table path '" + value + "' leads outside the model folder " + dir_);
    return std::nullopt;
  }
  const std::string cache_key = shown + "|" + key;
  if (auto it = table_cache_.find(cache_key); it != table_cache_.end()) return it->second;
  const std::string context = "table of key '" + key + "' at " + to_string(entry.where);
  auto table = read_csv_table(shown, spec, context, errors);
  if (std::find(files_read_.begin(), files_read_.end(), shown) == files_read_.end()) {
    files_read_.push_back(shown);
  }
  table_cache_.emplace(cache_key, table);
  return table;
}

void ModelLoader::check_name_matches_folder(const FlatReader& in, const std::string& name,
                                            ErrorList& errors) const {
  // Scenarios name a model by its folder; result files record model.yaml's `name`. If the two
  // differ, a result would be labelled with a model other than the one that was run.
  const std::string folder = fs::path(dir_).filename().string();
  if (name.empty() || name == folder) return;
  errors.add(in.location_of("name"), "name",
             "model name '" + name + "' differs from its folder name '" + folder + "' (" + dir_ +
                 "): rename the folder or set name: " + folder);
}

std::optional<model::ModelParameters> ModelLoader::read(
    const FlatTree& tree, std::vector<model::UncertainParameter>* uncertain) {
  // Problems go to a list of their own first: the shared list drops repeats (the same model
  // is read once per strategy), so its size cannot tell whether this read failed.
  ErrorList errors;
  bool failed = false;
  FlatReader in(tree, errors, yaml_path_);
  if (const auto version = in.get_int("schema_version", 0, 1000000, Need::required)) {
    if (*version != 1) {
      errors.add(in.location_of("schema_version"), "schema_version",
                 "unsupported model schema version " + std::to_string(*version) +
                     "; this osteosim reads version 1");
    }
  }
  model::ModelParameters parameters;
  std::vector<model::UncertainParameter> numbers;
  parameters.name = in.get_string("name", Need::required).value_or("");
  check_name_matches_folder(in, parameters.name, errors);
  description_ = in.get_string("description", Need::optional).value_or("");
  for (const auto& f : fields()) {
    for (std::string p = parent_path(f.path); !p.empty(); p = parent_path(p)) in.expect_mapping(p);
    if (f.range) {
      read_number_into(in, f.path, *f.range, f.number, parameters, numbers);
    } else if (const Entry* e = in.take(f.path, f.optional ? Need::optional : Need::required)) {
      if (auto t = read_table(*e, f.path, *f.table, errors)) {
        f.table_ref(parameters) = std::move(*t);
      } else {
        failed = true;  // a cached failure adds no new error
      }
    }
  }
  const auto& bone = parameters.bone;
  if (errors.empty() && !failed &&
      bone.menopause_extra_loss_start_years > bone.menopause_extra_loss_end_years) {
    errors.add(in.location_of("bone.menopause_extra_loss_end_years"),
               "bone.menopause_extra_loss_end_years",
               "must not be before bone.menopause_extra_loss_start_years (" +
                   format_number(bone.menopause_extra_loss_start_years) + ")");
  }
  in.report_unknown();
  errors_.append(errors);
  if (failed || !errors.empty()) return std::nullopt;
  if (uncertain) *uncertain = std::move(numbers);
  return parameters;
}

}  // namespace osteosim::config
