#include "config/flat_reader.hpp"

#include <charconv>
#include <cmath>

#include "config/did_you_mean.hpp"

namespace osteosim::config {
namespace {

std::string lower_case(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool is_scalar_value(const YAML::Node& node) { return node.IsDefined() && node.IsScalar(); }

std::string join_choices(const std::vector<std::string>& choices) {
  std::string out;
  for (const auto& c : choices) out += (out.empty() ? "" : ", ") + c;
  return out;
}

}  // namespace

bool Range::contains(double x) const {
  const bool above = lo_open ? x > lo : x >= lo;
  const bool below = hi_open ? x < hi : x <= hi;
  return above && below;
}

std::string Range::text() const {
  return std::string(lo_open ? "(" : "[") + format_number(lo) + ", " + format_number(hi) +
         (hi_open ? ")" : "]");
}

std::optional<double> parse_number(const std::string& raw) {
  std::string text = raw;
  // YAML spells infinities and NaN .inf/.nan; from_chars would accept "inf"/"nan". Both are
  // rejected: no parameter is meaningfully infinite, and NaN poisons every comparison.
  const std::string low = lower_case(text);
  if (low.find("nan") != std::string::npos || low.find("inf") != std::string::npos) {
    return std::nullopt;
  }
  if (!text.empty() && text.front() == '+') text.erase(0, 1);
  if (text.empty() || text.front() == '+') return std::nullopt;
  double value = 0;
  const auto* begin = text.data();
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, value, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string format_number(double x) {
  char buffer[64];
  const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return ec == std::errc() ? std::string(buffer, ptr) : std::to_string(x);
}

FlatReader::FlatReader(const FlatTree& tree, ErrorList& errors, std::string file)
    : tree_(tree), errors_(errors), file_(std::move(file)) {}

void FlatReader::mark_known(const std::string& path) {
  for (std::string p = path; !p.empty(); p = parent_path(p)) known_.insert(p);
}

void FlatReader::consume(const std::string& path) {
  mark_known(path);
  for (auto it = tree_.lower_bound(path); it != tree_.end() && is_under(it->first, path); ++it) {
    consumed_.insert(it->first);
  }
}

const Entry* FlatReader::find(const std::string& path) const {
  const auto it = tree_.find(path);
  return it == tree_.end() ? nullptr : &it->second;
}

Location FlatReader::location_of(const std::string& path) const {
  for (std::string p = path; !p.empty(); p = parent_path(p)) {
    if (const Entry* e = find(p)) return e->where;
  }
  return {file_, 0};
}

void FlatReader::missing(const std::string& path, const std::string& why) {
  const std::string parent = parent_path(path);
  const Entry* mapping = parent.empty() ? nullptr : find(parent);
  const std::string where =
      parent.empty() ? "at the top level" : "in mapping '" + parent + "'";
  const Location loc = mapping ? mapping->where : Location{file_, 0};
  errors_.add(loc, path, "required key is missing (" + where + ")" + why);
}

void FlatReader::expect_mapping(const std::string& path) {
  mark_known(path);
  const Entry* e = find(path);
  if (e && !e->is_mapping) {
    consumed_.insert(path);
    if (!e->node.IsNull()) {
      errors_.add(e->where, path, "expected a mapping of keys, got " + describe(e->node));
    }
  } else if (e) {
    consumed_.insert(path);
  }
}

const Entry* FlatReader::take(const std::string& path, Need need) {
  mark_known(path);
  const Entry* e = find(path);
  if (!e) {
    if (need == Need::required) missing(path);
    return nullptr;
  }
  if (e->is_mapping) {
    consume(path);
    errors_.add(e->where, path, "expected a single value, got a mapping");
    return nullptr;
  }
  consumed_.insert(path);
  return e;
}

std::optional<double> FlatReader::get_double(const std::string& path, const Range& range,
                                              Need need) {
  const Entry* e = take(path, need);
  if (!e) return std::nullopt;
  const auto value = is_scalar_value(e->node) ? parse_number(e->node.Scalar()) : std::nullopt;
  if (!value) {
    errors_.add(e->where, path, "expected a finite number, got " + describe(e->node));
    return std::nullopt;
  }
  if (!range.contains(*value)) {
    errors_.add(e->where, path,
                e->node.Scalar() + " is out of range: allowed " + range.text());
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> FlatReader::get_int(const std::string& path, std::int64_t lo,
                                                std::int64_t hi, Need need) {
  const Entry* e = take(path, need);
  if (!e) return std::nullopt;
  const std::string range = "allowed " + std::to_string(lo) + " to " + std::to_string(hi);
  if (!is_scalar_value(e->node)) {
    errors_.add(e->where, path, "expected an integer, got " + describe(e->node));
    return std::nullopt;
  }
  const std::string& text = e->node.Scalar();
  // Integers may be written as 1000000 or 1e6; anything with a fractional part is not one.
  const auto value = parse_number(text);
  if (!value || std::floor(*value) != *value) {
    errors_.add(e->where, path, "expected an integer, got " + describe(e->node));
    return std::nullopt;
  }
  if (*value < static_cast<double>(lo) || *value > static_cast<double>(hi)) {
    errors_.add(e->where, path, text + " is out of range: " + range);
    return std::nullopt;
  }
  // Exact for plain digit strings beyond 2^53.
  std::int64_t exact = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), exact);
  if (ec == std::errc() && ptr == text.data() + text.size()) {
    if (exact < lo || exact > hi) {
      errors_.add(e->where, path, text + " is out of range: " + range);
      return std::nullopt;
    }
    return exact;
  }
  return static_cast<std::int64_t>(*value);
}

std::optional<std::string> FlatReader::get_string(const std::string& path, Need need) {
  const Entry* e = take(path, need);
  if (!e) return std::nullopt;
  if (!is_scalar_value(e->node)) {
    errors_.add(e->where, path, "expected a text, got " + describe(e->node));
    return std::nullopt;
  }
  return e->node.Scalar();
}

std::optional<std::string> FlatReader::get_name(const std::string& path, Need need) {
  const Entry* e = find(path);
  auto text = get_string(path, need);
  if (!text) return std::nullopt;
  bool ok = !text->empty() && text->size() <= 100;
  for (const char c : *text) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
  }
  if (!ok) {
    errors_.add(e->where, path,
                "invalid name " + describe(e->node) +
                    ": use lower-case letters, digits, '_' and '-' only");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> FlatReader::get_enum(const std::string& path,
                                                const std::vector<std::string>& choices,
                                                Need need) {
  const Entry* e = find(path);
  auto text = get_string(path, need);
  if (!text) return std::nullopt;
  for (const auto& c : choices) {
    if (*text == c) return text;
  }
  errors_.add(e->where, path,
              "invalid value " + describe(e->node) + did_you_mean(*text, choices) +
                  "; expected one of: " + join_choices(choices));
  return std::nullopt;
}

void FlatReader::report_unknown(const std::string& prefix) {
  std::set<std::string> reported;
  for (auto it = tree_.lower_bound(prefix); it != tree_.end() && is_under(it->first, prefix); ++it) {
    const std::string& path = it->first;
    if (consumed_.count(path) || (it->second.is_mapping && known_.count(path))) continue;
    // Report the outermost unknown key only: "popultion", not each key below it.
    std::string unknown = path;
    for (std::string p = parent_path(path); !p.empty() && !known_.count(p); p = parent_path(p)) {
      unknown = p;
    }
    if (known_.count(unknown) || !reported.insert(unknown).second) continue;
    const std::string parent = parent_path(unknown);
    std::vector<std::string> siblings;
    for (const auto& k : known_) {
      if (parent_path(k) == parent) siblings.push_back(k);
    }
    // Compare last components ("yaers" vs "years"), suggest the full path.
    std::vector<std::string> names;
    for (const auto& s : siblings) names.push_back(parent.empty() ? s : s.substr(parent.size() + 1));
    const std::string leaf = parent.empty() ? unknown : unknown.substr(parent.size() + 1);
    const std::string match = closest_match(leaf, names);
    const std::string hint =
        match.empty() ? "" : " (did you mean '" + (parent.empty() ? match : parent + "." + match) + "'?)";
    const Entry* e = find(unknown);
    errors_.add_raw(e ? e->where : it->second.where, "unknown key '" + unknown + "'" + hint);
  }
}

}  // namespace osteosim::config
