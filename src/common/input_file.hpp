#pragma once
/// Reading the files osteosim is given. Only regular files are accepted: a FIFO would block
/// the run for ever and a device could be read without end, so each path is opened without
/// blocking (O_NONBLOCK) and checked with fstat before a byte is read. The check is made on
/// the opened file, so a path swapped between a check and the read cannot slip through.
#include <cstddef>
#include <optional>
#include <string>

namespace osteosim {

/// The whole text of the regular file `path` if it has at most `max_bytes` bytes; otherwise
/// nothing, with `problem` set to a phrase that follows the file name: "file not found",
/// "is a directory, not a regular file", "is not a regular file (a FIFO); osteosim reads
/// only regular files", "cannot be opened for reading (Permission denied)", "file is
/// larger than N bytes".
std::optional<std::string> read_regular_file(const std::string& path, std::size_t max_bytes,
                                             std::string& problem);

/// Throws InputError "<what> 'PATH' is not a regular file (a FIFO); ..." if `path` exists
/// but is neither a regular file nor a directory (which the caller's own checks report).
/// For files opened by a library (HDF5) that would block on a FIFO; stat() never blocks.
void refuse_special_file(const std::string& path, const std::string& what);

}  // namespace osteosim
