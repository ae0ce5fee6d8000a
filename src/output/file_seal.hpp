#pragma once
/// The seal of a result file: its first 512 bytes (an HDF5 user block, which HDF5, h5py,
/// netCDF and R skip) say how many bytes follow and their CRC-32. The readers check the seal
/// before libhdf5 sees a byte, so a truncated, bit-flipped or overwritten file is refused
/// with a message instead of being parsed: libhdf5 can crash on damaged metadata (a 4 KB
/// flip crashed H5Literate, issue 19), and damaged raw data would read as plausible numbers.
/// A file changed by another program (h5py in "a" mode, say) fails the seal too.
#include <cstddef>
#include <string>

namespace osteosim::output {

/// Bytes reserved at the start of every result file for the seal (HDF5's smallest user
/// block; the HDF5 superblock follows at this offset).
inline constexpr std::size_t kSealBytes = 512;

/// Writes the seal of a closed HDF5 file created with a kSealBytes user block: the length
/// and CRC-32 of everything after the user block. Throws IoError if it cannot.
void seal_file(const std::string& path);

/// True if the file starts with a seal (of any validity): the file was meant to be sealed.
bool has_seal(const std::string& path);

/// Throws InputError naming `path` and what is wrong if the file has no valid seal or its
/// bytes do not match it (truncated, extended, damaged or changed).
void verify_seal(const std::string& path);

}  // namespace osteosim::output
