#pragma once
/// `osteosim describe`: the result-file dictionary (from result_variables.cpp, as text or
/// as the Markdown of docs/outputs.md) and the description of one written file.
#include <ostream>
#include <string>

namespace osteosim::output {

/// Prints every group, attribute, coordinate and variable the writer can write.
void print_dictionary(std::ostream& out, bool markdown);

/// Prints what `path` holds: each group's attributes with their values and each dataset
/// with its dimensions, shape, type, units and long_name. InputError if not a result file.
void describe_file(const std::string& path, std::ostream& out);

}  // namespace osteosim::output
