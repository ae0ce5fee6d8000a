#pragma once
/// Wall-clock time for provenance records (result files, calibration records).
#include <string>

namespace osteosim {

/// The current time in UTC as ISO 8601, e.g. "2026-11-25T12:50:14Z".
std::string utc_now_iso8601();

}  // namespace osteosim
