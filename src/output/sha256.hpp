#pragma once
/// SHA-256 digests (FIPS 180-4) of strings and files, for the input checksums that every
/// result file records. Self-contained so output/ needs no crypto library.
#include <string>
#include <string_view>

namespace osteosim::output {

/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// Lower-case hex SHA-256 of the file's bytes; throws IoError if it cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace osteosim::output
