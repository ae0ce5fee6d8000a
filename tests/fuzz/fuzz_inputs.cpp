// Mutation fuzzing of scenario and model files (issue 9). From the shipped scenarios and
// models (us-2025 and sweden-2025, one chosen per case by its seed), copied into a
// temporary tree, each case applies a few seeded mutations to the files of one model and
// its scenarios (deleted lines and keys, wrong types, huge/negative/NaN numbers, broken
// YAML, alias bombs, damaged CSV tables, circular or escaping `extends`, table paths
// outside the model folder) and loads one of its scenarios in-process. Each case must
// either load, or throw InputError whose every message line names a file of the tree and a
// line or key. Anything else - another exception type, a crash (caught by ASan/UBSan in
// CI), a case slower than --timeout - fails.
// A sample of cases also goes through `osteosim check` to check exit code 2 and stderr, and
// every --simulate-every'th loaded case is simulated in-process (kSampleAgents agents, at
// most kSampleYears years, 1 thread): an input the loader accepts must give a run without a
// crash, NaN or infinite totals, negative counts or zero person-time.
//
// Usage: osteosim_fuzz_inputs --source DIR [--cases N] [--seed S] [--only-case I]
//                             [--binary OSTEOSIM --binary-every K] [--simulate-every K]
//                             [--timeout SECONDS]
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "config/scenario.hpp"
#include "engine/estimate.hpp"
#include "engine/psa.hpp"
#include "engine/simulation.hpp"
#include "engine/tally_layout.hpp"
#include "fuzz_support.hpp"

namespace fs = std::filesystem;

namespace {

using namespace osteosim::fuzz;

struct Options : CaseOptions {
  std::string source;
  int only_case = -1;
  int simulate_every = 10;  ///< 0: never simulate
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + '\n';
  return text;
}

/// Values that have broken parsers before: wrong types, limits, non-numbers, YAML oddities.
const std::vector<std::string> kNastyValues = {"-1",
                                               "0",
                                               "-0",
                                               "1e308",
                                               "-1e308",
                                               "1e-320",
                                               ".nan",
                                               "nan",
                                               "NaN",
                                               ".inf",
                                               "-.inf",
                                               "999999999999999999999",
                                               "9223372036854775808",
                                               "-9223372036854775809",
                                               "2147483648",
                                               "4294967296",
                                               "0x1F",
                                               "1_000",
                                               "\"text\"",
                                               "''",
                                               "[1, 2]",
                                               "{a: 1}",
                                               "~",
                                               "",
                                               "yes",
                                               "2025-01-01",
                                               "*undefined_alias",
                                               "!!binary AAAA",
                                               "!custom 3",
                                               "&anchor 5",
                                               "|",
                                               ">-",
                                               "\"\\x00\"",
                                               "'unterminated",
                                               "[unclosed",
                                               "{unclosed: 1",
                                               "- listed",
                                               "1e400",
                                               "0.000000000000000000001",
                                               "-2.5",
                                               "100000000000",
                                               "12.5"};

const std::vector<std::string> kBrokenFragments = {
    ":", "- ", "{", "}",  "[",     "]",     "\t",   "'",   "\"",   "&",        "*", "!",
    "%", "@",  "`", "? ", "---\n", "...\n", "\n  ", ": :", "\x00", "\xff\xfe", "#"};

const std::string kAliasBomb =
    "bomb_a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    "bomb_b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "bomb_c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "bomb_d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "bomb_e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "bomb_f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "bomb_g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
    "bomb_h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n";

/// Applies one mutation to a YAML file's text and says which.
std::string mutate_yaml(std::string& text, Random& rng, const std::vector<std::string>& table_names,
                        const std::vector<std::string>& scenario_names) {
  auto lines = split_lines(text);
  if (lines.empty()) lines.push_back("");
  const std::size_t at = rng.below(lines.size());
  std::string& line = lines[at];
  const auto colon = line.find(": ");
  const std::string where = " at line " + std::to_string(at + 1);
  std::string what;
  switch (rng.below(12)) {
    case 0:
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at));
      what = "delete line" + where;
      break;
    case 1:
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), line);
      what = "duplicate line" + where;
      break;
    case 2:
    case 3:
    case 4: {  // a value replaced: the most common real mistake
      if (colon == std::string::npos) return mutate_yaml(text, rng, table_names, scenario_names);
      const std::string value = rng.pick(kNastyValues);
      line = line.substr(0, colon + 2) + value;
      what = "value '" + value + "'" + where;
      break;
    }
    case 5: {  // a misspelt key
      const auto first = line.find_first_not_of(" -");
      if (first == std::string::npos || colon == std::string::npos)
        return mutate_yaml(text, rng, table_names, scenario_names);
      line.insert(first + rng.below(colon - first + 1), "x");
      what = "misspelt key" + where;
      break;
    }
    case 6: {
      const std::string fragment = rng.pick(kBrokenFragments);
      line.insert(rng.below(line.size() + 1), fragment);
      what = "insert syntax fragment" + where;
      break;
    }
    case 7:
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(rng.below(lines.size() + 1)),
                   kAliasBomb);
      what = "alias bomb" + where;
      break;
    case 8: {
      text = text.substr(0, rng.below(text.size() + 1));
      return "truncate to " + std::to_string(text.size()) + " bytes";
    }
    case 9: {  // extends: itself, a cycle, outside the tree, absolute, missing
      const std::vector<std::string> targets = {
          rng.pick(scenario_names), "../../../etc/passwd.yaml",
          "/etc/hosts.yaml",        "missing-scenario",
          "../scenarios",           "UPPER",
          "a/../../x.yaml"};
      const std::string target = rng.pick(targets);
      lines.insert(lines.begin() + 1, "extends: " + target);
      what = "extends " + target;
      break;
    }
    case 10: {  // a table path pointing elsewhere
      const std::vector<std::string> targets = {"../../../etc/passwd",
                                                "/etc/passwd",
                                                "tables/missing.csv",
                                                "tables",
                                                "tables/../../../scenarios/us-women-cohort-50.yaml",
                                                "tables/" + rng.pick(table_names),
                                                "''"};
      if (colon == std::string::npos || line.find("tables/") == std::string::npos) {
        return mutate_yaml(text, rng, table_names, scenario_names);
      }
      const std::string target = rng.pick(targets);
      line = line.substr(0, colon + 2) + target;
      what = "table path " + target + where;
      break;
    }
    default: {  // indentation broken
      line = (rng.chance(50) ? "   " : "") +
             line.substr(std::min<std::size_t>(line.size(), rng.below(3)));
      what = "indentation" + where;
      break;
    }
  }
  text = join_lines(lines);
  return what;
}

/// Applies one mutation to a CSV table.
std::string mutate_csv(std::string& text, Random& rng) {
  auto lines = split_lines(text);
  if (lines.empty()) lines.push_back("");
  const std::size_t at = rng.below(lines.size());
  std::string& line = lines[at];
  const std::string where = " at line " + std::to_string(at + 1);
  std::string what;
  switch (rng.below(8)) {
    case 0:
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at));
      what = "delete row" + where;
      break;
    case 1: {  // a cell replaced
      std::vector<std::size_t> commas{0};
      for (std::size_t i = 0; i < line.size(); ++i)
        if (line[i] == ',') commas.push_back(i + 1);
      const std::size_t start = rng.pick(commas);
      const std::size_t end = std::min(line.find(',', start), line.size());
      const std::string value = rng.pick(kNastyValues);
      line = line.substr(0, start) + value + line.substr(end);
      what = "cell '" + value + "'" + where;
      break;
    }
    case 2: {
      const auto comma = line.rfind(',');
      if (comma == std::string::npos) return mutate_csv(text, rng);
      line = line.substr(0, comma);
      what = "drop last column" + where;
      break;
    }
    case 3:
      line += ",1";
      what = "extra column" + where;
      break;
    case 4:
      text.clear();
      return "empty table";
    case 5:
      text = text.substr(0, rng.below(text.size() + 1));
      return "truncate table";
    case 6:
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), line);
      what = "duplicate row" + where;
      break;
    default:
      line.insert(rng.below(line.size() + 1), rng.pick(kBrokenFragments));
      what = "insert fragment" + where;
      break;
  }
  text = join_lines(lines);
  return what;
}

/// The mutable copy of the shipped inputs: scenarios/ and every model of models/.
class Tree {
 public:
  Tree(const fs::path& source, const fs::path& root) : root_(root) {
    fs::create_directories(root / "scenarios");
    fs::create_directories(root / "models");
    for (const auto& entry : fs::directory_iterator(source / "scenarios")) {
      if (entry.path().extension() == ".yaml")
        add(entry.path(), "scenarios" / entry.path().filename());
    }
    fs::copy(source / "models", root / "models", fs::copy_options::recursive);
    for (const auto& entry : fs::recursive_directory_iterator(root / "models")) {
      if (entry.is_regular_file())
        pristine_[fs::relative(entry.path(), root)] = read_file(entry.path());
    }
  }

  /// Puts back every file a previous case changed, and removes files it added.
  void restore() {
    for (const auto& [relative, text] : pristine_) {
      const fs::path path = root_ / relative;
      if (read_file(path) != text) write_file(path, text);
    }
  }

  std::vector<fs::path> files_with(const std::string& extension) const {
    std::vector<fs::path> out;
    for (const auto& [relative, text] : pristine_) {
      if (relative.extension() == extension) out.push_back(relative);
    }
    return out;
  }
  std::string text(const fs::path& relative) const { return pristine_.at(relative); }
  const fs::path& root() const { return root_; }

 private:
  void add(const fs::path& from, const fs::path& relative) {
    fs::copy_file(from, root_ / relative);
    pristine_[relative] = read_file(from);
  }

  fs::path root_;
  std::map<fs::path, std::string> pristine_;
};

/// The model a shipped scenario runs: its `model:` line, or that of the scenario it extends.
std::string model_of(const Tree& tree, const fs::path& scenario) {
  for (const auto& line : split_lines(tree.text(scenario))) {
    if (line.starts_with("model: ")) return line.substr(7);
    if (line.starts_with("extends: ")) {
      return model_of(tree, scenario.parent_path() / (line.substr(9) + ".yaml"));
    }
  }
  throw std::logic_error("no model: line in " + scenario.string());
}

/// A model's files and the scenarios that run it: a case mutates one model (and its
/// scenarios) and loads one of those scenarios, so that every mutation can matter.
struct ModelInputs {
  std::vector<fs::path> scenarios, model_files, tables;
};

// The sampled runs: small, so that simulating a sample costs little beside the loading.
constexpr std::int64_t kSampleAgents = 200;
constexpr int kSampleYears = 3;
/// Agent-years beyond which a sampled run is skipped, not simulated: an accepted but
/// mutated entrants table can make an open population of 200 agents take in millions of
/// entrants (`osteosim run` refuses such runs by their estimate, engine/estimate.hpp).
constexpr double kMaxSampleAgentYears = 2e5;
/// Larger than any tally of a sampled run, far below the int64 range: a NaN or infinite
/// double cast to an integer count becomes INT64_MIN on x86, and overflows wrap near it.
constexpr double kImplausibleTally = 9007199254740992.0;  // 2^53

/// The first problem of the tallies of one sampled run, or "": every count non-negative
/// (the paired differences and the QALYs, where fracture losses are subtracted, may be
/// negative) and plausible, person-time positive, the per-person economic totals finite.
std::string tally_problem(const osteosim::engine::Tallies& t, std::int64_t agents) {
  const std::array signed_columns{&t.paired_difference_sum, &t.paired_cost_difference_sum,
                                  &t.paired_qaly_difference_sum, &t.qaly_ticks,
                                  &t.discounted_qaly_ticks};
  const auto columns = t.columns();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const bool may_be_negative =
        std::ranges::find(signed_columns, columns[c]) != signed_columns.end();
    for (std::size_t i = 0; i < columns[c]->size(); ++i) {
      const std::int64_t value = (*columns[c])[i];
      if ((value < 0 && !may_be_negative) ||
          std::abs(static_cast<double>(value)) > kImplausibleTally) {
        return "tally " + std::string(osteosim::engine::kTallyColumns[c].name) + ", number " +
               std::to_string(i) + ": " + std::to_string(value);
      }
    }
  }
  std::int64_t person_time = 0;
  for (const auto ticks : t.person_time_ticks) person_time += ticks;
  if (person_time <= 0) return "person-time " + std::to_string(person_time) + " ticks";
  // (Not their Monte Carlo standard errors: NaN by design with the one block of a small run.)
  const auto e = osteosim::engine::economic_totals(t, agents);
  for (const double value : {e.cost_usd, e.qalys, e.life_years, e.clinical_fractures}) {
    if (!std::isfinite(value)) return "a per-person economic total is " + std::to_string(value);
  }
  return "";
}

/// Simulates a loaded scenario small: "" if the run is sound, else what is wrong. Sets
/// `simulated` unless the run is too big to sample.
std::string simulate_sample(const std::string& scenario_path, int years, bool& simulated) {
  osteosim::config::Overrides small;
  small.agents = kSampleAgents;
  small.set.push_back("years=" + std::to_string(std::min(years, kSampleYears)));
  const auto scenario = osteosim::config::load_scenarios({scenario_path}, small);
  const auto estimate =
      osteosim::engine::estimate_run(scenario, 1, osteosim::engine::kDefaultBlockSize);
  simulated = estimate.agent_years - estimate.psa_agent_years - estimate.one_way_agent_years <=
              kMaxSampleAgentYears;
  if (!simulated) return "";
  const double persons = osteosim::engine::persons_per_agent(scenario);
  if (!std::isfinite(persons) || persons <= 0)
    return "persons per agent " + std::to_string(persons);
  osteosim::engine::RunOptions run;
  run.threads = 1;
  const auto tallies = osteosim::engine::simulate(scenario, run);
  for (std::size_t s = 0; s < tallies.size(); ++s) {
    if (auto problem = tally_problem(tallies[s], scenario.population.agents); !problem.empty()) {
      return "strategy " + scenario.strategies[s].name + ": " + problem;
    }
  }
  return "";
}

/// Every line of a rejection names a file of the tree (or the command line) and a line
/// number or key, so the user can find what to fix.
std::string message_problem(const std::string& message, const fs::path& root) {
  static const std::regex located(R"(\.(yaml|csv):\d+(:\d+)?: )");
  static const std::regex keyed(R"(key '|column '|row \d|line \d)");
  static const std::regex whole_file(R"(\.(yaml|csv): )");
  for (const auto& line : split_lines(message)) {
    if (line.empty() || line.starts_with("  ")) continue;  // continuation of the line above
    if (line.starts_with("... and ")) continue;  // the count of errors beyond those listed
    if (line.find(root.string()) == std::string::npos &&
        line.find("command line") == std::string::npos) {
      return "does not name a file of the tree: " + line;
    }
    if (!std::regex_search(line, located) && !std::regex_search(line, keyed) &&
        !std::regex_search(line, whole_file)) {
      return "names no line or key: " + line;
    }
  }
  return "";
}

Options parse(int argc, char** argv) {
  Options o;
  parse_options(argc, argv, o, [&o](const std::string& key, const std::string& value) {
    if (key == "--source")
      o.source = value;
    else if (key == "--only-case")
      o.only_case = std::stoi(value);
    else if (key == "--simulate-every")
      o.simulate_every = std::stoi(value);
    else
      return false;
    return true;
  });
  if (o.source.empty()) throw std::invalid_argument("--source DIR is required");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  const fs::path root = fs::temp_directory_path() / ("osteosim-fuzz-" + std::to_string(getpid()));
  fs::remove_all(root);
  Tree tree(options.source, root);
  std::map<std::string, ModelInputs> models;
  std::vector<std::string> scenario_names, table_names;
  for (const auto& f : tree.files_with(".yaml")) {
    if (f.begin()->string() == "scenarios") {
      models[model_of(tree, f)].scenarios.push_back(f);
      scenario_names.push_back(f.stem().string());
    } else {  // models/NAME/...
      models[std::next(f.begin())->string()].model_files.push_back(f);
    }
  }
  for (const auto& f : tree.files_with(".csv")) {
    models[std::next(f.begin())->string()].tables.push_back(f);
    table_names.push_back(f.filename().string());
  }
  for (const auto& [name, inputs] : models) {
    if (inputs.scenarios.empty() || inputs.model_files.empty() || inputs.tables.empty())
      throw std::logic_error("model " + name + ": no scenario, model file or table to mutate");
  }

  Watchdog watchdog(options.timeout_seconds);
  int accepted = 0, rejected = 0, failures = 0, through_binary = 0, sampled = 0, simulated = 0;
  for (int c = 0; c < options.cases; ++c) {
    Random rng(options.seed * 1000003u + static_cast<std::uint64_t>(c));
    if (options.only_case >= 0 && c != options.only_case) continue;
    tree.restore();
    // One model per case, chosen by the seed; mostly one file, sometimes several: one of
    // its scenarios, model files or tables.
    const ModelInputs& inputs =
        std::next(models.begin(), static_cast<std::ptrdiff_t>(rng.below(models.size())))->second;
    std::string description;
    const int mutations = 1 + static_cast<int>(rng.below(3));
    for (int m = 0; m < mutations; ++m) {
      const int kind = static_cast<int>(rng.below(10));
      const fs::path target = kind < 4   ? rng.pick(inputs.scenarios)
                              : kind < 7 ? rng.pick(inputs.model_files)
                                         : rng.pick(inputs.tables);
      std::string text = read_file(root / target);
      const std::string what = target.extension() == ".csv"
                                   ? mutate_csv(text, rng)
                                   : mutate_yaml(text, rng, table_names, scenario_names);
      write_file(root / target, text);
      description += (description.empty() ? "" : "; ") + target.string() + ": " + what;
    }
    const std::string scenario = (root / rng.pick(inputs.scenarios)).string();
    const std::string label = "case " + std::to_string(c) + " (" + scenario + "): " + description;
    watchdog.start(label);

    bool in_process_ok = false;
    int years = 0;
    try {
      years = osteosim::config::load_scenarios({scenario}, {}).years;
      in_process_ok = true;
      ++accepted;
    } catch (const osteosim::InputError& e) {
      ++rejected;
      if (const std::string problem = message_problem(e.what(), root); !problem.empty()) {
        std::cout << "FAIL " << label << "\n  message " << problem << "\n";
        ++failures;
      }
    } catch (const std::exception& e) {
      std::cout << "FAIL " << label << "\n  not an InputError (would exit 1): " << e.what() << "\n";
      ++failures;
    }

    if (in_process_ok && options.simulate_every > 0 && accepted % options.simulate_every == 0) {
      ++sampled;
      bool ran = false;
      std::string problem;
      try {
        problem = simulate_sample(scenario, years, ran);
      } catch (const std::exception& e) {
        problem = std::string("threw: ") + e.what();
      }
      simulated += ran ? 1 : 0;
      if (!problem.empty()) {
        std::cout << "FAIL " << label << "\n  loaded, but its run of " << kSampleAgents
                  << " agents is wrong: " << problem << "\n";
        ++failures;
      }
    }

    if (!options.binary.empty() && options.binary_every > 0 && c % options.binary_every == 0) {
      ++through_binary;
      std::string err;
      const int status = run_process({options.binary, "check", scenario}, options.timeout_seconds,
                                     root / "stderr.txt", err);
      const int expected = in_process_ok ? 0 : 2;
      if (status != expected) {
        std::cout << "FAIL " << label << "\n  osteosim check exited " << status << ", expected "
                  << expected << (status == -1 ? " (timeout)" : "") << "\n  " << err << "\n";
        ++failures;
      } else if (status == 2 && err.find("osteosim: error: ") == std::string::npos) {
        std::cout << "FAIL " << label << "\n  stderr lacks 'osteosim: error: ': " << err << "\n";
        ++failures;
      }
    }
  }
  fs::remove_all(root);
  std::cout << options.cases << " cases (seed " << options.seed << "): " << accepted << " loaded, "
            << rejected << " rejected with exit 2, " << through_binary
            << " also through osteosim check; " << simulated << " of " << sampled
            << " sampled loaded cases simulated (the rest too big); " << failures
            << " failure(s)\n";
  if (sampled > 0 && simulated == 0) {
    std::cout << "FAIL: no sampled case was small enough to simulate\n";
    ++failures;
  }
  return failures == 0 ? 0 : 1;
}
