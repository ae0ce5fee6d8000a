#include "output/result_reader.hpp"

#include "common/error.hpp"
#include "model/types.hpp"
#include "output/hdf5_file.hpp"
#include "output/result_format.hpp"
#include "output/result_open.hpp"

namespace osteosim::output {

namespace {

ResultHeader read_header(hid_t file) {
  ResultHeader h;
  h.scenario = h5::read_string_attribute(file, "scenario");
  h.model = h5::read_string_attribute(file, "model");
  h.population_kind = h5::read_string_attribute(file, "population_kind");
  h.agents = h5::read_attribute<std::int64_t>(file, "agents");
  h.persons_per_agent = h5::read_attribute<double>(file, "persons_per_agent");
  h.seed = h5::read_attribute<std::int64_t>(file, "seed");
  h.start_year = h5::read_attribute<std::int32_t>(file, "start_year");
  h.years = h5::read_attribute<std::int32_t>(file, "years");
  h.time_step_months = h5::read_attribute<std::int32_t>(file, "time_step_months");
  h.osteosim_version = h5::read_string_attribute(file, "osteosim_version");
  h.git_commit = h5::read_string_attribute(file, "git_commit");
  h.created = h5::read_string_attribute(file, "created");
  h.command_line = h5::read_string_attribute(file, "command_line");
  if (h.years < 0) throw IoError("attribute 'years' is negative");
  return h;
}

/// Reads one array and checks its shape against the run's dimensions.
template <class T>
std::vector<T> read_array(hid_t group, const std::string& name, const std::vector<hsize_t>& shape) {
  std::vector<hsize_t> dims;
  std::vector<T> values = h5::read_dataset<T>(group, name, &dims);
  if (dims != shape) {
    std::string got;
    for (hsize_t d : dims) {
      if (!got.empty()) got += 'x';
      got += std::to_string(d);
    }
    throw IoError("dataset '" + name + "' has shape " + (got.empty() ? "scalar" : got) +
                  ", not the run's year x sex x age_band" +
                  (shape.size() == 4 ? " x site" : ""));
  }
  return values;
}

StrategyArrays read_strategy(hid_t strategies, const std::string& name, int years) {
  const h5::Handle group = h5::open_group(strategies, name);
  const auto y = static_cast<hsize_t>(years);
  const std::vector<hsize_t> by_band{y, model::kSexes, model::kAgeBands};
  const std::vector<hsize_t> by_site{y, model::kSexes, model::kAgeBands, model::kSites};
  StrategyArrays s;
  s.name = name;
  s.fractures = read_array<std::int64_t>(group.get(), "fractures", by_site);
  s.first_fractures = read_array<std::int64_t>(group.get(), "first_fractures", by_site);
  s.first_any_fracture = read_array<std::int64_t>(group.get(), "first_any_fracture", by_band);
  s.deaths = read_array<std::int64_t>(group.get(), "deaths", by_band);
  s.deaths_after_fracture =
      read_array<std::int64_t>(group.get(), "deaths_after_fracture", by_band);
  s.population = read_array<std::int64_t>(group.get(), "population", by_band);
  s.falls = read_array<std::int64_t>(group.get(), "falls", by_band);
  s.person_years = read_array<double>(group.get(), "person_years", by_band);
  return s;
}

}  // namespace

ResultFile read_result_file(const std::string& path) {
  const h5::Handle file = open_result_file(path);
  try {
    ResultFile result;
    result.header = read_header(file.get());
    const h5::Handle strategies = h5::open_group(file.get(), kStrategiesGroup);
    for (const std::string& name : h5::child_groups(strategies.get())) {
      result.strategies.push_back(read_strategy(strategies.get(), name, result.header.years));
    }
    return result;
  } catch (const IoError& e) {
    // The file is HDF5 but not what write_results makes: the user gave us a bad file.
    throw InputError("'" + path + "' is damaged or incomplete: " + e.what());
  }
}

}  // namespace osteosim::output
