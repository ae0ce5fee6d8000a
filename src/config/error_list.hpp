#pragma once
/// Collects every problem found in the input files so that one InputError reports them all
/// (fixing one error at a time through repeated runs is what we want to spare users).
#include <string>
#include <vector>

namespace osteosim::config {

/// Where a value came from: a file and a 1-based line (0 when there is no line, e.g. the
/// command line or a missing key).
struct Location {
  std::string file;
  int line = 0;
};

class ErrorList {
 public:
  /// "FILE:LINE: key 'KEY': WHAT" (the key part is omitted when `key` is empty).
  void add(const Location& where, const std::string& key, const std::string& what);
  /// A message that is already complete after "FILE:LINE: ".
  void add_raw(const Location& where, const std::string& text);
  /// Appends the errors of another list (e.g. of another scenario file).
  void append(const ErrorList& other);
  bool empty() const { return errors_.empty(); }
  std::size_t size() const { return errors_.size(); }
  /// One line per problem, ordered by file (in order of first appearance) then line.
  std::string message() const;
  /// Throws InputError with message() if any error was recorded.
  void throw_if_any() const;

 private:
  struct Error {
    Location where;
    std::string text;
  };
  std::vector<Error> errors_;
};

/// "FILE:LINE" or "FILE" when the line is unknown.
std::string to_string(const Location& where);

}  // namespace osteosim::config
