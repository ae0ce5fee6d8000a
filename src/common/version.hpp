#pragma once
/// Build identity, filled in by CMake (src/common/version.cpp.in).
#include <string>

namespace osteosim {
std::string version();      ///< e.g. "0.1.0"
std::string git_commit();   ///< commit the binary was built from, or "unknown"
std::string compiler();     ///< compiler id and version
}  // namespace osteosim
