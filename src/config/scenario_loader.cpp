// Scenario files -> config::Scenario: the extends chain, command-line overrides, the model
// with its `set:` layers, strategies, and every problem of a file reported at once.
#include <algorithm>
#include <filesystem>
#include <map>

#include "common/error.hpp"
#include "config/did_you_mean.hpp"
#include "config/economics_loader.hpp"
#include "config/flat_reader.hpp"
#include "config/intervention_loader.hpp"
#include "config/model_loader.hpp"
#include "config/resolved_yaml.hpp"
#include "config/scenario.hpp"
#include "config/strategy_policy.hpp"
#include "config/yaml_tree.hpp"

namespace osteosim::config {
namespace fs = std::filesystem;
namespace {

const std::string kCommandLineSet = "command line --set";
/// Keys of a scenario that `--set` overrides directly; any other `--set` names a model parameter.
/// psa: `--set psa.agents_per_draw=256` runs a shipped CEA's PSA small (tests/cli).
const std::vector<std::string> kScenarioKeys = {"name",  "description",      "population",
                                                "years", "start_year",       "time_step_months",
                                                "seed",  "microdata_agents", "psa"};
/// Deep enough for any sensible layering; the cycle check catches loops before this.
constexpr int kMaxExtendsDepth = 16;

std::string normal(const fs::path& p) { return p.lexically_normal().string(); }

bool is_name(const std::string& text) {
  if (text.empty() || text.size() > 100) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string first_component(const std::string& path) { return path.substr(0, path.find('.')); }

/// One parsed scenario file of an extends chain.
struct ChainFile {
  std::string path;
  FlatTree tree;
};

/// A model-parameter override from `set:` (scenario, strategy or command line).
struct SetOverride {
  std::string parameter;  ///< dotted path in model.yaml
  Entry entry;            ///< value and where it was given
};

/// Loads `path` and the files it extends, base first. Records problems; returns an empty
/// chain if the files cannot be merged.
std::vector<ChainFile> load_chain(const std::string& path, ErrorList& errors) {
  std::vector<ChainFile> chain;  // top first while loading
  std::vector<std::string> canonical;
  std::string next = path;
  for (int depth = 0; !next.empty(); ++depth) {
    ChainFile file{next, {}};
    const std::size_t before = errors.size();
    const auto root = load_yaml_file(next, errors);
    if (!root) return {};
    if (root->IsNull()) {
      errors.add_raw({next, 0}, "the scenario file is empty");
      return {};
    }
    if (!root->IsMap()) {
      errors.add_raw({next, 0},
                     "expected a mapping of keys at the top level, got " + describe(*root));
      return {};
    }
    flatten(*root, "", {next, 0}, file.tree, errors);
    if (errors.size() != before) return {};

    // schema_version belongs to each file: it says how that file is to be read.
    FlatReader in(file.tree, errors, next);
    if (const auto version = in.get_int("schema_version", 0, 1000000, Need::required)) {
      if (*version != 1) {
        errors.add(in.location_of("schema_version"), "schema_version",
                   "unsupported scenario schema version " + std::to_string(*version) +
                       "; this osteosim reads version 1");
      }
    }
    std::error_code ec;
    canonical.push_back(fs::weakly_canonical(next, ec).string());
    next.clear();
    const Entry* extends = in.find("extends");
    const auto target = in.get_string("extends", Need::optional);
    chain.push_back(std::move(file));
    if (!target) continue;
    fs::path target_path = fs::path(chain.back().path).parent_path();
    const bool is_path = target->size() > 5 && target->ends_with(".yaml");
    if (!is_path && !is_name(*target)) {
      errors.add(
          extends->where, "extends",
          "expected the name of a sibling scenario (lower-case letters, digits, '_', '-') or "
          "a relative path ending in .yaml, got " +
              describe(extends->node));
      return {};
    }
    if (is_path && fs::path(*target).is_absolute()) {
      errors.add(extends->where, "extends",
                 "give a path relative to this file, not an absolute one");
      return {};
    }
    target_path = normal(target_path / (is_path ? *target : *target + ".yaml"));
    std::error_code exists_ec;
    if (!fs::exists(target_path, exists_ec)) {
      errors.add(extends->where, "extends",
                 "scenario '" + *target + "' not found: looked for " + target_path.string());
      return {};
    }
    const std::string target_canonical = fs::weakly_canonical(target_path, ec).string();
    const auto seen = std::find(canonical.begin(), canonical.end(), target_canonical);
    if (seen != canonical.end()) {
      std::string cycle;
      for (const auto& f : chain) cycle += f.path + " -> ";
      errors.add(extends->where, "extends", "circular extends: " + cycle + target_path.string());
      return {};
    }
    if (depth + 1 >= kMaxExtendsDepth) {
      errors.add(extends->where, "extends",
                 "more than " + std::to_string(kMaxExtendsDepth) + " levels of extends");
      return {};
    }
    next = target_path.string();
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

/// Checks that `set:` paths name model parameters; the valid ones become overrides.
void collect_sets(const FlatTree& tree, const std::string& prefix, const std::string& shown_prefix,
                  std::vector<SetOverride>& out, ErrorList& errors,
                  const std::vector<std::string>& other_keys = {}) {
  const auto& parameters = model_parameter_paths();
  for (auto it = tree.lower_bound(prefix); it != tree.end() && is_under(it->first, prefix); ++it) {
    if (it->second.is_mapping || it->first == prefix) continue;
    const std::string parameter = prefix.empty() ? it->first : it->first.substr(prefix.size() + 1);
    if (std::find(parameters.begin(), parameters.end(), parameter) != parameters.end()) {
      out.push_back({parameter, it->second});
      continue;
    }
    std::string match = closest_match(parameter, parameters);
    if (match.empty()) {
      // "annual_rate_scale" for "falls.annual_rate_scale": match the last component.
      const std::string leaf = parameter.substr(parameter.rfind('.') + 1);
      for (const auto& p : parameters) {
        if (p.substr(p.rfind('.') + 1) == leaf) match = p;
      }
    }
    // On the command line a misspelt scenario key ("yaers") lands here too.
    if (match.empty()) match = closest_match(parameter, other_keys);
    const std::string hint = match.empty() ? "" : " (did you mean '" + shown_prefix + match + "'?)";
    errors.add_raw(it->second.where, "unknown key '" + shown_prefix + parameter + "'" + hint +
                                         ": not a parameter of the model");
  }
}

/// An open population needs the model's projection of new 50-year-olds for every calendar
/// year after the first (the first year's 50-year-olds are in the cross-section).
void check_entrants(const model::ModelParameters& parameters, const Scenario& s,
                    const Location& where, const std::string& model_yaml, ErrorList& errors) {
  const auto& table = parameters.demography.entrants_age50;
  if (table.empty()) {
    errors.add(where, "population.kind",
               "an open population needs the model key 'demography.entrants_table' (persons "
               "turning 50 by year and sex), which " +
                   model_yaml + " does not give");
    return;
  }
  for (int year = s.start_year + 1; year < s.start_year + s.years; ++year) {
    if (!std::binary_search(table.keys.begin(), table.keys.end(), static_cast<double>(year))) {
      errors.add(where, "years",
                 "the open population runs to " + std::to_string(s.start_year + s.years - 1) +
                     " but " + table.source_file + " has no row for year " + std::to_string(year) +
                     " (demography.entrants_table)");
      return;
    }
  }
}

/// What one file resolved to, with where each run-wide setting came from (to compare files).
struct Loaded {
  Scenario scenario;
  std::map<std::string, Location> where;
  std::vector<Location> strategy_where;
};

std::optional<Loaded> load_one(const std::string& path, const Overrides& overrides,
                               ErrorList& errors) {
  const std::size_t errors_before = errors.size();
  auto chain = load_chain(path, errors);
  if (chain.empty()) return std::nullopt;
  FlatTree merged;
  for (const auto& file : chain) overlay(merged, file.tree);

  // Command-line --set: scenario keys override the merged files; the rest are model
  // parameters, applied after the scenario-wide `set:`.
  std::vector<SetOverride> cli_sets;
  for (const auto& assignment : overrides.set) {
    const auto eq = assignment.find('=');
    const std::string key = assignment.substr(0, eq);
    if (eq == std::string::npos || key.empty()) {
      errors.add_raw({kCommandLineSet, 0}, "'" + assignment + "': expected key=value");
      continue;
    }
    const auto value = load_yaml_text(assignment.substr(eq + 1), {kCommandLineSet, 0}, errors);
    if (!value) continue;
    FlatTree layer;
    const std::size_t before = errors.size();
    flatten(*value, key, {kCommandLineSet, 0}, layer, errors);
    if (errors.size() != before) continue;
    if (std::find(kScenarioKeys.begin(), kScenarioKeys.end(), first_component(key)) !=
        kScenarioKeys.end()) {
      // A key like "a..b" would not have flattened; check the whole key is well formed.
      overlay(merged, layer);
    } else {
      collect_sets(layer, "", "", cli_sets, errors, kScenarioKeys);
    }
  }

  Loaded loaded;
  Scenario& s = loaded.scenario;
  s.source_file = path;
  for (const auto& file : chain) s.input_files.push_back(file.path);
  FlatReader in(merged, errors, path);
  in.consume("schema_version");
  in.consume("extends");
  s.name = in.get_name("name", Need::required).value_or("");
  s.description = in.get_string("description", Need::optional).value_or("");
  const Entry* model_entry = in.find("model");
  s.model_name = in.get_name("model", Need::required).value_or("");

  in.expect_mapping("population");
  const auto kind =
      in.get_enum("population.kind", {"cohort", "cross_section", "open"}, Need::required);
  if (kind == "cohort") {
    s.population.kind = PopulationKind::cohort;
    const auto sex = in.get_enum("population.sex", {"female", "male", "both"}, Need::required);
    if (sex == "female") s.population.sex = model::Sex::female;
    if (sex == "male") s.population.sex = model::Sex::male;
    s.population.age_years =
        in.get_double("population.age", {50, 100}, Need::required).value_or(50);
  } else {
    s.population.kind = kind == "open" ? PopulationKind::open : PopulationKind::cross_section;
    for (const std::string key : {"population.sex", "population.age"}) {
      const Entry* e = in.take(key, Need::optional);
      if (e && kind) {
        errors.add(e->where, key,
                   "only a cohort has a single age and sex; a " + *kind +
                       " population takes them from the model's population table (remove this "
                       "key or use kind: cohort)");
      }
    }
  }
  const auto agents = in.get_int("population.agents", 1, 10'000'000'000,
                                 overrides.agents ? Need::optional : Need::required);
  s.population.agents = agents.value_or(0);
  s.years = static_cast<int>(in.get_int("years", 1, 120, Need::required).value_or(0));
  s.start_year =
      static_cast<int>(in.get_int("start_year", 1900, 2200, Need::optional).value_or(2025));
  if (const auto step = in.get_int("time_step_months", 1, 12, Need::required)) {
    if (*step != 1 && *step != 3 && *step != 6 && *step != 12) {
      errors.add(in.location_of("time_step_months"), "time_step_months",
                 std::to_string(*step) + " is not allowed: use 1, 3, 6 or 12");
    } else {
      s.time_step_months = static_cast<int>(*step);
    }
  }
  s.seed = static_cast<std::uint32_t>(
      in.get_int("seed", 0, 4294967295LL, overrides.seed ? Need::optional : Need::required)
          .value_or(0));
  s.microdata_agents =
      in.get_int("microdata_agents", 0, 10'000'000'000, Need::optional).value_or(0);
  for (const std::string key :
       {"population", "years", "start_year", "time_step_months", "seed", "model"}) {
    loaded.where[key] = in.location_of(key);
  }

  // Scenario-wide set:, both as dotted keys and as nested mappings (flattening made them alike).
  std::vector<SetOverride> scenario_sets;
  in.expect_mapping("psa");
  s.psa.draws = in.get_int("psa.draws", 0, 1'000'000, Need::optional).value_or(0);
  s.psa.agents_per_draw = in.get_int("psa.agents_per_draw", 1, 10'000'000'000,
                                     s.psa.draws > 0 ? Need::required : Need::optional)
                              .value_or(0);
  s.psa.noise_share =
      in.get_double("psa.noise_share", {0, 1, true, true}, Need::optional).value_or(0);
  s.psa.pilot_draws =
      in.get_int("psa.pilot_draws", 2, 1'000'000, Need::optional).value_or(kDefaultPilotDraws);
  if (s.psa.noise_share > 0) loaded.where["psa.noise_share"] = in.location_of("psa.noise_share");
  if (s.psa.noise_share > 0 && s.psa.draws == 0) {
    errors.add(in.location_of("psa.noise_share"), "psa.noise_share",
               "sizes the agents per draw of a PSA: give psa.draws too");
  }
  if (in.find("psa.pilot_draws") != nullptr && s.psa.noise_share == 0) {
    errors.add(in.location_of("psa.pilot_draws"), "psa.pilot_draws",
               "the pilot only runs to size a PSA for psa.noise_share: give that too");
  }
  // The study's own willingness to pay (e.g. NICE's 20,000-30,000 GBP) replaces the model's.
  const std::optional<model::WillingnessToPay> scenario_wtp =
      read_willingness_to_pay(in, "willingness_to_pay", Need::optional);
  in.expect_mapping("set");
  collect_sets(merged, "set", "set.", scenario_sets, errors);
  in.consume("set");

  // Strategies: a list of {name, set}; without one, a single strategy named after the scenario.
  struct StrategySpec {
    std::string name;
    std::vector<SetOverride> sets;
    model::InterventionPolicy interventions;
  };
  std::vector<StrategySpec> strategies;
  FlatTree strategy_tree;
  FlatReader strategy_in(strategy_tree, errors, path);
  if (const Entry* list = in.take("strategies", Need::optional)) {
    if (!list->node.IsSequence()) {
      errors.add(list->where, "strategies",
                 "expected a list of strategies (- name: ...), got " + describe(list->node));
    } else if (list->node.size() == 0) {
      errors.add(list->where, "strategies",
                 "the list is empty; give at least one strategy, or leave the key out for one "
                 "strategy named after the scenario");
    } else {
      std::map<std::string, int> seen;
      for (std::size_t i = 0; i < list->node.size(); ++i) {
        const YAML::Node item = list->node[i];
        const std::string prefix = "strategies[" + std::to_string(i) + "]";
        const int line = item.Mark().line >= 0 ? item.Mark().line + 1 : list->where.line;
        const Location where{list->where.file, line};
        if (!item.IsMap()) {
          errors.add(where, prefix, "expected a mapping with a 'name', got " + describe(item));
          continue;
        }
        strategy_tree.emplace(prefix, Entry{item, where, true});
        flatten(item, prefix, where, strategy_tree, errors);
        StrategySpec spec;
        const auto name = strategy_in.get_name(prefix + ".name", Need::required);
        strategy_in.expect_mapping(prefix + ".set");
        collect_sets(strategy_tree, prefix + ".set", prefix + ".set.", spec.sets, errors);
        strategy_in.consume(prefix + ".set");
        spec.interventions = read_strategy_policy(strategy_in, prefix);
        if (!name) continue;
        const Location name_where = strategy_in.location_of(prefix + ".name");
        if (const auto [it, fresh] = seen.emplace(*name, name_where.line); !fresh) {
          errors.add(name_where, prefix + ".name",
                     "duplicate strategy name '" + *name + "' (first used at line " +
                         std::to_string(it->second) + ")");
          continue;
        }
        spec.name = *name;
        strategies.push_back(std::move(spec));
        loaded.strategy_where.push_back(name_where);
      }
    }
  } else {
    strategies.push_back({s.name, {}, {}});
    loaded.strategy_where.push_back(in.location_of("name"));
  }
  in.report_unknown();
  strategy_in.report_unknown();

  if (overrides.agents) {
    if (*overrides.agents < 1 || *overrides.agents > 10'000'000'000) {
      errors.add_raw(
          {"command line --agents", 0},
          std::to_string(*overrides.agents) + " is out of range: allowed 1 to 10000000000");
    }
    s.population.agents = *overrides.agents;
  }
  if (overrides.seed) s.seed = *overrides.seed;

  // The model: found relative to the file that named it.
  if (s.model_name.empty() || !model_entry) return std::nullopt;
  const auto model_dir =
      find_model_dir(s.model_name, model_entry->where.file, model_entry->where, errors);
  if (!model_dir) return std::nullopt;
  ModelLoader model(*model_dir, errors);
  if (!model.load()) return std::nullopt;
  FlatTree global = model.tree();
  for (const auto& o : scenario_sets) set_leaf(global, o.parameter, o.entry);
  for (const auto& o : cli_sets) set_leaf(global, o.parameter, o.entry);
  std::vector<model::UncertainParameter> model_numbers;
  auto global_parameters = model.read(global, &model_numbers);
  std::vector<std::string> catalogue_files;
  const auto catalogue = load_intervention_catalogue(*model_dir, errors, catalogue_files);
  const auto economics = load_economics(*model_dir, model_entry->where, errors, catalogue_files);
  // Every number of the model's files, with its distribution where one is declared:
  // model.yaml, drugs.yaml, interventions.yaml, economics.yaml, in file order.
  const auto with_catalogue_and_economics = [&](std::vector<model::UncertainParameter> numbers) {
    if (catalogue)
      numbers.insert(numbers.end(), catalogue->uncertain.begin(), catalogue->uncertain.end());
    if (economics)
      numbers.insert(numbers.end(), economics->uncertain.begin(), economics->uncertain.end());
    return numbers;
  };
  const auto add_catalogue_and_economics = [&](model::ModelParameters& p) {
    if (catalogue) p.interventions = catalogue->whole.interventions;
    if (economics) p.economics = economics->parameters;
    if (scenario_wtp) p.economics.willingness_to_pay = *scenario_wtp;
  };
  if (global_parameters) add_catalogue_and_economics(*global_parameters);
  s.uncertainty = with_catalogue_and_economics(model_numbers);
  if (global_parameters && s.population.kind == PopulationKind::open) {
    check_entrants(*global_parameters, s, loaded.where["population"], model.yaml_path(), errors);
  }

  ResolvedParts parts;
  for (const auto& spec : strategies) {
    Strategy strategy;
    strategy.name = spec.name;
    FlatText shown;
    if (spec.sets.empty()) {
      if (global_parameters) strategy.parameters = *global_parameters;
      strategy.uncertainty = s.uncertainty;
    } else {
      FlatTree own = global;
      for (const auto& o : spec.sets) {
        set_leaf(own, o.parameter, o.entry);
        shown.emplace_back(o.parameter, o.entry.node.IsScalar() ? o.entry.node.Scalar() : "");
      }
      std::vector<model::UncertainParameter> own_numbers;
      if (auto p = model.read(own, &own_numbers)) strategy.parameters = std::move(*p);
      add_catalogue_and_economics(strategy.parameters);
      strategy.uncertainty = with_catalogue_and_economics(std::move(own_numbers));
    }
    strategy.interventions = spec.interventions;
    resolve_strategy_policy(strategy.interventions,
                            catalogue ? &catalogue->whole.interventions : nullptr,
                            loaded.strategy_where[parts.strategy_sets.size()], *model_dir, errors);
    s.strategies.push_back(std::move(strategy));
    parts.strategy_sets.push_back(std::move(shown));
  }
  for (const auto& f : model.files_read()) s.input_files.push_back(f);
  for (const auto& f : catalogue_files) s.input_files.push_back(f);
  if (errors.size() != errors_before || !global_parameters) return std::nullopt;

  parts.scenario = &s;
  parts.model_dir = *model_dir;
  parts.model_description = model.description();
  parts.model = &*global_parameters;
  s.resolved_yaml = emit_resolved_yaml(parts);
  return loaded;
}

bool same_population(const PopulationSpec& a, const PopulationSpec& b) {
  return a.kind == b.kind && a.sex == b.sex && a.age_years == b.age_years && a.agents == b.agents;
}

}  // namespace

Scenario load_scenario(const std::string& path, const Overrides& overrides) {
  ErrorList errors;
  auto loaded = load_one(path, overrides, errors);
  errors.throw_if_any();
  if (!loaded) throw InputError(path + ": could not be loaded");  // not reached: errors say why
  return std::move(loaded->scenario);
}

Scenario load_scenarios(const std::vector<std::string>& paths, const Overrides& overrides) {
  if (paths.empty()) throw InputError("no scenario file given");
  ErrorList errors;
  std::vector<Loaded> all;
  for (const auto& path : paths) {
    ErrorList file_errors;
    if (auto loaded = load_one(path, overrides, file_errors)) all.push_back(std::move(*loaded));
    errors.append(file_errors);
  }
  errors.throw_if_any();

  // One run simulates one population over one horizon; strategies differ only in parameters.
  const Loaded& first = all.front();
  std::map<std::string, std::pair<std::string, int>> strategy_origin;
  for (std::size_t i = 0; i < first.scenario.strategies.size(); ++i) {
    strategy_origin[first.scenario.strategies[i].name] = {first.scenario.source_file,
                                                          first.strategy_where[i].line};
  }
  for (std::size_t f = 1; f < all.size(); ++f) {
    const Scenario& a = first.scenario;
    const Scenario& b = all[f].scenario;
    const auto differ = [&](const std::string& key, const std::string& va, const std::string& vb) {
      errors.add(all[f].where.at(key), key,
                 vb + " differs from " + va + " in " + to_string(first.where.at(key)) +
                     " (all scenario files of one run must agree on population, years, "
                     "start_year, time_step_months, seed and model)");
    };
    if (!same_population(a.population, b.population))
      differ("population", "the population", "the population");
    if (a.years != b.years) differ("years", std::to_string(a.years), std::to_string(b.years));
    if (a.start_year != b.start_year)
      differ("start_year", std::to_string(a.start_year), std::to_string(b.start_year));
    if (a.time_step_months != b.time_step_months) {
      differ("time_step_months", std::to_string(a.time_step_months),
             std::to_string(b.time_step_months));
    }
    if (a.seed != b.seed) differ("seed", std::to_string(a.seed), std::to_string(b.seed));
    if (a.model_name != b.model_name)
      differ("model", "'" + b.model_name + "'", "'" + a.model_name + "'");
    for (std::size_t i = 0; i < b.strategies.size(); ++i) {
      const auto& name = b.strategies[i].name;
      const auto [it, fresh] = strategy_origin.emplace(
          name, std::make_pair(b.source_file, all[f].strategy_where[i].line));
      if (!fresh) {
        errors.add(all[f].strategy_where[i], "strategies",
                   "strategy name '" + name + "' is already used in " +
                       to_string({it->second.first, it->second.second}) +
                       " (strategy names must be unique across the files of a run)");
      }
    }
  }
  // The noise is that of the differences between strategies (analysis/psa_noise.hpp).
  std::size_t strategies = 0;
  for (const auto& loaded : all) strategies += loaded.scenario.strategies.size();
  if (first.scenario.psa.noise_share > 0 && strategies < 2) {
    errors.add(first.where.at("psa.noise_share"), "psa.noise_share",
               "sizes a PSA by the noise in the differences between strategies: it needs two "
               "strategies or more");
  }
  errors.throw_if_any();

  Scenario combined = std::move(all.front().scenario);
  for (std::size_t f = 1; f < all.size(); ++f) {
    Scenario& more = all[f].scenario;
    combined.name += "+" + more.name;
    for (auto& st : more.strategies) combined.strategies.push_back(std::move(st));
    for (auto& file : more.input_files) {
      if (std::find(combined.input_files.begin(), combined.input_files.end(), file) ==
          combined.input_files.end()) {
        combined.input_files.push_back(file);
      }
    }
    // One YAML stream, one document per file.
    combined.resolved_yaml += "---\n" + more.resolved_yaml;
  }
  return combined;
}

}  // namespace osteosim::config
