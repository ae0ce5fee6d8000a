#include "config/yaml_tree.hpp"

#include <sstream>
#include <vector>

#include "common/input_file.hpp"

namespace osteosim::config {
namespace {

int line_of(const YAML::Node& node) {
  // yaml-cpp marks are 0-based; a node built in code has line -1.
  const int line = node.Mark().line;
  return line >= 0 ? line + 1 : 0;
}

bool valid_key_component(const std::string& key) {
  if (key.empty() || key.size() > 100) return false;
  for (const char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string> split_dots(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

std::string join(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

int depth_of(const std::string& path) {
  int depth = path.empty() ? 0 : 1;
  for (const char c : path) depth += c == '.';
  return depth;
}

struct FlattenState {
  FlatTree& tree;
  ErrorList& errors;
  std::string file;
  std::size_t nodes = 0;
  bool budget_exceeded = false;
};

// Counts the nodes of a value we do not walk key by key (sequences), so that an alias bomb
// hidden in a sequence is caught too. Stops as soon as the budget is spent.
bool count_nodes(const YAML::Node& node, FlattenState& state, int depth) {
  if (++state.nodes > kMaxYamlNodes || depth > 2 * kMaxKeyDepth) return false;
  if (node.IsSequence() || node.IsMap()) {
    for (const auto& item : node) {
      if (node.IsMap()) {
        if (!count_nodes(item.first, state, depth + 1) ||
            !count_nodes(item.second, state, depth + 1)) {
          return false;
        }
      } else if (!count_nodes(item, state, depth + 1)) {
        return false;
      }
    }
  }
  return true;
}

void note_budget_exceeded(FlattenState& state, int line) {
  if (state.budget_exceeded) return;
  state.budget_exceeded = true;
  state.errors.add_raw({state.file, line},
                       "the document is too large or too deeply nested (more than " +
                           std::to_string(kMaxYamlNodes) + " nodes after expanding aliases, or " +
                           std::to_string(kMaxKeyDepth) + " levels): refusing to read it");
}

void flatten_mapping(const YAML::Node& map, const std::string& prefix, FlattenState& state) {
  for (const auto& item : map) {
    if (state.budget_exceeded) return;
    if (++state.nodes > kMaxYamlNodes) return note_budget_exceeded(state, line_of(item.first));
    const int line = line_of(item.first);
    if (!item.first.IsScalar()) {
      state.errors.add_raw({state.file, line},
                           "a key must be a plain name, not " + describe(item.first));
      continue;
    }
    const std::string key = item.first.Scalar();
    std::string path = prefix;
    bool key_ok = true;
    bool reported = false;
    const auto parts = split_dots(key);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (!valid_key_component(parts[i])) {
        key_ok = false;
        break;
      }
      path = join(path, parts[i]);
      if (i + 1 < parts.size()) {
        // Implicit parent mapping of a dotted key ("falls.annual_rate_scale: 1").
        auto it = state.tree.find(path);
        if (it == state.tree.end()) {
          state.tree.emplace(path,
                             Entry{YAML::Node(YAML::NodeType::Map), {state.file, line}, true});
        } else if (!it->second.is_mapping) {
          state.errors.add(
              {state.file, line}, path,
              "is both a value (line " + std::to_string(it->second.where.line) + ") and a mapping");
          key_ok = false;
          reported = true;
          break;
        }
      }
    }
    if (!key_ok) {
      if (reported) continue;
      const std::string shown = describe(item.first);
      state.errors.add_raw(
          {state.file, line},
          "invalid key " + shown +
              ": keys are names made of letters, digits, '_' and '-', joined by '.'");
      continue;
    }
    if (depth_of(path) > kMaxKeyDepth) return note_budget_exceeded(state, line);
    const YAML::Node& value = item.second;
    auto existing = state.tree.find(path);
    if (value.IsMap()) {
      if (existing != state.tree.end() && !existing->second.is_mapping) {
        state.errors.add({state.file, line}, path,
                         "duplicate key (first given at line " +
                             std::to_string(existing->second.where.line) + ")");
        continue;
      }
      if (existing == state.tree.end()) {
        state.tree.emplace(path, Entry{value, {state.file, line}, true});
      }
      flatten_mapping(value, path, state);
      continue;
    }
    if (existing != state.tree.end()) {
      state.errors.add({state.file, line}, path,
                       "duplicate key (first given at line " +
                           std::to_string(existing->second.where.line) + ")");
      continue;
    }
    if (!count_nodes(value, state, depth_of(path))) return note_budget_exceeded(state, line);
    state.tree.emplace(path, Entry{value, {state.file, line}, false});
  }
}

}  // namespace

bool is_under(const std::string& path, const std::string& prefix) {
  if (prefix.empty()) return true;
  return path.size() >= prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
         (path.size() == prefix.size() || path[prefix.size()] == '.');
}

std::string parent_path(const std::string& path) {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? "" : path.substr(0, dot);
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  std::string text = node.Scalar();
  bool printable = true;
  for (const char c : text) printable = printable && static_cast<unsigned char>(c) >= 0x20;
  if (!printable) return "binary data";
  if (text.size() > 40) text = text.substr(0, 40) + "...";
  return "'" + text + "'";
}

std::optional<YAML::Node> load_yaml_file(const std::string& path, ErrorList& errors) {
  std::string problem;
  const auto text = read_regular_file(path, kMaxYamlFileBytes, problem);
  if (!text) {
    if (problem.starts_with("file is larger")) {
      problem += "; scenario and model files are small YAML texts";
    }
    errors.add_raw({path, 0}, problem);
    return std::nullopt;
  }
  if (text->find('\0') != std::string::npos) {
    errors.add_raw({path, 0}, "is not a text file (it contains NUL bytes)");
    return std::nullopt;
  }
  return load_yaml_text(*text, {path, 0}, errors);
}

std::optional<YAML::Node> load_yaml_text(const std::string& text, const Location& where,
                                         ErrorList& errors) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    // ParserException (and DeepRecursion) carry the 0-based position of the problem.
    std::string message = "YAML syntax error: " + e.msg;
    if (e.mark.line >= 0 && where.line == 0) {
      errors.add_raw({where.file + ":" + std::to_string(e.mark.line + 1) + ":" +
                          std::to_string(e.mark.column + 1),
                      0},
                     message);
    } else {
      errors.add_raw(where, message);
    }
    return std::nullopt;
  }
  if (documents.size() > 1) {
    errors.add_raw(
        where, "contains " + std::to_string(documents.size()) + " YAML documents; expected one");
    return std::nullopt;
  }
  if (documents.empty()) return YAML::Node(YAML::NodeType::Null);
  return documents.front();
}

void flatten(const YAML::Node& node, const std::string& prefix, const Location& where,
             FlatTree& tree, ErrorList& errors) {
  FlattenState state{tree, errors, where.file};
  if (node.IsMap()) {
    flatten_mapping(node, prefix, state);
  } else if (!prefix.empty()) {
    if (!count_nodes(node, state, 0)) return note_budget_exceeded(state, where.line);
    set_leaf(tree, prefix, Entry{node, where, false});
  }
}

void set_leaf(FlatTree& tree, const std::string& path, const Entry& entry) {
  // Drop the old subtree at `path` (a mapping replaced by a value, or an old value).
  auto it = tree.lower_bound(path);
  while (it != tree.end() && is_under(it->first, path)) it = tree.erase(it);
  // Parents become (or stay) mappings.
  for (std::string parent = parent_path(path); !parent.empty(); parent = parent_path(parent)) {
    auto p = tree.find(parent);
    if (p == tree.end()) {
      tree.emplace(parent, Entry{YAML::Node(YAML::NodeType::Map), entry.where, true});
    } else if (!p->second.is_mapping) {
      p->second = Entry{YAML::Node(YAML::NodeType::Map), entry.where, true};
    }
  }
  tree[path] = entry;
}

void overlay(FlatTree& base, const FlatTree& top) {
  for (const auto& [path, entry] : top) {
    if (entry.is_mapping) {
      auto it = base.find(path);
      if (it != base.end() && !it->second.is_mapping) base.erase(it);
      // The overriding file's location is the better one to point at for this mapping. Its
      // parents precede it in `top`, so they are mappings in `base` already.
      base[path] = entry;
      continue;
    }
    set_leaf(base, path, entry);
  }
}

}  // namespace osteosim::config
