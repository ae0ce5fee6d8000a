#pragma once
/// Collects every problem found in the input files so that one InputError reports them all
/// (fixing one error at a time through repeated runs is what we want to spare users).
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace osteosim::config {

/// Where a value came from: a file and a 1-based line (0 when there is no line, e.g. the
/// command line or a missing key).
struct Location {
  std::string file;
  int line = 0;
};

/// At most this many problems are listed; the message then counts the rest. Hundreds of
/// lines help nobody, and a file of 200,000 bad rows must not print megabytes.
inline constexpr std::size_t kMaxListedErrors = 100;

class ErrorList {
 public:
  /// "FILE:LINE: key 'KEY': WHAT" (the key part is omitted when `key` is empty).
  void add(const Location& where, const std::string& key, const std::string& what);
  /// A message that is already complete after "FILE:LINE: ".
  void add_raw(const Location& where, const std::string& text);
  /// Says that a reader stopped before the end of its file (too many problems there): the
  /// count of the problems not listed becomes "at least".
  void mark_incomplete() { incomplete_ = true; }
  /// Appends the errors of another list (e.g. of another scenario file).
  void append(const ErrorList& other);
  bool empty() const { return errors_.empty(); }
  /// The number of distinct problems recorded.
  std::size_t size() const { return errors_.size(); }
  /// One line per problem, ordered by file (in order of first appearance) then line: the
  /// first kMaxListedErrors of them, then "... and K more errors".
  std::string message() const;
  /// Throws InputError with message() if any error was recorded.
  void throw_if_any() const;

 private:
  struct Error {
    Location where;
    std::string text;
  };
  static std::size_t hash_of(const Location& where, const std::string& text);
  bool contains(const Location& where, const std::string& text, std::size_t hash) const;

  std::vector<Error> errors_;  ///< distinct, in the order found
  /// Hash of each error -> its index in errors_: finding a duplicate takes constant time
  /// (comparing with every earlier error made 20,000 bad table rows take seconds).
  std::unordered_multimap<std::size_t, std::size_t> index_;
  bool incomplete_ = false;
};

/// "FILE:LINE" or "FILE" when the line is unknown.
std::string to_string(const Location& where);

}  // namespace osteosim::config
