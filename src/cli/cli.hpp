#pragma once
/// The command line: `osteosim run|check|summary`, parsed with Boost.Program_options.
/// Lives in the library so that tests drive it exactly as a user does.
#include <ostream>

namespace osteosim::cli {

/// Exit codes (DESIGN.md): success, runtime failure, bad input or usage.
inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

/// Runs the command line and returns the process exit code; never throws.
int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
         bool err_is_terminal);

}  // namespace osteosim::cli
