#include "config/error_list.hpp"

#include <algorithm>
#include <map>

#include "common/error.hpp"

namespace osteosim::config {

std::string to_string(const Location& where) {
  if (where.line > 0) return where.file + ":" + std::to_string(where.line);
  return where.file;
}

void ErrorList::add(const Location& where, const std::string& key, const std::string& what) {
  add_raw(where, key.empty() ? what : "key '" + key + "': " + what);
}

void ErrorList::add_raw(const Location& where, const std::string& text) {
  // The same problem can be found twice (e.g. a model error seen again while resolving each
  // strategy's parameters); report it once.
  for (const auto& e : errors_) {
    if (e.where.file == where.file && e.where.line == where.line && e.text == text) return;
  }
  errors_.push_back({where, text});
}

void ErrorList::append(const ErrorList& other) {
  for (const auto& e : other.errors_) add_raw(e.where, e.text);
}

std::string ErrorList::message() const {
  // Files keep the order in which their first problem was found (scenario before model);
  // within a file, problems are listed top to bottom as the user will fix them.
  std::map<std::string, std::size_t> file_rank;
  for (const auto& e : errors_) file_rank.emplace(e.where.file, file_rank.size());
  std::vector<Error> sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(), [&](const Error& a, const Error& b) {
    const auto ra = file_rank.at(a.where.file);
    const auto rb = file_rank.at(b.where.file);
    return ra != rb ? ra < rb : a.where.line < b.where.line;
  });
  std::string out;
  for (const auto& e : sorted) {
    if (!out.empty()) out += '\n';
    out += to_string(e.where) + ": " + e.text;
  }
  return out;
}

void ErrorList::throw_if_any() const {
  if (!errors_.empty()) throw InputError(message());
}

}  // namespace osteosim::config
