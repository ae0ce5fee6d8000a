#include "config/strategy_policy.hpp"

#include <algorithm>
#include <limits>

#include "config/did_you_mean.hpp"

namespace osteosim::config {
namespace {

using model::InterventionParameters;

const Range kProbability{0, 1};
const Range kAgeYears{0, 200};
const Range kRunYears{0, 200};
/// Placeholder course length until the catalogue is known (resolve_strategy_policy).
constexpr double kCatalogueCourseYears = -1;

std::vector<std::string> drug_names() {
  return {model::kDrugNames.begin(), model::kDrugNames.end()};
}

std::optional<bool> get_bool(FlatReader& in, const std::string& path) {
  const auto text = in.get_enum(path, {"true", "false"}, Need::optional);
  if (!text) return std::nullopt;
  return *text == "true";
}

void read_eligibility(FlatReader& in, const std::string& path, model::Eligibility& e) {
  in.expect_mapping(path);
  if (const auto sex = in.get_enum(path + ".sex", {"female", "male", "both"}, Need::optional)) {
    if (*sex == "female") e.sex = model::Sex::female;
    if (*sex == "male") e.sex = model::Sex::male;
  }
  e.min_age_years = in.get_double(path + ".min_age", kAgeYears, Need::optional).value_or(0);
  e.max_age_years = in.get_double(path + ".max_age", kAgeYears, Need::optional).value_or(200);
  e.requires_risk_factor = get_bool(in, path + ".requires_risk_factor").value_or(false);
  if (e.max_age_years <= e.min_age_years) {
    in.errors().add(in.location_of(path + ".max_age"), path + ".max_age",
                    "must be above min_age (the upper bound is exclusive)");
  }
}

/// `drug: alendronate` (one course of the catalogue's course_years) or a sequence
/// `drug: [teriparatide: 2, alendronate: 5]`.
model::Regimen read_regimen(FlatReader& in, const std::string& prefix) {
  model::Regimen regimen;
  regimen.uptake = in.get_double(prefix + ".treatment_uptake", kProbability, Need::optional).value_or(1);
  const std::string path = prefix + ".drug";
  const Entry* entry = in.take(path, Need::required);
  if (!entry) return regimen;
  const auto add = [&](const std::string& name, const YAML::Node* years_node) {
    const auto& names = model::kDrugNames;
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      in.errors().add(entry->where, path,
                      "unknown drug '" + name + "'" + did_you_mean(name, drug_names()) +
                          "; the catalogue has " + [] {
                            std::string all;
                            for (auto n : model::kDrugNames) all += (all.empty() ? "" : ", ") + std::string(n);
                            return all;
                          }());
      return;
    }
    const auto drug = static_cast<model::Drug>(it - names.begin());
    double years = kCatalogueCourseYears;
    if (years_node) {
      const auto x = years_node->IsScalar() ? parse_number(years_node->Scalar()) : std::nullopt;
      if (!x || *x <= 0 || *x > 50) {
        in.errors().add(entry->where, path,
                        "years of " + name + " must be a number in (0, 50], got " + describe(*years_node));
        return;
      }
      years = *x;
    }
    regimen.courses.push_back({drug, years});
  };
  const YAML::Node& node = entry->node;
  if (node.IsScalar()) {
    add(node.Scalar(), nullptr);
  } else if (node.IsSequence() && node.size() > 0) {
    for (const auto& item : node) {
      if (item.IsScalar()) {
        add(item.Scalar(), nullptr);
      } else if (item.IsMap() && item.size() == 1) {
        const auto pair = *item.begin();
        const YAML::Node years = pair.second;
        add(pair.first.Scalar(), &years);
      } else {
        in.errors().add(entry->where, path,
                        "each course is a drug name or 'drug: years', got " + describe(item));
      }
    }
  } else {
    in.errors().add(entry->where, path,
                    "expected a drug name or a list of courses such as [teriparatide: 2, "
                    "alendronate: 5], got " + describe(node));
  }
  return regimen;
}

void read_screening(FlatReader& in, const std::string& path, model::ScreeningPolicy& s) {
  in.expect_mapping(path);
  s.enabled = true;
  read_eligibility(in, path + ".eligible", s.eligible);
  s.start_years = in.get_double(path + ".start_years", kRunYears, Need::optional).value_or(0);
  s.interval_years = in.get_double(path + ".interval_years", {0, 100, true, false}, Need::required).value_or(5);
  s.uptake = in.get_double(path + ".uptake", kProbability, Need::required).value_or(1);
  in.get_enum(path + ".test", {"dxa"}, Need::optional);
  const auto tool = in.get_enum(path + ".prescreen", {"none", "ost", "fracture_probability"}, Need::optional);
  if (tool == "ost") s.prescreen = model::PrescreenTool::ost;
  if (tool == "fracture_probability") {
    s.prescreen = model::PrescreenTool::fracture_probability;
    s.prescreen_probability_min =
        in.get_double(path + ".prescreen_probability_min", kProbability, Need::required).value_or(0);
  }
  s.prescreen_max_age_years =
      in.get_double(path + ".prescreen_max_age", kAgeYears, Need::optional).value_or(200);
  in.expect_mapping(path + ".treat_if");
  s.treat_t_score_max = in.get_double(path + ".treat_if.t_score_max", {-10, 5}, Need::optional)
                            .value_or(-std::numeric_limits<double>::infinity());
  s.treat_probability_min = in.get_double(path + ".treat_if.probability_min", kProbability, Need::optional)
                                .value_or(std::numeric_limits<double>::infinity());
  s.treat_prior_fracture = get_bool(in, path + ".treat_if.prior_fracture").value_or(false);
  if (!in.find(path + ".treat_if")) in.missing(path + ".treat_if", "say whom a DXA result leads to treat");
  s.regimen = read_regimen(in, path);
}

void read_liaison(FlatReader& in, const std::string& path, model::FractureLiaisonPolicy& f) {
  in.expect_mapping(path);
  f.enabled = true;
  f.start_years = in.get_double(path + ".start_years", kRunYears, Need::optional).value_or(0);
  f.min_age_years = in.get_double(path + ".min_age", kAgeYears, Need::optional).value_or(0);
  f.uptake = in.get_double(path + ".uptake", kProbability, Need::required).value_or(1);
  f.regimen = read_regimen(in, path);
}

void read_programme(FlatReader& in, const std::string& path, bool choose_programme,
                    model::InterventionPolicy& policy) {
  in.expect_mapping(path);
  model::ProgrammePolicy p;
  p.programme = model::Programme::calcium_vitamin_d;
  if (choose_programme) {
    const auto name = in.get_enum(path + ".programme", {"exercise", "home_hazard_removal"}, Need::required);
    p.programme = name == "home_hazard_removal" ? model::Programme::home_hazard_removal
                                                : model::Programme::exercise;
  }
  // Eligibility keys sit directly in the programme's mapping.
  if (const auto sex = in.get_enum(path + ".sex", {"female", "male", "both"}, Need::optional)) {
    if (*sex == "female") p.eligible.sex = model::Sex::female;
    if (*sex == "male") p.eligible.sex = model::Sex::male;
  }
  p.eligible.min_age_years = in.get_double(path + ".min_age", kAgeYears, Need::optional).value_or(0);
  p.eligible.max_age_years = in.get_double(path + ".max_age", kAgeYears, Need::optional).value_or(200);
  p.start_years = in.get_double(path + ".start_years", kRunYears, Need::optional).value_or(0);
  p.uptake = in.get_double(path + ".uptake", kProbability, Need::required).value_or(1);
  policy.programmes.push_back(p);
}

}  // namespace

model::InterventionPolicy read_strategy_policy(FlatReader& in, const std::string& prefix) {
  model::InterventionPolicy policy;
  const auto present = [&](const std::string& key) {
    in.mark_known(prefix + "." + key);
    return in.find(prefix + "." + key) != nullptr;
  };
  if (present("screening")) read_screening(in, prefix + ".screening", policy.screening);
  if (present("fracture_liaison")) read_liaison(in, prefix + ".fracture_liaison", policy.fracture_liaison);
  if (present("fall_prevention")) read_programme(in, prefix + ".fall_prevention", true, policy);
  if (present("calcium_vitamin_d")) read_programme(in, prefix + ".calcium_vitamin_d", false, policy);
  return policy;
}

void resolve_strategy_policy(model::InterventionPolicy& policy,
                             const InterventionParameters* catalogue, const Location& where,
                             const std::string& model_dir, ErrorList& errors) {
  if (!policy.any()) return;
  if (!catalogue) {
    errors.add(where, "strategies",
               "this strategy uses interventions but the model has no intervention catalogue "
               "(drugs.yaml and interventions.yaml in " + model_dir + ")");
    return;
  }
  for (model::Regimen* regimen : {&policy.screening.regimen, &policy.fracture_liaison.regimen}) {
    for (model::Course& course : regimen->courses) {
      if (course.years == kCatalogueCourseYears) {
        course.years = catalogue->drugs[static_cast<int>(course.drug)].course_years;
      }
    }
  }
}

}  // namespace osteosim::config
