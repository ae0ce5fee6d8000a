#pragma once
/// Opening the files osteosim reads. Only regular files are accepted: a FIFO would block
/// the run for ever and a device could be read without end, so each path is opened without
/// blocking (O_NONBLOCK) and checked with fstat before a byte is read. The check is made on
/// the opened file, so a path swapped between a check and the read cannot slip through.
#include <cstddef>
#include <optional>
#include <string>

namespace osteosim {

/// An open regular file (closed on destruction), or why `path` cannot be read.
class RegularFile {
 public:
  /// Opens `path` for reading. On failure, file() is false and problem() says why, as a
  /// phrase that follows the file name: "file not found", "is a directory, not a regular
  /// file", "is not a regular file (a FIFO); osteosim reads only regular files",
  /// "cannot be opened for reading (Permission denied)".
  explicit RegularFile(const std::string& path);
  ~RegularFile();
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;

  explicit operator bool() const { return fd_ >= 0; }
  const std::string& problem() const { return problem_; }
  /// Reads up to `count` bytes into `buffer`; returns how many (0 at the end), -1 on error.
  long read(char* buffer, std::size_t count);

 private:
  int fd_ = -1;
  std::string problem_;
};

/// The whole text of a regular file of at most `max_bytes` bytes, or nothing with
/// `problem` set (as for RegularFile, or "file is larger than N bytes").
std::optional<std::string> read_regular_file(const std::string& path, std::size_t max_bytes,
                                             std::string& problem);

/// Throws InputError "<what> 'PATH' is not a regular file (a FIFO); ..." if `path` exists
/// but is neither a regular file nor a directory (which the caller's own checks report).
/// For files opened by a library (HDF5) that would block on a FIFO; stat() never blocks.
void refuse_special_file(const std::string& path, const std::string& what);

}  // namespace osteosim
