#pragma once
/// Where a result file goes: checks made before a long run, and a temporary file that is
/// renamed into place only when complete, so no reader ever sees a partial result.
#include <string>
#include <vector>

namespace osteosim::output {

/// A file a command will write, and what it is ("result file", "checkpoint", ...).
struct PlannedOutput {
  std::string path;
  std::string role;
};

/// Throws InputError if `path` cannot be written: it exists and !force ("output file 'X'
/// exists; use --force to overwrite"), it is a directory, or its directory is missing or
/// not writable. The CLI calls this before simulating so errors come before a long run.
void check_output_path(const std::string& path, bool force);

/// Throws InputError if what a run writes next to `path` may not fit: less free space on
/// its filesystem than `disk_bytes` (all its files together), or a file-size limit (ulimit
/// -f) below `largest_file_bytes`. The CLI calls this before a long run with upper bounds
/// of what it will write; the writer still reports a disk that fills up meanwhile, and
/// leaves no partial file.
void check_output_space(const std::string& path, double disk_bytes, double largest_file_bytes);

/// Throws InputError if one of `outputs` is one of `inputs`: the same existing file
/// (std::filesystem::equivalent: also through links) or the same absolute, lexically
/// normalised path. `run S.yaml -o S.yaml --force` would otherwise overwrite its scenario.
void check_not_an_input(const std::vector<PlannedOutput>& outputs,
                        const std::vector<std::string>& inputs);

/// Creates (O_CREAT | O_EXCL) and removes each of `outputs` that does not exist yet, so that
/// a name the filesystem refuses (too long, a read-only mount, no inodes) is an InputError
/// naming the path and the reason before a long run rather than a lost run at its end.
void try_create(const std::vector<PlannedOutput>& outputs);

/// "<path>.tmp-<pid>": where TemporaryOutput writes before renaming into `final_path`.
std::string temporary_path_for(const std::string& final_path);

/// A temporary sibling of the final path ("<path>.tmp-<pid>") that is removed when the
/// guard goes out of scope, unless commit() renamed it into place.
class TemporaryOutput {
 public:
  explicit TemporaryOutput(std::string final_path);
  ~TemporaryOutput();
  TemporaryOutput(const TemporaryOutput&) = delete;
  TemporaryOutput& operator=(const TemporaryOutput&) = delete;

  /// The path to write to.
  const std::string& path() const { return temporary_path_; }
  /// Flushes the finished (closed) temporary file to disk and renames it over the final
  /// path; throws IoError on failure.
  void commit();

 private:
  std::string final_path_;
  std::string temporary_path_;
  bool committed_ = false;
};

}  // namespace osteosim::output
