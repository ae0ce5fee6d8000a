#pragma once
/// The cost-effectiveness part of `osteosim summary`: the incremental table with dominance
/// and ICERs, net monetary benefit, and from a PSA the acceptability at chosen
/// willingness-to-pay values, EVPI and the Monte Carlo error per draw.
#include <ostream>
#include <string>

namespace osteosim::output {

/// Prints the /analysis groups of a result file; nothing if it has none.
void print_economics(const std::string& path, std::ostream& out);

}  // namespace osteosim::output
