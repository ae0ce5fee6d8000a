#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/version.hpp"
#include "engine/calibration.hpp"
#include "output/sha256.hpp"

namespace osteosim::cli {

namespace {

namespace fs = std::filesystem;
using engine::CalibratedQuantity;

/// File name of a fitted table inside the output folder: <calibrated site>_multiplier.csv.
std::string file_name(int q) {
  if (q == static_cast<int>(CalibratedQuantity::mortality))
    return "background_mortality_multiplier.csv";
  return std::string(engine::kCalibratedQuantityNames[q]) + "_multiplier.csv";
}

/// The model key that reads a fitted table: fractures.<process>.calibration_multiplier_table.
std::string model_key(int q) {
  if (q == static_cast<int>(CalibratedQuantity::mortality))
    return "mortality.background_multiplier_table";
  return "fractures." + std::string(model::kFractureProcessNames[q]) +
         ".calibration_multiplier_table";
}

std::string number(double x, int digits = 6) {
  std::ostringstream s;
  s << std::setprecision(digits) << x;
  return s.str();
}

/// The model folder: the directory of the model.yaml the scenario read.
std::string model_dir_of(const config::Scenario& scenario) {
  for (const auto& file : scenario.input_files) {
    const fs::path p(file);
    if (p.filename() == "model.yaml" && p.parent_path().filename() == scenario.model_name) {
      return p.parent_path().string();
    }
  }
  throw InputError(scenario.source_file + ": cannot locate the folder of model '" +
                   scenario.model_name + "'");
}

/// The target table of each quantity (file and checksum go into the record).
std::string target_file(const model::ModelParameters& p, CalibratedQuantity q) {
  if (q == CalibratedQuantity::mortality) return p.mortality.annual_death_probability.source_file;
  return p.fractures.site[static_cast<int>(q)].incidence_per_person_year.source_file;
}

/// Writes `text` to `path` through a temporary file renamed into place.
void write_file(const fs::path& path, const std::string& text) {
  const fs::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw IoError("cannot write " + temp.string());
  }
  fs::rename(temp, path);
}

std::string multiplier_csv(const engine::CalibrationResult& r, CalibratedQuantity q,
                           const std::string& target) {
  std::ostringstream s;
  const std::string name(engine::kCalibratedQuantityNames[static_cast<int>(q)]);
  s << "# Calibrated multiplier of the baseline "
    << (q == CalibratedQuantity::mortality ? "life-table death hazard" : name + " fracture hazard")
    << " by age band (lower bound) and sex.\n"
    << "# Written by `osteosim calibrate` (do not edit by hand): fitted so that the simulated "
    << (q == CalibratedQuantity::mortality ? "all-cause death rate matches" : "incidence matches")
    << "\n#   " << fs::path(target).filename().string()
    << " (its sources are in its header). Fit, command, seed and date: record.yaml.\n"
    << "age,female,male\n";
  const auto& t = r.multipliers[static_cast<int>(q)];
  for (std::size_t row = 0; row < t.keys.size(); ++row) {
    s << t.keys[row] << ',' << number(t.values[0][row]) << ',' << number(t.values[1][row]) << '\n';
  }
  return s.str();
}

std::string record_yaml(const config::Scenario& scenario, const engine::CalibrationResult& r,
                        const engine::CalibrationSettings& settings, const std::string& command) {
  const auto& p = scenario.strategies.front().parameters;
  std::ostringstream s;
  s << "# Record of `osteosim calibrate`: what the multiplier tables beside this file were\n"
    << "# fitted to, how, and how well. Regenerate with the command below (same binary\n"
    << "# version, seed and agents give the same tables: runs are bit-identical for any\n"
    << "# thread count and every multiplier starts at 1). Sources of the targets: the '#'\n"
    << "# header and source column of each target table below, and the model's parameter\n"
    << "# dictionary (docs/sources-<model>.md).\n"
    << "command: \"" << command << "\"\n"
    << "date: " << utc_now_iso8601() << '\n'
    << "osteosim_version: \"" << version() << "\"\n"
    << "git_commit: \"" << git_commit() << "\"\n"
    << "scenario: \"" << scenario.source_file << "\"\n"
    << "model: " << scenario.model_name << '\n'
    << "population: {kind: "
    << (scenario.population.kind == config::PopulationKind::cohort ? "cohort" : "cross_section")
    << ", agents: " << scenario.population.agents << "}\n"
    << "years: " << scenario.years << '\n'
    << "time_step_months: " << scenario.time_step_months << '\n'
    << "seed: " << scenario.seed << '\n'
    << "method: \"fixed point m <- m * target / simulated per cell, all cells jointly, one "
       "fixed-seed run per iteration, m clamped to [1/"
    << settings.multiplier_limit << ", " << settings.multiplier_limit << "]\"\n"
    << "convergence: \"every cell within " << settings.tolerance
    << " relative, or within 1 + sqrt(expected) / 2 events of the expected count\"\n"
    << "max_iterations: " << settings.max_iterations << '\n'
    << "converged: " << (r.converged ? "true" : "false") << '\n'
    << "targets:\n";
  for (int q = 0; q < engine::kCalibratedQuantities; ++q) {
    const std::string file = target_file(p, static_cast<CalibratedQuantity>(q));
    s << "  " << engine::kCalibratedQuantityNames[q] << ": {table: \""
      << fs::path(file).filename().string() << "\", sha256: " << output::sha256_file_hex(file)
      << (q == static_cast<int>(CalibratedQuantity::mortality)
              ? (scenario.population.kind == config::PopulationKind::cohort
                     ? ", rate: \"deaths / person-years of a life-table cohort from the first "
                       "age, by 5-year band\""
                     : ", rate: \"life-table hazards weighted by the population table, by "
                       "5-year band\"")
          : model::counts_clinical_only(q)
              ? ", rate: \"clinically recognised fractures per person-year\""
              : ", rate: \"fractures per person-year\"")
      << "}\n";
  }
  s << "iterations:   # max |ln(simulated / target)| over cells with events, cells not fitted\n";
  for (std::size_t i = 0; i < r.iterations.size(); ++i) {
    s << "  - {iteration: " << i + 1
      << ", max_abs_log_ratio: " << number(r.iterations[i].max_abs_log_ratio, 4)
      << ", cells_not_fitted: " << r.iterations[i].cells_not_fitted << "}\n";
  }
  s << "fit:   # the last run; rates per person-year; age_to 999 = open band\n";
  for (const auto& c : r.cells) {
    s << "  - {quantity: " << engine::kCalibratedQuantityNames[static_cast<int>(c.quantity)]
      << ", sex: " << model::kSexNames[static_cast<int>(c.sex)] << ", age_from: " << c.age_from
      << ", age_to: " << (c.age_to > 999 ? 999 : c.age_to)
      << ", target: " << number(c.target_per_year)
      << ", simulated: " << number(c.simulated_per_year) << ", events: " << c.events
      << ", person_years: " << number(c.person_years, 8) << ", multiplier: " << number(c.multiplier)
      << ", fitted: " << (c.fitted ? "true" : "false") << "}\n";
  }
  return s.str();
}

}  // namespace

po::options_description calibrate_command_options() {
  po::options_description options("calibrate options");
  // One option a line, as the --help it becomes reads.
  // clang-format off
  options.add_options()
      ("max-iterations", po::value<int>()->default_value(30)->value_name("N"), "iteration cap")
      ("tolerance", po::value<double>()->default_value(0.005, "0.005")->value_name("T"),
       "relative tolerance per cell")
      ("output-dir", po::value<std::string>()->value_name("DIR"),
       "folder for the tables (default: MODEL/calibration)")
      ("force", "overwrite existing calibration tables")
      ("quiet", "no progress");
  // clang-format on
  add_threads_option(options);
  options.add(scenario_options());
  return options;
}

/// `osteosim calibrate SCENARIO`: fit the baseline fracture and mortality multipliers and
/// write them, with a record, into the model's calibration/ folder (or --output-dir).
int command_calibrate(const CommandContext& context) {
  const po::variables_map& vm = context.options;
  const auto paths = positionals(vm, "scenario", "scenario file");
  if (paths.size() != 1) throw UsageError("calibrate takes one scenario file");
  const auto scenario = config::load_scenario(paths.front(), overrides_from(vm));
  engine::CalibrationSettings settings;
  settings.max_iterations = vm["max-iterations"].as<int>();
  settings.tolerance = vm["tolerance"].as<double>();
  if (settings.max_iterations < 1 || settings.max_iterations > 1000) {
    throw InputError("--max-iterations: must be between 1 and 1000");
  }
  if (!(settings.tolerance > 0 && settings.tolerance < 1)) {
    throw InputError("--tolerance: must be between 0 and 1 (exclusive)");
  }
  const int threads = threads_from(vm);
  const fs::path out_dir = vm.count("output-dir")
                               ? fs::path(vm["output-dir"].as<std::string>())
                               : fs::path(model_dir_of(scenario)) / "calibration";
  const bool force = vm.count("force") > 0;
  for (int q = 0; q < engine::kCalibratedQuantities; ++q) {
    if (fs::exists(out_dir / file_name(q)) && !force) {
      throw InputError((out_dir / file_name(q)).string() + " exists; use --force to replace it");
    }
  }
  fs::create_directories(out_dir);

  engine::RunOptions run_options;
  run_options.threads = threads;
  const bool quiet = vm.count("quiet") > 0;
  const auto result = engine::calibrate(
      scenario, run_options, settings, [&](int it, const engine::CalibrationIteration& s) {
        if (!quiet) {
          context.err << "osteosim: calibration iteration " << it << ": max |ln(sim/target)| "
                      << number(s.max_abs_log_ratio, 3) << ", " << s.cells_not_fitted
                      << " cells not yet fitted\n";
        }
      });
  const auto& params = scenario.strategies.front().parameters;
  for (int q = 0; q < engine::kCalibratedQuantities; ++q) {
    const auto quantity = static_cast<CalibratedQuantity>(q);
    write_file(out_dir / file_name(q),
               multiplier_csv(result, quantity, target_file(params, quantity)));
  }
  write_file(out_dir / "record.yaml",
             record_yaml(scenario, result, settings, context.command_line));
  context.out << "calibration " << (result.converged ? "converged" : "did NOT converge")
              << " after " << result.iterations.size() << " iterations; wrote " << out_dir.string()
              << "/{";
  for (int q = 0; q < engine::kCalibratedQuantities; ++q) context.out << file_name(q) << ',';
  context.out << "record.yaml}\nmodel keys that read them:";
  for (int q = 0; q < engine::kCalibratedQuantities; ++q) {
    context.out << "\n  " << model_key(q) << ": calibration/" << file_name(q);
  }
  context.out << '\n';
  return result.converged ? 0 : 1;
}

}  // namespace osteosim::cli
