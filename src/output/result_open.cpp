#include "output/result_open.hpp"

#include <filesystem>

#include "common/error.hpp"
#include "common/input_file.hpp"
#include "output/file_seal.hpp"
#include "output/result_format.hpp"
#include "output/result_invariants.hpp"

namespace osteosim::output {

namespace {

/// The checks before libhdf5 reads a byte: a regular file, sealed, its bytes intact.
void check_file_before_parsing(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) throw InputError("result file '" + path + "' does not exist");
  if (fs::is_directory(status))
    throw InputError("'" + path + "' is a directory, not a result file");
  refuse_special_file(path, "result file");  // a FIFO would block the reader
  if (!has_seal(path)) {
    throw InputError(h5::is_hdf5(path)
                         ? "'" + path +
                               "' is not an osteosim result file (an HDF5 file without the seal "
                               "osteosim writes in its first bytes)"
                         : "'" + path + "' is not an osteosim result file (not an HDF5 file)");
  }
  verify_seal(path);
}

}  // namespace

h5::Handle open_result_file(const std::string& path) {
  check_file_before_parsing(path);
  h5::Handle file;
  try {
    file = h5::open_file_read_only(path);
  } catch (const IoError& e) {
    throw InputError("'" + path + "' cannot be opened; it may be damaged (" + e.what() + ")");
  }
  try {
    if (!h5::has_attribute(file.get(), "format") ||
        h5::read_string_attribute(file.get(), "format") != kFormatName) {
      throw InputError("'" + path + "' is not an osteosim result file");
    }
    const auto version = h5::read_attribute<std::int64_t>(file.get(), "format_version");
    if (version != kFormatVersion) {
      throw InputError("'" + path + "': format_version " + std::to_string(version) +
                       " is not supported (this osteosim reads version " +
                       std::to_string(kFormatVersion) + ")");
    }
    check_result_invariants(file.get());
  } catch (const IoError& e) {
    throw InputError("'" + path +
                     "' is damaged or was changed after osteosim wrote it: " + e.what());
  }
  return file;
}

}  // namespace osteosim::output
