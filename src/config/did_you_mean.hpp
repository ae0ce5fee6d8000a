#pragma once
/// Suggestions for misspelt keys and enum values ("did you mean 'years'?").
#include <string>
#include <string_view>
#include <vector>

namespace osteosim::config {

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-blind.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The closest candidate to `word`, or "" when none is close enough: within an edit distance
/// that grows with the word's length (1 up to 4 letters, 2 up to 8, else 3), or sharing a
/// prefix of at least 3 letters with it.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// " (did you mean 'X'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace osteosim::config
