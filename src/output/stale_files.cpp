#include "output/stale_files.hpp"

#include <signal.h>
#include <sys/types.h>

#include <cctype>
#include <cerrno>
#include <filesystem>
#include <string_view>

namespace osteosim::output {

namespace fs = std::filesystem;

namespace {

/// The PID a temporary file's name ends with after `prefix` ("1234" or "1234.events.0"),
/// or 0 if the name is not one of them.
pid_t pid_after(std::string_view name, std::string_view prefix) {
  if (name.substr(0, prefix.size()) != prefix) return 0;
  name.remove_prefix(prefix.size());
  const std::size_t digits = name.find_first_not_of("0123456789");
  const std::string_view number = name.substr(0, digits);
  if (number.empty() || number.size() > 9) return 0;
  if (digits != std::string_view::npos && name[digits] != '.') return 0;
  return static_cast<pid_t>(std::stol(std::string(number)));
}

bool process_runs(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

std::vector<std::string> remove_files_of_dead_processes(const std::string& prefix) {
  std::vector<std::string> removed;
  const fs::path pattern(prefix);
  const fs::path directory = pattern.has_parent_path() ? pattern.parent_path() : fs::path(".");
  const std::string name_prefix = pattern.filename().string();
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    const pid_t pid = pid_after(it->path().filename().string(), name_prefix);
    if (pid <= 0 || process_runs(pid)) continue;
    std::error_code ignored;
    if (it->is_regular_file(ignored) && fs::remove(it->path(), ignored)) {
      removed.push_back(it->path().string());
    }
  }
  return removed;
}

std::vector<std::string> remove_stale_run_files(const std::string& output_path,
                                                const std::string& checkpoint_path,
                                                bool writes_result) {
  std::vector<std::string> removed = remove_files_of_dead_processes(checkpoint_path + ".tmp-");
  if (writes_result) {
    for (const char* kind : {".tmp-", ".microdata-"}) {
      for (auto& path : remove_files_of_dead_processes(output_path + kind)) {
        removed.push_back(std::move(path));
      }
    }
  }
  return removed;
}

}  // namespace osteosim::output
