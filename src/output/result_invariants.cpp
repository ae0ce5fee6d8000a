#include "output/result_invariants.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "output/hdf5_file.hpp"
#include "output/result_format.hpp"
#include "output/result_variables.hpp"

namespace osteosim::output {

namespace {

// The ranges scenario_loader.cpp accepts, and physical limits.
constexpr int kMaxYears = 120;
constexpr int kFirstStartYear = 1900;
constexpr int kLastStartYear = 2200;
constexpr double kMaxPersonsPerAgent = 1e10;
constexpr std::int64_t kMaxAgents = std::int64_t{1} << 40;
/// No agent has a thousand events of one kind in a year-and-age-band cell.
constexpr double kMaxCountPerAgent = 1000;

[[noreturn]] void broken(const std::string& what) { throw IoError(what); }

struct RunHeader {
  std::int64_t agents = 0;
  int years = 0;
};

RunHeader check_header(hid_t file) {
  RunHeader run;
  run.agents = h5::read_attribute<std::int64_t>(file, "agents");
  const auto persons = h5::read_attribute<double>(file, "persons_per_agent");
  run.years = h5::read_attribute<std::int32_t>(file, "years");
  const auto start_year = h5::read_attribute<std::int32_t>(file, "start_year");
  const auto step = h5::read_attribute<std::int32_t>(file, "time_step_months");
  const auto seed = h5::read_attribute<std::int64_t>(file, "seed");
  if (run.agents < 1 || run.agents > kMaxAgents) {
    broken("attribute 'agents' is " + std::to_string(run.agents) + ", not a number of agents");
  }
  if (!std::isfinite(persons) || persons <= 0 || persons > kMaxPersonsPerAgent) {
    broken("attribute 'persons_per_agent' is " + std::to_string(persons) +
           ", not a positive number of persons");
  }
  if (run.years < 1 || run.years > kMaxYears) {
    broken("attribute 'years' is " + std::to_string(run.years) + ", outside 1.." +
           std::to_string(kMaxYears));
  }
  if (start_year < kFirstStartYear || start_year > kLastStartYear) {
    broken("attribute 'start_year' is " + std::to_string(start_year) + ", outside " +
           std::to_string(kFirstStartYear) + ".." + std::to_string(kLastStartYear));
  }
  if (step < 1 || step > 12 || 12 % step != 0) {
    broken("attribute 'time_step_months' is " + std::to_string(step) +
           ", not a divisor of 12 months");
  }
  if (seed < 0 || seed > std::int64_t{UINT32_MAX}) {
    broken("attribute 'seed' is " + std::to_string(seed) + ", not an unsigned 32-bit seed");
  }
  return run;
}

H5T_class_t class_of(DType dtype) {
  switch (dtype) {
    case DType::int32:
    case DType::int64:
      return H5T_INTEGER;
    case DType::float64:
      return H5T_FLOAT;
    case DType::string:
      return H5T_STRING;
  }
  return H5T_NO_CLASS;
}

/// The type class of attribute or dataset `name` of `object`.
H5T_class_t stored_class(hid_t object, const ResultEntry& entry) {
  if (entry.kind == EntryKind::attribute) {
    const h5::Handle attribute(H5Aopen(object, entry.name.c_str(), H5P_DEFAULT), H5Aclose,
                               "cannot open attribute '" + entry.name + "'");
    const h5::Handle type(H5Aget_type(attribute.get()), H5Tclose, "attribute type");
    return H5Tget_class(type.get());
  }
  const h5::Handle dataset = h5::open_dataset(object, entry.name);
  const h5::Handle type(H5Dget_type(dataset.get()), H5Tclose, "dataset type");
  return H5Tget_class(type.get());
}

/// Every entry of `pattern` declared as always written is in `object`, of its type class.
void check_declared_entries(hid_t object, std::string_view pattern, const std::string& where) {
  for (const ResultEntry& entry : result_entries()) {
    if (entry.group != pattern || !entry.present_when.empty()) continue;
    const bool present = entry.kind == EntryKind::attribute ? h5::has_attribute(object, entry.name)
                                                            : h5::has_link(object, entry.name);
    const std::string what =
        std::string(to_string(entry.kind)) + " '" + entry.name + "' of " + where;
    if (!present) broken(what + " is missing");
    if (stored_class(object, entry) != class_of(entry.dtype)) {
      broken(what + " is not of type " + std::string(to_string(entry.dtype)));
    }
  }
}

/// No dataset anywhere in the file declares more values than it stores.
void check_dataset_sizes(hid_t file) {
  struct Visit {
    std::string problem;
    static herr_t dataset(hid_t root, const char* name, const H5O_info_t* info, void* data) {
      if (info->type != H5O_TYPE_DATASET) return 0;
      auto* visit = static_cast<Visit*>(data);
      try {
        const h5::Handle dataset = h5::open_dataset(root, name);
        const h5::Handle type(H5Dget_type(dataset.get()), H5Tclose, "dataset type");
        const h5::Handle space(H5Dget_space(dataset.get()), H5Sclose, "dataspace");
        const hssize_t points = H5Sget_simple_extent_npoints(space.get());
        if (points < 0) throw IoError(std::string("dataset '") + name + "' has no valid shape");
        h5::check_plausible_size(dataset.get(), static_cast<hsize_t>(points),
                                 H5Tget_size(type.get()));
      } catch (const std::exception& e) {  // nothing may unwind through libhdf5
        visit->problem = e.what();
        return -1;
      }
      return 0;
    }
  };
  Visit visit;
  if (H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, Visit::dataset, &visit, H5O_INFO_BASIC) < 0) {
    H5Eclear2(H5E_DEFAULT);
    broken(visit.problem.empty() ? "cannot list the objects of the file" : visit.problem);
  }
}

/// The length of each dimension of `entry` in `group`: its coordinate's, and the run's
/// years for "year".
std::vector<hsize_t> expected_dims(hid_t group, const ResultEntry& entry, int years) {
  std::vector<hsize_t> dims;
  for (const std::string& dim : entry.dims) {
    if (dim == "year") {
      dims.push_back(static_cast<hsize_t>(years));
    } else {
      const auto coordinate = h5::dataset_dims(h5::open_dataset(group, dim).get());
      if (coordinate.size() != 1) broken("coordinate '" + dim + "' is not one-dimensional");
      dims.push_back(coordinate.front());
    }
  }
  return dims;
}

std::string shape_text(const std::vector<hsize_t>& dims) {
  std::string text;
  for (hsize_t d : dims) {
    if (!text.empty()) text += 'x';
    text += std::to_string(d);
  }
  return text.empty() ? "scalar" : text;
}

/// The tallies over years of one strategy group: shapes, and counts a run can produce.
void check_strategy(hid_t strategies, const std::string& name, const RunHeader& run) {
  const h5::Handle group = h5::open_group(strategies, name);
  const std::string where = "strategy '" + name + "'";
  check_declared_entries(group.get(), kStrategyGroupPattern, where);
  const double max_count = kMaxCountPerAgent * static_cast<double>(run.agents);
  for (const ResultEntry& entry : result_entries()) {
    if (entry.group != kStrategyGroupPattern || entry.kind != EntryKind::variable ||
        entry.dims.empty() || entry.dims.front() != "year" ||
        !h5::has_link(group.get(), entry.name)) {
      continue;
    }
    const std::string what = "'" + entry.name + "' of " + where;
    const std::vector<hsize_t> expected = expected_dims(group.get(), entry, run.years);
    const auto dims = h5::dataset_dims(h5::open_dataset(group.get(), entry.name).get());
    if (dims != expected) {
      broken(what + " has shape " + shape_text(dims) + ", not " + shape_text(expected));
    }
    if (entry.dtype == DType::int64) {
      for (std::int64_t count : h5::read_dataset<std::int64_t>(group.get(), entry.name, nullptr)) {
        if (count < 0 || static_cast<double>(count) > max_count) {
          broken(what + " holds the count " + std::to_string(count) + ", impossible for " +
                 std::to_string(run.agents) + " agents");
        }
      }
    } else if (entry.units == "years") {  // person-time (rates may be NaN, costs signed)
      for (double years : h5::read_dataset<double>(group.get(), entry.name, nullptr)) {
        if (!std::isfinite(years) || years < 0) {
          broken(what + " holds " + std::to_string(years) + " person-years");
        }
      }
    }
  }
}

}  // namespace

void check_result_invariants(hid_t file) {
  check_declared_entries(file, "/", "the file");
  const RunHeader run = check_header(file);
  check_dataset_sizes(file);
  const h5::Handle config = h5::open_group(file, kConfigGroup);
  check_declared_entries(config.get(), std::string("/") + kConfigGroup, "group 'config'");
  const h5::Handle strategies = h5::open_group(file, kStrategiesGroup);
  const std::vector<std::string> names = h5::child_groups(strategies.get());
  if (names.empty()) broken("group 'strategies' holds no strategy");
  for (const std::string& name : names) check_strategy(strategies.get(), name, run);
}

}  // namespace osteosim::output
