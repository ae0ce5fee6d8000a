#pragma once
/// Opens a file that must be an osteosim result file, with one clear InputError naming
/// the file for every way it can fail to be one. Shared by every command that reads.
#include <string>

#include "output/hdf5_file.hpp"

namespace osteosim::output {

/// Opens `path` read-only after checking it exists, is HDF5, opens, and carries the
/// osteosim format of a supported version; throws InputError otherwise.
h5::Handle open_result_file(const std::string& path);

}  // namespace osteosim::output
