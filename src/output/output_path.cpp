#include "output/output_path.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "common/error.hpp"
#include "common/kill_point.hpp"

namespace osteosim::output {

namespace fs = std::filesystem;

namespace {

fs::path directory_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// fsync on a path; returns 0 or the errno of the failure.
int sync_path(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return errno;
  const int result = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return result;
}

/// The absolute, normalised form of `path` (without resolving links), for comparing.
fs::path absolute_normal(const std::string& path) {
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error);
  return (error ? fs::path(path) : absolute).lexically_normal();
}

bool same_file(const std::string& a, const std::string& b) {
  if (absolute_normal(a) == absolute_normal(b)) return true;
  std::error_code error;
  return fs::equivalent(a, b, error) && !error;
}

}  // namespace

void check_output_path(const std::string& path, bool force) {
  if (path.empty()) throw InputError("no output file given");
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (fs::is_directory(status)) throw InputError("output path '" + path + "' is a directory");
  // Renaming over a FIFO or a device (-o /dev/null --force as root) would replace it.
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw InputError("output path '" + path +
                     "' exists and is not a regular file (a FIFO, device or socket): choose "
                     "another name");
  }
  if (fs::exists(status) && !force) {
    throw InputError("output file '" + path + "' exists; use --force to overwrite");
  }
  const fs::path directory = directory_of(path);
  if (!fs::is_directory(directory, error)) {
    throw InputError("output directory '" + directory.string() + "' does not exist");
  }
  // W_OK and X_OK: creating the temporary file and renaming it need both.
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    throw InputError("output directory '" + directory.string() + "' is not writable");
  }
}

void check_not_an_input(const std::vector<PlannedOutput>& outputs,
                        const std::vector<std::string>& inputs) {
  for (const PlannedOutput& output : outputs) {
    for (const std::string& input : inputs) {
      if (same_file(output.path, input)) {
        throw InputError("the " + output.role + " '" + output.path + "' is the input file '" +
                         input +
                         "' of this run; writing it would destroy the input: choose "
                         "another output name");
      }
    }
  }
}

void try_create(const std::vector<PlannedOutput>& outputs) {
  for (const PlannedOutput& output : outputs) {
    const int fd = ::open(output.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      if (errno == EEXIST) continue;  // the writer replaces it; check_output_path judged it
      throw InputError("cannot create the " + output.role + " '" + output.path +
                       "': " + std::strerror(errno));
    }
    ::close(fd);
    ::unlink(output.path.c_str());
  }
}

std::string temporary_path_for(const std::string& final_path) {
  return final_path + ".tmp-" + std::to_string(::getpid());
}

void check_output_space(const std::string& path, double disk_bytes, double largest_file_bytes) {
  const auto megabytes = [](double bytes) {
    return std::to_string(static_cast<long long>(bytes / 1e6) + 1) + " MB";
  };
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      static_cast<double>(limit.rlim_cur) < largest_file_bytes) {
    throw InputError("the run writes files next to '" + path + "' of up to " +
                     megabytes(largest_file_bytes) + " but the file-size limit (ulimit -f) is " +
                     std::to_string(limit.rlim_cur) +
                     " bytes: raise it, or write fewer years "
                     "or strategies");
  }
  struct statvfs disk {};
  if (::statvfs(directory_of(path).c_str(), &disk) == 0 &&
      static_cast<double>(disk.f_bavail) * static_cast<double>(disk.f_frsize) < disk_bytes) {
    throw InputError(
        "the result file '" + path + "' and its checkpoint may need up to " +
        megabytes(disk_bytes) + " but only " +
        std::to_string(static_cast<long long>(static_cast<double>(disk.f_bavail) *
                                              static_cast<double>(disk.f_frsize) / 1e6)) +
        " MB are free in '" + directory_of(path).string() + "'");
  }
}

TemporaryOutput::TemporaryOutput(std::string final_path)
    : final_path_(std::move(final_path)), temporary_path_(temporary_path_for(final_path_)) {}

TemporaryOutput::~TemporaryOutput() {
  if (!committed_) std::remove(temporary_path_.c_str());
}

void TemporaryOutput::commit() {
  kill_point();  // a test hook: see common/kill_point.hpp
  // Data on disk before the rename makes it visible: a crash then leaves either the old
  // file or the complete new one.
  if (const int error = sync_path(temporary_path_, false); error != 0) {
    throw IoError("cannot flush '" + temporary_path_ + "' to disk: " + std::strerror(error));
  }
  if (std::rename(temporary_path_.c_str(), final_path_.c_str()) != 0) {
    throw IoError("cannot rename '" + temporary_path_ + "' to '" + final_path_ +
                  "': " + std::strerror(errno));
  }
  committed_ = true;
  // Best effort: makes the rename itself durable; some filesystems refuse directory fsync.
  sync_path(directory_of(final_path_).string(), true);
}

}  // namespace osteosim::output
