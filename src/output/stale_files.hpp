#pragma once
/// What a killed run leaves behind. kill -9 (or a crash, or power loss) gives no process the
/// chance to remove its temporary files: the result being written ("OUT.h5.tmp-PID"), the
/// checkpoint being saved ("OUT.h5.checkpoint.tmp-PID") and the event spools
/// ("OUT.h5.microdata-PID.events.0", ...). A later run never reads them (it names its own
/// files with its own PID, and truncates them), but they fill the disk a resumed run needs.
#include <string>
#include <vector>

namespace osteosim::output {

/// Removes the files in the directory of `prefix` named "<prefix><PID>" or
/// "<prefix><PID>.<anything>" whose process PID no longer runs on this machine; a running
/// process's files (another run writing the same output) are left alone. Returns the
/// paths removed. Never throws: this is tidying, not a precondition.
std::vector<std::string> remove_files_of_dead_processes(const std::string& prefix);

/// The temporary files of the run writing `output_path` (when `writes_result`: under MPI
/// only rank 0 does, and its files must not be touched by a rank on another machine) and
/// saving `checkpoint_path`, left by runs that were killed. Returns the paths removed.
std::vector<std::string> remove_stale_run_files(const std::string& output_path,
                                                const std::string& checkpoint_path,
                                                bool writes_result);

}  // namespace osteosim::output
