#include "output/hdf5_writer.hpp"

#include <hdf5_hl.h>

#include <array>
#include <ctime>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include "common/error.hpp"
#include "common/version.hpp"
#include "output/hdf5_file.hpp"
#include "output/output_path.hpp"
#include "output/result_format.hpp"
#include "output/sha256.hpp"

namespace osteosim::output {

namespace {

using engine::RunInfo;
using engine::RunResult;
using engine::Tallies;

enum class Dim { year, sex, age_band, site };
constexpr std::array<const char*, 4> kDimNames{"year", "sex", "age_band", "site"};
constexpr std::array<Dim, 4> kBySite{Dim::year, Dim::sex, Dim::age_band, Dim::site};
constexpr std::array<Dim, 3> kByBand{Dim::year, Dim::sex, Dim::age_band};

/// What a reader sees of a variable besides its values.
struct VariableSpec {
  const char* name;
  const char* units;
  const char* long_name;
  const char* description;
};

template <std::size_t N>
std::vector<std::string> labels(const std::array<std::string_view, N>& names) {
  return {names.begin(), names.end()};
}

void set_text_attributes(hid_t object, const VariableSpec& spec) {
  if (*spec.units != '\0') h5::write_attribute(object, "units", std::string_view(spec.units));
  h5::write_attribute(object, "long_name", std::string_view(spec.long_name));
  if (*spec.description != '\0') {
    h5::write_attribute(object, "description", std::string_view(spec.description));
  }
}

/// The coordinate variables of one strategy group: real HDF5 dimension scales named
/// like their dimension, so each group opens standalone in xarray and ncdump.
class Coordinates {
 public:
  Coordinates(hid_t group, const RunInfo& info) {
    std::vector<std::int32_t> years(static_cast<std::size_t>(info.years));
    for (std::size_t i = 0; i < years.size(); ++i) {
      years[i] = info.start_year + static_cast<std::int32_t>(i);
    }
    std::vector<std::string> bands;
    for (int band = 0; band < model::kAgeBands; ++band) bands.push_back(age_band_label(band));

    add(Dim::year, h5::write_dataset(group, "year", H5T_NATIVE_INT32, {years.size()}, years.data()),
        {"year", "year", "calendar year", "Calendar year simulated (each row covers the whole year)."});
    add(Dim::sex, h5::write_string_dataset(group, "sex", labels(model::kSexNames)),
        {"sex", "", "sex", ""});
    add(Dim::age_band, h5::write_string_dataset(group, "age_band", bands),
        {"age_band", "", "age band (years)",
         "Five-year age band at the time of the event (at the start of the year for population)."});
    add(Dim::site, h5::write_string_dataset(group, "site", labels(model::kSiteNames)),
        {"site", "", "fracture site",
         "Vertebral fractures are morphometric deformities, either clinically recognised "
         "(clinical_vertebral) or not (silent_vertebral); all vertebral = their sum."});
  }

  hsize_t size(Dim dim) const { return sizes_[static_cast<std::size_t>(dim)]; }
  hid_t scale(Dim dim) const { return scales_[static_cast<std::size_t>(dim)].get(); }

 private:
  void add(Dim dim, h5::Handle dataset, const VariableSpec& spec) {
    const auto i = static_cast<std::size_t>(dim);
    h5::check(H5DSset_scale(dataset.get(), kDimNames[i]),
              std::string("cannot make '") + kDimNames[i] + "' a dimension scale");
    set_text_attributes(dataset.get(), spec);
    sizes_[i] = h5::dataset_dims(dataset.get()).at(0);
    scales_[i] = std::move(dataset);
  }

  std::array<h5::Handle, 4> scales_;
  std::array<hsize_t, 4> sizes_{};
};

/// Writes one data variable: values, dimension scales attached, units and names, and
/// _FillValue when it has one. Every tally and derived array goes through here.
template <class T>
void write_variable(hid_t group, const Coordinates& coordinates, std::span<const Dim> dims,
                    const VariableSpec& spec, const std::vector<T>& values,
                    const double* fill_value = nullptr) {
  std::vector<hsize_t> shape;
  hsize_t count = 1;
  for (Dim dim : dims) {
    shape.push_back(coordinates.size(dim));
    count *= shape.back();
  }
  if (count != values.size()) {
    throw std::logic_error(std::string("write_results: '") + spec.name + "' has " +
                           std::to_string(values.size()) + " values, expected " +
                           std::to_string(count));
  }
  const h5::Handle dataset =
      h5::write_dataset(group, spec.name, h5::native_type<T>(), shape, values.data(),
                        {.compress = true, .fill_value = fill_value});
  for (std::size_t axis = 0; axis < dims.size(); ++axis) {
    h5::check(H5DSattach_scale(dataset.get(), coordinates.scale(dims[axis]),
                               static_cast<unsigned>(axis)),
              std::string("cannot attach dimension '") + kDimNames[static_cast<int>(dims[axis])] +
                  "' to '" + spec.name + "'");
  }
  set_text_attributes(dataset.get(), spec);
  if (fill_value != nullptr) h5::write_attribute(dataset.get(), "_FillValue", *fill_value);
}

void write_strategy(hid_t strategies, const engine::StrategyResult& strategy, const RunInfo& info) {
  const Tallies& t = strategy.tallies;
  const h5::Handle group = h5::create_group(strategies, strategy.name);
  h5::write_attribute(group.get(), "strategy", std::string_view(strategy.name));
  const Coordinates coordinates(group.get(), info);

  write_variable(group.get(), coordinates, kBySite,
                 {"fractures", "fractures", "fractures (simulated agents)",
                  "All fractures of simulated agents, by calendar year, sex, age band at "
                  "fracture and site. Multiply by persons_per_agent for the real population."},
                 t.fractures);
  write_variable(group.get(), coordinates, kBySite,
                 {"first_fractures", "fractures", "first fractures at the site (simulated agents)",
                  "Fractures that are the agent's first at that site during the run; the sum "
                  "over years divided by the starting population is a cumulative risk."},
                 t.first_fractures);
  write_variable(group.get(), coordinates, kByBand,
                 {"first_any_fracture", "fractures",
                  "first clinical fracture at any site (simulated agents)",
                  "Agents having their first clinical fracture (hip, clinical vertebral or "
                  "wrist) of the run."},
                 t.first_any_fracture);
  write_variable(group.get(), coordinates, kByBand,
                 {"deaths", "deaths", "deaths from all causes (simulated agents)", ""}, t.deaths);
  write_variable(group.get(), coordinates, kByBand,
                 {"deaths_after_fracture", "deaths", "deaths attributed to a prior fracture",
                  "Deaths drawn from the excess mortality hazard after fracture (a subset of "
                  "deaths)."},
                 t.deaths_after_fracture);
  write_variable(group.get(), coordinates, kByBand,
                 {"population", "persons", "population alive at the start of the year",
                  "Simulated agents alive on 1 January, by their age band then."},
                 t.population);
  write_variable(group.get(), coordinates, kByBand,
                 {"falls", "falls", "falls (simulated agents)",
                  "All falls, whether or not they caused a fracture."},
                 t.falls);

  std::vector<double> person_years(t.person_time_ticks.size());
  for (std::size_t i = 0; i < person_years.size(); ++i) {
    person_years[i] = static_cast<double>(t.person_time_ticks[i]) / engine::kTicksPerYear;
  }
  write_variable(group.get(), coordinates, kByBand,
                 {"person_years", "years", "person-time alive (simulated agents)", ""},
                 person_years);

  std::vector<double> scaled(t.fractures.size());
  std::vector<double> incidence(t.fractures.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < t.fractures.size(); ++i) {
    const auto count = static_cast<double>(t.fractures[i]);
    const double py = person_years[i / model::kSites];
    scaled[i] = count * info.persons_per_agent;
    // No person-time, no rate: NaN (the _FillValue) rather than a made-up zero.
    incidence[i] = py > 0 ? count / py * 1e5 : nan;
  }
  write_variable(group.get(), coordinates, kBySite,
                 {"fractures_scaled", "fractures",
                  "fractures, estimate for the real population",
                  "fractures x persons_per_agent: the number expected in the population the "
                  "simulated agents stand for."},
                 scaled);
  write_variable(group.get(), coordinates, kBySite,
                 {"incidence_per_100k", "fractures per 100000 person-years",
                  "fracture incidence rate",
                  "fractures / person_years x 100000; NaN where there is no person-time."},
                 incidence, &nan);
}

void write_config(hid_t file, const RunInfo& info) {
  std::vector<std::string> checksums = info.input_checksums;
  if (checksums.empty()) {
    for (const std::string& input : info.input_files) checksums.push_back(sha256_file_hex(input));
  }
  if (checksums.size() != info.input_files.size()) {
    throw std::logic_error("write_results: input_checksums and input_files differ in length");
  }
  const h5::Handle config = h5::create_group(file, kConfigGroup);
  const h5::Handle yaml = h5::write_string_dataset(config.get(), "scenario_yaml",
                                                   {info.resolved_yaml}, /*scalar=*/true);
  set_text_attributes(yaml.get(), {"scenario_yaml", "", "resolved scenario and model (YAML)",
                                   "Everything the run used, after extends/overrides."});

  const h5::Handle files = h5::write_string_dataset(config.get(), "input_files", info.input_files);
  h5::check(H5DSset_scale(files.get(), "input_files"), "cannot make 'input_files' a dimension scale");
  set_text_attributes(files.get(), {"input_files", "", "files read by the run", ""});
  const h5::Handle sums = h5::write_string_dataset(config.get(), "input_sha256", checksums);
  h5::check(H5DSattach_scale(sums.get(), files.get(), 0), "cannot attach 'input_files'");
  set_text_attributes(sums.get(), {"input_sha256", "", "SHA-256 of each input file (hex)", ""});
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

void write_root_attributes(hid_t file, const RunInfo& info) {
  using std::string_view;
  h5::write_attribute(file, "format", string_view(kFormatName));
  h5::write_attribute(file, "format_version", std::int32_t{kFormatVersion});
  h5::write_attribute(file, "osteosim_version", string_view(version()));
  h5::write_attribute(file, "git_commit", string_view(git_commit()));
  h5::write_attribute(file, "compiler", string_view(compiler()));
  h5::write_attribute(file, "created", string_view(utc_now_iso8601()));
  h5::write_attribute(file, "command_line", string_view(info.command_line));
  // The seed is unsigned 32-bit; int64 keeps its value and reads as an integer in R too.
  h5::write_attribute(file, "seed", std::int64_t{info.seed});
  h5::write_attribute(file, "agents", std::int64_t{info.agents});
  h5::write_attribute(file, "persons_per_agent", info.persons_per_agent);
  h5::write_attribute(file, "scenario", string_view(info.scenario_name));
  h5::write_attribute(file, "model", string_view(info.model_name));
  h5::write_attribute(file, "population_kind", string_view(info.population_kind));
  h5::write_attribute(file, "start_year", std::int32_t{info.start_year});
  h5::write_attribute(file, "years", std::int32_t{info.years});
  h5::write_attribute(file, "time_step_months", std::int32_t{info.time_step_months});
}

// The engine's contract with us; a mismatch is a programming error, not bad input.
void check_shapes(const RunResult& result) {
  if (result.info.years < 0) throw std::logic_error("write_results: negative number of years");
  for (const engine::StrategyResult& s : result.strategies) {
    if (s.tallies.years != result.info.years) {
      throw std::logic_error("write_results: strategy '" + s.name + "' has " +
                             std::to_string(s.tallies.years) + " years of tallies, run has " +
                             std::to_string(result.info.years));
    }
    if (s.name.empty() || s.name == "." || s.name.find('/') != std::string::npos) {
      throw InputError("strategy name '" + s.name +
                       "' cannot name a group in the result file (empty, '.' or contains '/')");
    }
  }
}

}  // namespace

void write_results(const std::string& path, const RunResult& result, bool force) {
  check_shapes(result);
  check_output_path(path, force);
  // Declared before the file handle, so the file is closed before the guard removes it.
  TemporaryOutput temporary(path);
  h5::Handle file = h5::create_file(temporary.path());
  write_root_attributes(file.get(), result.info);
  write_config(file.get(), result.info);
  {
    const h5::Handle strategies = h5::create_group(file.get(), kStrategiesGroup);
    for (const engine::StrategyResult& strategy : result.strategies) {
      write_strategy(strategies.get(), strategy, result.info);
    }
  }
  file.close("'" + temporary.path() + "'");
  temporary.commit();
}

}  // namespace osteosim::output
