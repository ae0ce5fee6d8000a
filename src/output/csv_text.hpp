#pragma once
/// How the CSV exports spell fields: numbers that R and pandas read back exactly, text
/// quoted only when it must be.
#include <charconv>
#include <cmath>
#include <string>

namespace osteosim::output {

inline std::string number_text(double value) {
  // R and pandas both read these spellings back as the same special values.
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  char buffer[32];
  return {buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr};
}

inline std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace osteosim::output
