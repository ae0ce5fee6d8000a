#pragma once
/// YAML files as flat, ordered maps from dotted path ("fractures.hip.rr_per_sd_decrease") to
/// value and location. Flat maps make the three things the loader does simple: deep merge of
/// `extends` chains and `set:` layers (map overrides), did-you-mean against the keys known at
/// one level, and error messages that name the full key and the line it came from.
/// Only src/config/ sees yaml-cpp.
#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include "config/error_list.hpp"

namespace osteosim::config {

/// Limits that keep hostile input (alias bombs, huge or deeply nested files) from hanging or
/// crashing the loader. Real scenario and model files are a few kilobytes.
inline constexpr std::size_t kMaxYamlFileBytes = 1 << 20;
inline constexpr std::size_t kMaxYamlNodes = 100000;
inline constexpr int kMaxKeyDepth = 32;

/// One key of a flattened file: a leaf (scalar, sequence or null) or a mapping.
struct Entry {
  YAML::Node node;   ///< the value (for a mapping: the mapping itself)
  Location where;    ///< file and line of the key
  bool is_mapping = false;
};

/// path -> entry; a mapping's entry precedes its children in iteration order.
using FlatTree = std::map<std::string, Entry>;

/// True if `path` is `prefix` or lies below it ("a.b" is under "a", "ab" is not).
bool is_under(const std::string& path, const std::string& prefix);
/// "a.b.c" -> "a.b"; "a" -> "".
std::string parent_path(const std::string& path);

/// Reads and parses one YAML file, enforcing the limits above. On failure records why (with
/// `referenced_from` when another file named this one) and returns nothing.
std::optional<YAML::Node> load_yaml_file(const std::string& path, ErrorList& errors);

/// Parses YAML text given on the command line (a --set value).
std::optional<YAML::Node> load_yaml_text(const std::string& text, const Location& where,
                                         ErrorList& errors);

/// Adds `node` to `tree` under `prefix` ("" for the root): mappings are walked (dotted keys
/// split into components), sequences and scalars become leaves. `file` names the source.
/// Checks keys (plain [A-Za-z0-9_-] components), duplicates, depth and the node budget.
void flatten(const YAML::Node& node, const std::string& prefix, const Location& where,
             FlatTree& tree, ErrorList& errors);

/// Deep merge: `top` overrides `base` key by key; a leaf in `top` replaces the whole
/// subtree of `base` at that path (so sequences replace), a mapping merges.
void overlay(FlatTree& base, const FlatTree& top);

/// Sets one leaf (replacing any subtree at `path`), creating parent mapping entries.
void set_leaf(FlatTree& tree, const std::string& path, const Entry& entry);

/// Human description of a value for messages: 'text' for scalars, "a mapping", "nothing".
std::string describe(const YAML::Node& node);

}  // namespace osteosim::config
