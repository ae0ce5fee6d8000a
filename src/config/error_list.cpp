#include "config/error_list.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"

namespace osteosim::config {

std::string to_string(const Location& where) {
  if (where.line > 0) return where.file + ":" + std::to_string(where.line);
  return where.file;
}

void ErrorList::add(const Location& where, const std::string& key, const std::string& what) {
  add_raw(where, key.empty() ? what : "key '" + key + "': " + what);
}

std::size_t ErrorList::hash_of(const Location& where, const std::string& text) {
  const std::hash<std::string> hash;
  std::size_t h = hash(where.file);
  h = h * 31 + std::hash<int>()(where.line);
  return h * 31 + hash(text);
}

bool ErrorList::contains(const Location& where, const std::string& text, std::size_t hash) const {
  const auto [first, last] = index_.equal_range(hash);
  return std::any_of(first, last, [&](const auto& entry) {
    const Error& e = errors_[entry.second];
    return e.where.line == where.line && e.where.file == where.file && e.text == text;
  });
}

void ErrorList::add_raw(const Location& where, const std::string& text) {
  // The same problem can be found twice (e.g. a model error seen again while resolving each
  // strategy's parameters); report it once.
  const std::size_t hash = hash_of(where, text);
  if (contains(where, text, hash)) return;
  index_.emplace(hash, errors_.size());
  errors_.push_back({where, text});
}

void ErrorList::append(const ErrorList& other) {
  for (const auto& e : other.errors_) add_raw(e.where, e.text);
  incomplete_ = incomplete_ || other.incomplete_;
}

std::string ErrorList::message() const {
  // Files keep the order in which their first problem was found (scenario before model);
  // within a file, problems are listed top to bottom as the user will fix them.
  std::unordered_map<std::string, std::size_t> file_rank;
  for (const auto& e : errors_) file_rank.emplace(e.where.file, file_rank.size());
  std::vector<const Error*> sorted;
  sorted.reserve(errors_.size());
  for (const auto& e : errors_) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [&](const Error* a, const Error* b) {
    const auto ra = file_rank.at(a->where.file);
    const auto rb = file_rank.at(b->where.file);
    return ra != rb ? ra < rb : a->where.line < b->where.line;
  });
  const std::size_t listed = std::min(sorted.size(), kMaxListedErrors);
  std::string out;
  for (std::size_t i = 0; i < listed; ++i) {
    if (!out.empty()) out += '\n';
    out += to_string(sorted[i]->where) + ": " + sorted[i]->text;
  }
  const std::size_t rest = sorted.size() - listed;
  // A reader that stopped early listed where it stopped; the count is then a lower bound.
  if (rest > 0) {
    out += std::string("\n... and ") + (incomplete_ ? "at least " : "") + std::to_string(rest) +
           (rest == 1 && !incomplete_ ? " more error" : " more errors");
  }
  return out;
}

void ErrorList::throw_if_any() const {
  if (!errors_.empty()) throw InputError(message());
}

}  // namespace osteosim::config
