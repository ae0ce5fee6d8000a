#pragma once
/// Typed errors thrown at the boundaries (configuration, files). main() maps them to exit
/// codes: InputError -> 2 (bad input or usage), anything else -> 1 (runtime failure).
#include <stdexcept>
#include <string>

namespace osteosim {

/// Bad input: a scenario or model file, a table, a command-line argument, an existing
/// output file without --force. The message names file, line and key where known.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A failure while reading or writing result files (I/O, HDF5).
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Memory ran out (std::bad_alloc translated where it is known what was being done): exit
/// 1, after the finished work was saved, with a message naming what ran out and why.
class OutOfMemory : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A run stopped on request (SIGINT/SIGTERM) before it finished; finished work may have
/// been kept in a checkpoint. The CLI exits with 128 + the signal number.
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace osteosim
