// The run estimate's file sizes against real files: `osteosim run` refuses a run whose
// result may not fit on the disk or under the file-size limit (output::check_output_space),
// so max_result_bytes must be an upper bound of the result file of every kind of run, or a
// run starts that cannot save its result (issue 19: on a full 2 MB disk it did). And not an
// absurd one, or runs that fit are refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "config/scenario.hpp"
#include "engine/estimate.hpp"
#include "engine/simulation.hpp"
#include "output/checkpoint.hpp"

namespace osteosim {
namespace {

namespace fs = std::filesystem;

struct RunKind {
  const char* label;
  const char* scenario;                ///< under scenarios/
  std::vector<std::string> overrides;  ///< --set KEY=VALUE
  std::int64_t agents;
  std::int64_t microdata_agents = 0;
};

/// Runs `kind` with `osteosim run` (in process) and returns the result file's size.
std::uintmax_t real_result_bytes(const RunKind& kind, const std::string& scenario_path) {
  const fs::path out =
      fs::temp_directory_path() /
      ("osteosim-estimate-" + std::to_string(::getpid()) + "-" + kind.label + ".h5");
  std::vector<std::string> args{"osteosim", "run",        scenario_path,
                                "-o",       out.string(), "--quiet",
                                "--force",  "--agents",   std::to_string(kind.agents)};
  for (const auto& set : kind.overrides) args.insert(args.end(), {"--set", set});
  if (kind.microdata_agents > 0) {
    args.insert(args.end(), {"--microdata", std::to_string(kind.microdata_agents)});
  }
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out_text, err_text;
  const int status =
      cli::main(static_cast<int>(argv.size()), argv.data(), out_text, err_text, false);
  EXPECT_EQ(status, 0) << err_text.str();
  const std::uintmax_t bytes = fs::file_size(out);
  fs::remove(out);
  return bytes;
}

/// The shipped CEA with 12 PSA draws of 256 agents (psa is no --set key), in the temporary
/// directory, its model found through OSTEOSIM_MODEL_PATH.
std::string small_psa_scenario() {
  std::ifstream in(std::string(OSTEOSIM_SOURCE_DIR) + "/scenarios/us-women-screening-cea.yaml");
  std::string text, line;
  bool replaced = false;
  while (std::getline(in, line)) {
    if (line.rfind("psa:", 0) == 0) {
      line = "psa: {draws: 12, agents_per_draw: 256}";
      replaced = true;
    }
    text += line + "\n";
  }
  EXPECT_TRUE(replaced) << "the CEA scenario has no psa: line";
  const fs::path path =
      fs::temp_directory_path() / ("osteosim-estimate-" + std::to_string(::getpid()) + "-cea.yaml");
  std::ofstream(path) << text;
  ::setenv("OSTEOSIM_MODEL_PATH", (std::string(OSTEOSIM_SOURCE_DIR) + "/models").c_str(), 1);
  return path.string();
}

TEST(EstimateFiles, MaxResultBytesBoundsTheRealFileOfEveryKindOfRun) {
  const std::vector<RunKind> kinds = {
      {"cohort-1-year", "us-women-cohort-50.yaml", {"years=1"}, 2000},  // overhead only
      {"cohort", "us-women-cohort-50.yaml", {}, 20000},
      {"both-sexes", "us-cohort-50-both-sexes.yaml", {"years=30"}, 20000},
      {"policies", "us-women-screening-policies.yaml", {}, 4000},
      {"psa-one-way", "cea-small", {"years=10"}, 2000},
      {"cross-section", "us-population-2025.yaml", {"years=10"}, 4000},
      {"open-population", "us-projection-2025-2050.yaml", {"years=10"}, 4000},
      {"microdata-policies", "us-women-screening-policies.yaml", {"years=30"}, 2000, 2000},
      {"microdata-population", "us-population-2025.yaml", {"years=20"}, 4000, 4000},
      {"microdata-open", "us-projection-2025-2050.yaml", {"years=10"}, 4000, 4000},
  };
  const std::string small_cea = small_psa_scenario();
  for (const RunKind& kind : kinds) {
    const std::string path = kind.scenario == std::string("cea-small")
                                 ? small_cea
                                 : std::string(OSTEOSIM_SOURCE_DIR) + "/scenarios/" + kind.scenario;
    config::Overrides overrides;
    overrides.agents = kind.agents;
    overrides.set = kind.overrides;
    if (kind.microdata_agents > 0) {
      overrides.set.push_back("microdata_agents=" + std::to_string(kind.microdata_agents));
    }
    const auto scenario = config::load_scenario(path, overrides);
    const auto estimate = engine::estimate_run(scenario, 1, engine::kDefaultBlockSize);
    const auto real = static_cast<double>(real_result_bytes(kind, path));
    // The bound takes every dataset uncompressed: count tables and event rows compress 5 to
    // 25 times here, yet the bound may be no more than 8 times the file plus the HDF5
    // overhead the estimate allows for its groups (kFileOverheadBytes and
    // kStrategyOverheadBytes of estimate.cpp): a disk check that refuses runs which fit by
    // an order of magnitude would be as wrong as one that lets through runs which do not.
    const double overhead = 64e3 + 128e3 * static_cast<double>(scenario.strategies.size());
    std::printf("%-22s real %9.0f bytes, max_result_bytes %9.0f (%.2fx)\n", kind.label, real,
                estimate.max_result_bytes, estimate.max_result_bytes / real);
    EXPECT_LE(real, estimate.max_result_bytes) << kind.label;
    EXPECT_LE(estimate.max_result_bytes, 8 * real + overhead) << kind.label;
    EXPECT_GE(estimate.max_disk_bytes(), estimate.max_result_bytes + estimate.checkpoint_bytes);
  }
  fs::remove(small_cea);
}

TEST(EstimateFiles, CheckpointBytesBoundTheRealCheckpoint) {
  const std::string path =
      std::string(OSTEOSIM_SOURCE_DIR) + "/scenarios/us-women-screening-policies.yaml";
  const auto scenario = config::load_scenario(path, {.agents = 300000, .seed = {}, .set = {}});
  const auto estimate = engine::estimate_run(scenario, 1, engine::kDefaultBlockSize);
  const fs::path file = fs::temp_directory_path() /
                        ("osteosim-estimate-" + std::to_string(::getpid()) + ".checkpoint");
  const output::Checkpoint checkpoint(file.string(), std::string(64, 'f'),
                                      engine::block_count(scenario, engine::kDefaultBlockSize),
                                      scenario.strategies.size(), scenario.years);
  checkpoint.save();
  const auto real = static_cast<double>(fs::file_size(file));
  fs::remove(file);
  EXPECT_LE(real, estimate.checkpoint_bytes);
  EXPECT_LE(estimate.checkpoint_bytes, real + 2048);  // exact but for a rounded header
}

}  // namespace
}  // namespace osteosim
