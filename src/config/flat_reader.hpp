#pragma once
/// Typed, range-checked reads from a flattened YAML file. Every key the loader asks for
/// becomes "known" and every key it reads becomes "consumed"; what is left unconsumed at the
/// end is an unknown key, reported with a did-you-mean from the known keys at its level.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/error_list.hpp"
#include "config/yaml_tree.hpp"

namespace osteosim::config {

/// An allowed interval of values, printed in messages as e.g. "[0, 1]" or "(0, 2]".
struct Range {
  double lo;
  double hi;
  bool lo_open = false;
  bool hi_open = false;
  bool contains(double x) const;
  std::string text() const;
};

enum class Need { optional, required };

/// Parses a YAML scalar as a finite number; nullopt for anything else (incl. NaN, inf).
std::optional<double> parse_number(const std::string& text);
/// Shortest text that reads back as the same double ("0.858", not "0.85799999999999998").
std::string format_number(double x);

class FlatReader {
 public:
  /// `file` is named in "missing key" messages when the enclosing mapping is absent too.
  FlatReader(const FlatTree& tree, ErrorList& errors, std::string file);

  /// The path is a mapping of known keys; a value given there instead is an error.
  void expect_mapping(const std::string& path);
  /// Registers a key as allowed at its level without reading it (for did-you-mean).
  void mark_known(const std::string& path);
  /// Marks `path` and everything below it as read (it was handled elsewhere).
  void consume(const std::string& path);

  const Entry* find(const std::string& path) const;
  /// The leaf at `path`, marked known and consumed; records "missing" or "expected a value,
  /// got a mapping" errors itself and then returns nullptr.
  const Entry* take(const std::string& path, Need need);

  std::optional<double> get_double(const std::string& path, const Range& range, Need need);
  std::optional<std::int64_t> get_int(const std::string& path, std::int64_t lo, std::int64_t hi,
                                      Need need);
  std::optional<std::string> get_string(const std::string& path, Need need);
  /// A lower-case identifier: [a-z0-9_-]+.
  std::optional<std::string> get_name(const std::string& path, Need need);
  std::optional<std::string> get_enum(const std::string& path,
                                      const std::vector<std::string>& choices, Need need);

  /// Records "required key is missing" for `path`, located at its parent mapping.
  void missing(const std::string& path, const std::string& why = "");
  /// The location to report for problems about `path`: its own, or its nearest parent's.
  Location location_of(const std::string& path) const;

  /// Reports every unconsumed key under `prefix` ("" for all) as unknown.
  void report_unknown(const std::string& prefix = "");

  ErrorList& errors() { return errors_; }

 private:
  const FlatTree& tree_;
  ErrorList& errors_;
  std::string file_;
  std::set<std::string> known_;
  std::set<std::string> consumed_;
};

}  // namespace osteosim::config
