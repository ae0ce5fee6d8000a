#include "config/csv_table.hpp"

#include <vector>

#include "common/input_file.hpp"

namespace osteosim::config {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

// Well-formed UTF-8 (no overlongs or surrogates checked beyond the lead-byte ranges; what
// matters is that text columns do not carry binary garbage into result files).
bool valid_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    if (c < 0x80)
      extra = 0;
    else if (c >= 0xC2 && c <= 0xDF)
      extra = 1;
    else if (c >= 0xE0 && c <= 0xEF)
      extra = 2;
    else if (c >= 0xF0 && c <= 0xF4)
      extra = 3;
    else
      return false;
    if (extra > 0 && i + extra >= s.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

// Splits one CSV line (RFC 4180 quoting: "a, b" and "" for a quote). Returns false with
// `problem` set on malformed quoting.
bool split_csv_line(const std::string& line, std::vector<std::string>& fields,
                    std::string& problem) {
  fields.clear();
  std::size_t i = 0;
  while (true) {
    std::string field;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field += line[i++];
      }
      if (!closed) {
        problem = "unterminated quoted field";
        return false;
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != ',') {
        problem = "unexpected text after a closing quote";
        return false;
      }
      fields.push_back(field);
    } else {
      const auto comma = line.find(',', i);
      field = line.substr(i, comma == std::string::npos ? std::string::npos : comma - i);
      if (field.find('"') != std::string::npos) {
        problem = "a quote inside an unquoted field (quote the whole field)";
        return false;
      }
      fields.push_back(trim(field));
      i = comma == std::string::npos ? line.size() : comma;
    }
    if (i >= line.size()) return true;
    ++i;  // the comma
    if (i == line.size()) {
      fields.emplace_back();
      return true;
    }
  }
}

}  // namespace

std::optional<model::AgeTable> read_csv_table(const std::string& path, const TableSpec& spec,
                                              const std::string& context, ErrorList& errors) {
  bool ok = true;
  int problems = 0;
  const auto fail = [&](int line, const std::string& what) {
    errors.add_raw({path, line}, what + " (" + context + ")");
    ok = false;
    ++problems;
  };
  std::string problem;
  auto read = read_regular_file(path, kMaxCsvFileBytes, problem);
  if (!read) {
    fail(0, problem);
    return std::nullopt;
  }
  std::string& text = *read;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // UTF-8 byte-order mark

  model::AgeTable table;
  table.source_file = path;
  std::vector<std::string> header;
  bool has_source = false;
  std::vector<std::string> fields;
  std::size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    if (problems >= kMaxCsvProblems) {
      fail(line_no, "stopped checking the table after " + std::to_string(kMaxCsvProblems) +
                        " problems; later lines are not checked");
      errors.mark_incomplete();
      break;
    }
    auto eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find('\0') != std::string::npos || !valid_utf8(line)) {
      fail(line_no, "not UTF-8 text");
      return std::nullopt;
    }
    const std::string stripped = trim(line);
    if (stripped.empty() || stripped.front() == '#') continue;
    std::string problem;
    if (!split_csv_line(line, fields, problem)) {
      fail(line_no, problem);
      continue;
    }
    if (header.empty()) {
      header = fields;
      const std::string expected = spec.key_column + ",female,male";
      has_source = header.size() == 4 && header[3] == "source";
      const bool good = (header.size() == 3 || has_source) && header[0] == spec.key_column &&
                        header[1] == "female" && header[2] == "male";
      if (!good) {
        fail(line_no, "header must be '" + expected + "' optionally followed by ',source', got '" +
                          stripped.substr(0, 80) + "'");
        return std::nullopt;
      }
      continue;
    }
    if (fields.size() != header.size()) {
      fail(line_no, "expected " + std::to_string(header.size()) + " fields as in the header, got " +
                        std::to_string(fields.size()));
      continue;
    }
    double row[3] = {0, 0, 0};
    bool row_ok = true;
    for (std::size_t c = 0; c < 3; ++c) {
      const std::string shown = fields[c].size() > 40 ? fields[c].substr(0, 40) + "..." : fields[c];
      const auto value = parse_number(fields[c]);
      if (!value) {
        fail(line_no, "column '" + header[c] + "': '" + shown + "' is not a number");
        row_ok = false;
        continue;
      }
      const Range& range = c == 0 ? spec.key_range : spec.value_range;
      if (!range.contains(*value)) {
        fail(line_no,
             "column '" + header[c] + "': " + shown + " is out of range: allowed " + range.text());
        row_ok = false;
        continue;
      }
      row[c] = *value;
    }
    if (!row_ok) continue;
    if (!table.keys.empty() && row[0] <= table.keys.back()) {
      fail(line_no, "column '" + header[0] + "': " + fields[0] +
                        " is not greater than the previous row's " +
                        format_number(table.keys.back()) + " (keys must be strictly increasing)");
      continue;
    }
    table.keys.push_back(row[0]);
    table.values[0].push_back(row[1] * spec.scale);
    table.values[1].push_back(row[2] * spec.scale);
  }
  if (header.empty()) {
    fail(0, "the table is empty (no header)");
  } else if (ok && table.keys.empty()) {
    fail(0, "the table has a header but no rows");
  }
  if (!ok) return std::nullopt;
  return table;
}

}  // namespace osteosim::config
