#include "output/result_open.hpp"

#include <filesystem>

#include "common/error.hpp"
#include "output/result_format.hpp"

namespace osteosim::output {

h5::Handle open_result_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::exists(path, error)) throw InputError("result file '" + path + "' does not exist");
  if (fs::is_directory(path, error)) throw InputError("'" + path + "' is a directory, not a result file");
  if (!h5::is_hdf5(path)) {
    throw InputError("'" + path + "' is not an osteosim result file (not an HDF5 file)");
  }
  h5::Handle file;
  try {
    file = h5::open_file_read_only(path);
  } catch (const IoError& e) {
    throw InputError("'" + path + "' cannot be opened; it may be truncated or damaged (" +
                     e.what() + ")");
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
  } catch (const IoError& e) {
    throw InputError("'" + path + "' is damaged or incomplete: " + e.what());
  }
  return file;
}

}  // namespace osteosim::output
