#include "config/resolved_yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <array>
#include <cmath>

#include "config/flat_reader.hpp"
#include "config/model_loader.hpp"

namespace osteosim::config {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

// Emits (dotted path, value) pairs as nested block mappings. Pairs that share a prefix must be
// adjacent, as they are in file order.
void emit_nested(YAML::Emitter& out, const FlatText& pairs) {
  std::vector<std::string> open;
  for (const auto& [path, value] : pairs) {
    const auto parts = split_path(path);
    std::size_t common = 0;
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common])
      ++common;
    while (open.size() > common) {
      out << YAML::EndMap;
      open.pop_back();
    }
    for (std::size_t i = common; i + 1 < parts.size(); ++i) {
      out << YAML::Key << parts[i] << YAML::Value << YAML::BeginMap;
      open.push_back(parts[i]);
    }
    out << YAML::Key << parts.back() << YAML::Value << value;
  }
  while (!open.empty()) {
    out << YAML::EndMap;
    open.pop_back();
  }
}

// A strategy's interventions as resolved (catalogue course lengths filled in, defaults
// explicit), with the keys of a scenario file's `strategies:` entry, so that a result file
// says which policy it simulated and the section can be read back as a scenario.

void emit_eligibility(YAML::Emitter& out, const model::Eligibility& e) {
  out << YAML::Key << "sex" << YAML::Value
      << (e.sex ? std::string(model::kSexNames[static_cast<int>(*e.sex)]) : "both");
  out << YAML::Key << "min_age" << YAML::Value << format_number(e.min_age_years);
  out << YAML::Key << "max_age" << YAML::Value << format_number(e.max_age_years);
}

void emit_regimen(YAML::Emitter& out, const model::Regimen& regimen) {
  out << YAML::Key << "drug" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const model::Course& course : regimen.courses) {
    out << YAML::BeginMap << YAML::Key
        << std::string(model::kDrugNames[static_cast<int>(course.drug)]) << YAML::Value
        << format_number(course.years) << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "treatment_uptake" << YAML::Value << format_number(regimen.uptake);
}

void emit_screening(YAML::Emitter& out, const model::ScreeningPolicy& s) {
  static constexpr std::array<const char*, 3> kPrescreenNames{"none", "ost",
                                                              "fracture_probability"};
  out << YAML::Key << "screening" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "eligible" << YAML::Value << YAML::Flow << YAML::BeginMap;
  emit_eligibility(out, s.eligible);
  out << YAML::Key << "requires_risk_factor" << YAML::Value << s.eligible.requires_risk_factor;
  out << YAML::EndMap;
  out << YAML::Key << "start_years" << YAML::Value << format_number(s.start_years);
  out << YAML::Key << "interval_years" << YAML::Value << format_number(s.interval_years);
  out << YAML::Key << "uptake" << YAML::Value << format_number(s.uptake);
  out << YAML::Key << "prescreen" << YAML::Value << kPrescreenNames[static_cast<int>(s.prescreen)];
  if (s.prescreen != model::PrescreenTool::none) {
    out << YAML::Key << "prescreen_max_age" << YAML::Value
        << format_number(s.prescreen_max_age_years);
  }
  if (s.prescreen == model::PrescreenTool::fracture_probability) {
    out << YAML::Key << "prescreen_probability_min" << YAML::Value
        << format_number(s.prescreen_probability_min);
  }
  out << YAML::Key << "test" << YAML::Value << "dxa";
  out << YAML::Key << "treat_if" << YAML::Value << YAML::Flow << YAML::BeginMap;
  if (std::isfinite(s.treat_t_score_max)) {
    out << YAML::Key << "t_score_max" << YAML::Value << format_number(s.treat_t_score_max);
  }
  if (std::isfinite(s.treat_probability_min)) {
    out << YAML::Key << "probability_min" << YAML::Value << format_number(s.treat_probability_min);
  }
  out << YAML::Key << "prior_fracture" << YAML::Value << s.treat_prior_fracture;
  out << YAML::EndMap;
  emit_regimen(out, s.regimen);
  out << YAML::EndMap;
}

void emit_liaison(YAML::Emitter& out, const model::FractureLiaisonPolicy& f) {
  out << YAML::Key << "fracture_liaison" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "start_years" << YAML::Value << format_number(f.start_years);
  out << YAML::Key << "min_age" << YAML::Value << format_number(f.min_age_years);
  out << YAML::Key << "uptake" << YAML::Value << format_number(f.uptake);
  emit_regimen(out, f.regimen);
  out << YAML::EndMap;
}

void emit_programme(YAML::Emitter& out, const model::ProgrammePolicy& p) {
  // Calcium and vitamin D has its own key; the fall-prevention key names its programme.
  const bool calcium = p.programme == model::Programme::calcium_vitamin_d;
  out << YAML::Key << (calcium ? "calcium_vitamin_d" : "fall_prevention") << YAML::Value
      << YAML::BeginMap;
  if (!calcium) {
    out << YAML::Key << "programme" << YAML::Value
        << std::string(model::kProgrammeNames[static_cast<int>(p.programme)]);
  }
  emit_eligibility(out, p.eligible);
  out << YAML::Key << "start_years" << YAML::Value << format_number(p.start_years);
  out << YAML::Key << "uptake" << YAML::Value << format_number(p.uptake);
  out << YAML::EndMap;
}

void emit_policy(YAML::Emitter& out, const model::InterventionPolicy& policy) {
  if (policy.screening.enabled) emit_screening(out, policy.screening);
  if (policy.fracture_liaison.enabled) emit_liaison(out, policy.fracture_liaison);
  for (const model::ProgrammePolicy& programme : policy.programmes) emit_programme(out, programme);
}

/// Every number of the model's files that the PSA and the one-way analysis may vary, with
/// its value and, where declared, its distribution.
void emit_parameters(YAML::Emitter& out, const std::vector<model::UncertainParameter>& numbers) {
  out << YAML::Key << "parameters" << YAML::Value << YAML::BeginMap;
  for (const model::UncertainParameter& p : numbers) {
    out << YAML::Key << p.name << YAML::Value;
    if (p.distribution == model::Distribution::fixed) {
      out << format_number(p.value);
      continue;
    }
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "value" << YAML::Value << format_number(p.value);
    out << YAML::Key << "distribution" << YAML::Value
        << std::string(model::kDistributionNames[static_cast<int>(p.distribution)]);
    if (p.distribution == model::Distribution::dirichlet) {
      out << YAML::Key << "alpha" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (double a : p.alpha) out << format_number(a);
      out << YAML::EndSeq;
    } else if (p.log_sd > 0) {
      out << YAML::Key << "log_sd" << YAML::Value << format_number(p.log_sd);
    } else {
      out << YAML::Key << "se" << YAML::Value << format_number(p.se);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

}  // namespace

std::string emit_resolved_yaml(const ResolvedParts& parts) {
  const Scenario& s = *parts.scenario;
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "scenario" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "schema_version" << YAML::Value << 1;
  out << YAML::Key << "name" << YAML::Value << s.name;
  if (!s.description.empty()) out << YAML::Key << "description" << YAML::Value << s.description;
  out << YAML::Key << "source_file" << YAML::Value << s.source_file;
  out << YAML::Key << "model" << YAML::Value << s.model_name;
  out << YAML::Key << "population" << YAML::Value << YAML::BeginMap;
  const bool cohort = s.population.kind == PopulationKind::cohort;
  out << YAML::Key << "kind" << YAML::Value << population_kind_name(s.population.kind);
  if (cohort) {
    out << YAML::Key << "sex" << YAML::Value
        << (s.population.sex ? std::string(model::kSexNames[static_cast<int>(*s.population.sex)])
                             : "both");
    out << YAML::Key << "age" << YAML::Value << format_number(s.population.age_years);
  }
  out << YAML::Key << "agents" << YAML::Value << s.population.agents;
  out << YAML::EndMap;
  out << YAML::Key << "years" << YAML::Value << s.years;
  out << YAML::Key << "start_year" << YAML::Value << s.start_year;
  out << YAML::Key << "time_step_months" << YAML::Value << s.time_step_months;
  out << YAML::Key << "seed" << YAML::Value << s.seed;
  if (s.microdata_agents > 0) {
    out << YAML::Key << "microdata_agents" << YAML::Value << s.microdata_agents;
  }
  if (s.psa.draws > 0) {
    out << YAML::Key << "psa" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "draws" << YAML::Value << s.psa.draws;
    out << YAML::Key << "agents_per_draw" << YAML::Value << s.psa.agents_per_draw;
    if (s.psa.noise_share > 0) {
      out << YAML::Key << "noise_share" << YAML::Value << format_number(s.psa.noise_share);
      out << YAML::Key << "pilot_draws" << YAML::Value << s.psa.pilot_draws;
    }
    out << YAML::EndMap;
  }
  if (!s.strategies.empty()) {
    const model::WillingnessToPay& wtp =
        s.strategies.front().parameters.economics.willingness_to_pay;
    out << YAML::Key << "willingness_to_pay" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "grid_max_per_qaly" << YAML::Value << format_number(wtp.grid_max_per_qaly);
    out << YAML::Key << "grid_step_per_qaly" << YAML::Value
        << format_number(wtp.grid_step_per_qaly);
    out << YAML::Key << "thresholds_per_qaly" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (double t : wtp.thresholds_per_qaly) out << format_number(t);
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::Key << "strategies" << YAML::Value << YAML::BeginSeq;
  for (std::size_t i = 0; i < s.strategies.size(); ++i) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << s.strategies[i].name;
    if (i < parts.strategy_sets.size() && !parts.strategy_sets[i].empty()) {
      out << YAML::Key << "set" << YAML::Value << YAML::BeginMap;
      for (const auto& [path, value] : parts.strategy_sets[i])
        out << YAML::Key << path << YAML::Value << value;
      out << YAML::EndMap;
    }
    emit_policy(out, s.strategies[i].interventions);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::EndMap;

  out << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "schema_version" << YAML::Value << 1;
  out << YAML::Key << "name" << YAML::Value << parts.model->name;
  if (!parts.model_description.empty()) {
    out << YAML::Key << "description" << YAML::Value << parts.model_description;
  }
  out << YAML::Key << "folder" << YAML::Value << parts.model_dir;
  emit_nested(out, model_as_flat_text(*parts.model));
  emit_parameters(out, s.uncertainty);
  out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace osteosim::config
