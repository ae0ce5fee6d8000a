#pragma once
/// Every file `osteosim run` will create, checked before computing: none may be an input of
/// the run, and each must be creatable (a name too long for the filesystem would otherwise
/// surface when the checkpoint or the result is written, after the whole simulation).
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "output/output_path.hpp"

namespace osteosim::cli {

/// "<OUT.h5>.microdata-<pid>": the base name of the run's microdata spool files.
std::string microdata_spool_base(const std::string& output_path);

/// The files a run writes: the result and its temporary file (only the `writer` rank), the
/// checkpoint of `checkpoint_base` and its temporary file, and the microdata spool files
/// when the scenario samples event histories.
std::vector<output::PlannedOutput> run_outputs(const config::Scenario& scenario,
                                               const std::string& output_path,
                                               const std::string& checkpoint_base, bool writer);

/// Throws InputError if one of the run's outputs is one of its input files, or cannot be
/// created.
void check_run_outputs(const config::Scenario& scenario, const std::string& output_path,
                       const std::string& checkpoint_base, bool writer);

}  // namespace osteosim::cli
