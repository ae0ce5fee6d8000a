#include "config/resolved_yaml.hpp"

#include <yaml-cpp/yaml.h>

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
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common]) ++common;
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
        << (s.population.sex ? std::string(model::kSexNames[static_cast<int>(*s.population.sex)]) : "both");
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
    out << YAML::EndMap;
  }
  out << YAML::Key << "strategies" << YAML::Value << YAML::BeginSeq;
  for (std::size_t i = 0; i < s.strategies.size(); ++i) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << s.strategies[i].name;
    if (i < parts.strategy_sets.size() && !parts.strategy_sets[i].empty()) {
      out << YAML::Key << "set" << YAML::Value << YAML::BeginMap;
      for (const auto& [path, value] : parts.strategy_sets[i]) out << YAML::Key << path << YAML::Value << value;
      out << YAML::EndMap;
    }
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
  out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace osteosim::config
