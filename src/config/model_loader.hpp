#pragma once
/// models/NAME/model.yaml and its CSV tables -> model::ModelParameters. The YAML keys mirror
/// src/model/parameters.hpp one to one; the list of keys lives in one table (model_loader.cpp)
/// that is used to read, to validate `set:` paths and to write the resolved model.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/csv_table.hpp"
#include "config/error_list.hpp"
#include "config/yaml_tree.hpp"
#include "model/parameters.hpp"
#include "model/uncertainty.hpp"

namespace osteosim::config {

class FlatReader;

/// Where models are looked for, first match wins: each directory of the environment variable
/// OSTEOSIM_MODEL_PATH (colon-separated), <dir of scenario_file>/../models, the installed
/// models beside the running executable (<exe dir>/../share/osteosim/models), then the
/// models folder of the source tree the binary was built from (OSTEOSIM_MODELS_DIR).
std::vector<std::filesystem::path> model_search_roots(const std::string& scenario_file);

/// Looks for NAME/model.yaml in each of model_search_roots(scenario_file). Returns the model
/// folder, or records every place it looked (and a did-you-mean from the names found there).
std::optional<std::string> find_model_dir(const std::string& name, const std::string& scenario_file,
                                          const Location& where, ErrorList& errors);

/// Every dotted parameter path of model.yaml (what `set:` may name), in file order.
const std::vector<std::string>& model_parameter_paths();

/// The resolved model for output: (dotted path, value text) pairs in file order, numbers
/// after `set`, tables as the file paths read.
std::vector<std::pair<std::string, std::string>> model_as_flat_text(
    const model::ModelParameters& parameters);

class ModelLoader {
 public:
  ModelLoader(std::string model_dir, ErrorList& errors);

  /// Reads and flattens model.yaml; false if it could not be read at all.
  bool load();
  const FlatTree& tree() const { return tree_; }
  const std::string& yaml_path() const { return yaml_path_; }
  const std::string& description() const { return description_; }

  /// Typed, validated parameters from `tree` (model.yaml with `set:` layers applied).
  /// Records every problem (unknown keys too); returns nothing if there was any. Every
  /// number, with its distribution if one is declared, goes to `uncertain` if given.
  std::optional<model::ModelParameters> read(
      const FlatTree& tree, std::vector<model::UncertainParameter>* uncertain = nullptr);

  /// model.yaml and every CSV read so far.
  const std::vector<std::string>& files_read() const { return files_read_; }

 private:
  void check_name_matches_folder(const FlatReader& in, const std::string& name,
                                 ErrorList& errors) const;
  std::optional<model::AgeTable> read_table(const Entry& entry, const std::string& key,
                                            const TableSpec& spec, ErrorList& errors);

  std::string dir_;
  std::string yaml_path_;
  std::string description_;
  ErrorList& errors_;
  FlatTree tree_;
  std::vector<std::string> files_read_;
  std::map<std::string, std::optional<model::AgeTable>> table_cache_;
};

}  // namespace osteosim::config
