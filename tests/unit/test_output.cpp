// Output layer: the HDF5 result file (layout, dimension scales, attributes, values), the
// no-partial-file guarantees, the summary numbers, and SHA-256.
//
// The test executable does not get HDF5's include directory from osteosim_core (it is a
// private dependency), so find the header where Debian installs it if need be.
#if __has_include(<hdf5.h>)
#include <hdf5.h>
#include <hdf5_hl.h>
#else
#include <hdf5/serial/hdf5.h>
#include <hdf5/serial/hdf5_hl.h>
#endif

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "engine/run_result.hpp"
#include "output/file_seal.hpp"
#include "output/hdf5_writer.hpp"
#include "output/output_path.hpp"
#include "output/sha256.hpp"
#include "output/summary.hpp"

namespace osteosim::output {
namespace {

namespace fs = std::filesystem;
using engine::RunResult;
using engine::Tallies;
using model::Sex;
using model::Site;

constexpr int kYears = 3;
constexpr int kEntryBand = 0;  // a cohort entering at 50-54

/// A fresh directory per test, removed afterwards.
class OutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("osteosim_output_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    return names;
  }
  fs::path dir_;
};

/// A female cohort of 1000 agents entering at 50: 100 first hip fractures over the run,
/// everyone alive for the first year, then deaths.
RunResult cohort_result() {
  RunResult r;
  r.info.scenario_name = "test-cohort";
  r.info.model_name = "test-model";
  r.info.population_kind = "cohort";
  r.info.agents = 1000;
  r.info.persons_per_agent = 2.5;
  r.info.seed = 4000000000u;  // above INT32_MAX: must survive as a number
  r.info.start_year = 2025;
  r.info.years = kYears;
  r.info.time_step_months = 12;
  r.info.resolved_yaml = "name: test-cohort\nyears: 3\n";
  r.info.command_line = "osteosim run test.yaml -o out.h5";
  r.info.input_checksums = {};   // computed by the writer from input_files (none here)
  r.economics.currency = "USD";  // as a model's economics.yaml says
  r.economics.willingness_to_pay = {300000, 5000, {50000, 100000, 150000}};

  Tallies t(kYears);
  const std::int64_t alive[kYears] = {1000, 990, 975};
  const std::int64_t deaths[kYears] = {10, 15, 20};
  const std::int64_t hip_first[kYears] = {30, 30, 40};
  for (int y = 0; y < kYears; ++y) {
    t.population[Tallies::index(y, Sex::female, kEntryBand)] = alive[y];
    t.deaths[Tallies::index(y, Sex::female, kEntryBand)] = deaths[y];
    t.deaths_after_fracture[Tallies::index(y, Sex::female, kEntryBand)] = 1;
    t.falls[Tallies::index(y, Sex::female, kEntryBand)] = 200 + y;
    // Half a year of person-time for each death, a full year for each survivor.
    t.person_time_ticks[Tallies::index(y, Sex::female, kEntryBand)] = static_cast<std::int64_t>(
        (static_cast<double>(alive[y]) - 0.5 * static_cast<double>(deaths[y])) *
        engine::kTicksPerYear);
    t.first_fractures[Tallies::index(y, Sex::female, kEntryBand, Site::hip)] = hip_first[y];
    t.fractures[Tallies::index(y, Sex::female, kEntryBand, Site::hip)] = hip_first[y] + 2;
    t.first_fractures[Tallies::index(y, Sex::female, kEntryBand, Site::wrist)] = 10;
    t.fractures[Tallies::index(y, Sex::female, kEntryBand, Site::wrist)] = 12;
    t.first_fractures[Tallies::index(y, Sex::female, kEntryBand, Site::clinical_vertebral)] = 5;
    t.fractures[Tallies::index(y, Sex::female, kEntryBand, Site::clinical_vertebral)] = 5;
    t.first_fractures[Tallies::index(y, Sex::female, kEntryBand, Site::silent_vertebral)] = 8;
    t.fractures[Tallies::index(y, Sex::female, kEntryBand, Site::silent_vertebral)] = 9;
    t.first_any_fracture[Tallies::index(y, Sex::female, kEntryBand)] = hip_first[y] + 12;
  }
  r.strategies.push_back({"no-screening", t});
  Tallies treated = t;
  treated.fractures[Tallies::index(0, Sex::female, kEntryBand, Site::hip)] = 7;
  r.strategies.push_back({"screen-65", treated});
  return r;
}

// Reading back with the plain HDF5 C API, as a third-party reader would.
struct File {
  explicit File(const std::string& path) : id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {}
  ~File() {
    if (id >= 0) H5Fclose(id);
  }
  hid_t id;
};

std::string string_attribute(hid_t object, const char* name) {
  const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  EXPECT_GE(attribute, 0) << name;
  const hid_t type = H5Aget_type(attribute);
  EXPECT_EQ(H5Tis_variable_str(type), 1) << name;
  EXPECT_EQ(H5Tget_cset(type), H5T_CSET_UTF8) << name;
  char* value = nullptr;
  H5Aread(attribute, type, &value);
  std::string out = value != nullptr ? value : "";
  H5free_memory(value);
  H5Tclose(type);
  H5Aclose(attribute);
  return out;
}

template <class T>
T numeric_attribute(hid_t object, const char* name, hid_t native) {
  T value{};
  const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  EXPECT_GE(attribute, 0) << name;
  EXPECT_GE(H5Aread(attribute, native, &value), 0) << name;
  H5Aclose(attribute);
  return value;
}

std::vector<hsize_t> shape_of(hid_t dataset) {
  const hid_t space = H5Dget_space(dataset);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  H5Sclose(space);
  return dims;
}

template <class T>
std::vector<T> read_all(hid_t group, const char* name, hid_t native) {
  const hid_t dataset = H5Dopen2(group, name, H5P_DEFAULT);
  EXPECT_GE(dataset, 0) << name;
  hsize_t n = 1;
  for (hsize_t d : shape_of(dataset)) n *= d;
  std::vector<T> values(n);
  H5Dread(dataset, native, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(dataset);
  return values;
}

std::vector<std::string> read_strings(hid_t group, const char* name) {
  const hid_t dataset = H5Dopen2(group, name, H5P_DEFAULT);
  const hid_t type = H5Dget_type(dataset);
  const hid_t space = H5Dget_space(dataset);
  std::vector<char*> raw(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data());
  std::vector<std::string> out(raw.begin(), raw.end());
  H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw.data());
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(dataset);
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(OutputSha256, MatchesFipsVectors) {
  // FIPS 180-2 Appendix B.1 and B.2, and the empty message.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_F(OutputTest, RootAttributesDescribeTheRun) {
  write_results(file("out.h5"), cohort_result(), false);
  File f(file("out.h5"));
  ASSERT_GE(f.id, 0);
  EXPECT_EQ(string_attribute(f.id, "format"), "osteosim-results");
  EXPECT_EQ((numeric_attribute<int>(f.id, "format_version", H5T_NATIVE_INT)), 1);
  EXPECT_EQ(string_attribute(f.id, "scenario"), "test-cohort");
  EXPECT_EQ(string_attribute(f.id, "model"), "test-model");
  EXPECT_EQ(string_attribute(f.id, "population_kind"), "cohort");
  EXPECT_EQ(string_attribute(f.id, "command_line"), "osteosim run test.yaml -o out.h5");
  EXPECT_FALSE(string_attribute(f.id, "osteosim_version").empty());
  EXPECT_FALSE(string_attribute(f.id, "git_commit").empty());
  EXPECT_FALSE(string_attribute(f.id, "compiler").empty());
  const std::string created = string_attribute(f.id, "created");
  EXPECT_EQ(created.size(), 20u) << created;  // 2025-01-31T12:00:00Z
  EXPECT_EQ(created.back(), 'Z');
  EXPECT_EQ((numeric_attribute<std::int64_t>(f.id, "seed", H5T_NATIVE_INT64)), 4000000000);
  EXPECT_EQ((numeric_attribute<std::int64_t>(f.id, "agents", H5T_NATIVE_INT64)), 1000);
  EXPECT_EQ((numeric_attribute<double>(f.id, "persons_per_agent", H5T_NATIVE_DOUBLE)), 2.5);
  EXPECT_EQ((numeric_attribute<int>(f.id, "start_year", H5T_NATIVE_INT)), 2025);
  EXPECT_EQ((numeric_attribute<int>(f.id, "years", H5T_NATIVE_INT)), kYears);
  EXPECT_EQ((numeric_attribute<int>(f.id, "time_step_months", H5T_NATIVE_INT)), 12);

  const hid_t config = H5Gopen2(f.id, "config", H5P_DEFAULT);
  ASSERT_GE(config, 0);
  EXPECT_EQ(read_strings(config, "scenario_yaml"),
            std::vector<std::string>{"name: test-cohort\nyears: 3\n"});
  EXPECT_TRUE(read_strings(config, "input_files").empty());
  H5Gclose(config);
}

TEST_F(OutputTest, InputFilesGetTheirSha256) {
  RunResult r = cohort_result();
  std::ofstream(file("scenario.yaml")) << "abc";
  r.info.input_files = {file("scenario.yaml")};
  write_results(file("out.h5"), r, false);
  File f(file("out.h5"));
  const hid_t config = H5Gopen2(f.id, "config", H5P_DEFAULT);
  EXPECT_EQ(read_strings(config, "input_files"), r.info.input_files);
  EXPECT_EQ(
      read_strings(config, "input_sha256"),
      std::vector<std::string>{"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"});
  H5Gclose(config);
}

TEST_F(OutputTest, EveryVariableHasDimensionScalesUnitsAndNames) {
  write_results(file("out.h5"), cohort_result(), false);
  File f(file("out.h5"));
  for (const char* strategy : {"no-screening", "screen-65"}) {
    const hid_t group =
        H5Gopen2(f.id, (std::string("strategies/") + strategy).c_str(), H5P_DEFAULT);
    ASSERT_GE(group, 0) << strategy;

    // Coordinates: dimension scales named like their dimension, with the labels.
    EXPECT_EQ((read_all<int>(group, "year", H5T_NATIVE_INT)), (std::vector<int>{2025, 2026, 2027}));
    EXPECT_EQ(read_strings(group, "sex"), (std::vector<std::string>{"female", "male"}));
    EXPECT_EQ(read_strings(group, "site"),
              (std::vector<std::string>{"hip", "clinical_vertebral", "silent_vertebral", "wrist"}));
    const std::vector<std::string> bands = read_strings(group, "age_band");
    ASSERT_EQ(bands.size(), 11u);
    EXPECT_EQ(bands.front(), "50-54");
    EXPECT_EQ(bands[9], "95-99");
    EXPECT_EQ(bands.back(), "100+");
    std::vector<hid_t> scales;
    for (const char* dim : {"year", "sex", "age_band", "site"}) {
      const hid_t scale = H5Dopen2(group, dim, H5P_DEFAULT);
      EXPECT_EQ(H5DSis_scale(scale), 1) << dim;
      char name[32] = {};
      H5DSget_scale_name(scale, name, sizeof name);
      EXPECT_STREQ(name, dim);
      scales.push_back(scale);
    }

    const std::vector<std::string> by_site{"fractures", "first_fractures", "fractures_scaled",
                                           "incidence_per_100k"};
    const std::vector<std::string> by_band{"first_any_fracture", "deaths", "deaths_after_fracture",
                                           "population",         "falls",  "person_years"};
    for (const auto* names : {&by_site, &by_band}) {
      for (const std::string& name : *names) {
        const hid_t dataset = H5Dopen2(group, name.c_str(), H5P_DEFAULT);
        ASSERT_GE(dataset, 0) << name;
        const std::vector<hsize_t> shape = shape_of(dataset);
        const std::vector<hsize_t> expected = names == &by_site
                                                  ? std::vector<hsize_t>{kYears, 2, 11, 4}
                                                  : std::vector<hsize_t>{kYears, 2, 11};
        EXPECT_EQ(shape, expected) << name;
        for (unsigned axis = 0; axis < shape.size(); ++axis) {
          EXPECT_EQ(H5DSget_num_scales(dataset, axis), 1) << name << " axis " << axis;
          EXPECT_EQ(H5DSis_attached(dataset, scales[axis], axis), 1) << name << " axis " << axis;
        }
        EXPECT_FALSE(string_attribute(dataset, "units").empty()) << name;
        EXPECT_FALSE(string_attribute(dataset, "long_name").empty()) << name;
        H5Dclose(dataset);
      }
    }
    for (hid_t scale : scales) H5Dclose(scale);
    H5Gclose(group);
  }
}

TEST_F(OutputTest, ValuesMatchTheTallies) {
  const RunResult r = cohort_result();
  write_results(file("out.h5"), r, false);
  File f(file("out.h5"));
  const hid_t group = H5Gopen2(f.id, "strategies/screen-65", H5P_DEFAULT);
  const Tallies& t = r.strategies[1].tallies;
  EXPECT_EQ((read_all<std::int64_t>(group, "fractures", H5T_NATIVE_INT64)), t.fractures);
  EXPECT_EQ((read_all<std::int64_t>(group, "first_fractures", H5T_NATIVE_INT64)),
            t.first_fractures);
  EXPECT_EQ((read_all<std::int64_t>(group, "first_any_fracture", H5T_NATIVE_INT64)),
            t.first_any_fracture);
  EXPECT_EQ((read_all<std::int64_t>(group, "deaths", H5T_NATIVE_INT64)), t.deaths);
  EXPECT_EQ((read_all<std::int64_t>(group, "deaths_after_fracture", H5T_NATIVE_INT64)),
            t.deaths_after_fracture);
  EXPECT_EQ((read_all<std::int64_t>(group, "population", H5T_NATIVE_INT64)), t.population);
  EXPECT_EQ((read_all<std::int64_t>(group, "falls", H5T_NATIVE_INT64)), t.falls);

  const auto py = read_all<double>(group, "person_years", H5T_NATIVE_DOUBLE);
  const std::size_t cell0 = Tallies::index(0, Sex::female, kEntryBand);
  EXPECT_DOUBLE_EQ(py[cell0], 995.0);
  EXPECT_EQ(py[Tallies::index(0, Sex::male, kEntryBand)], 0.0);

  const std::size_t hip0 = Tallies::index(0, Sex::female, kEntryBand, Site::hip);
  const auto scaled = read_all<double>(group, "fractures_scaled", H5T_NATIVE_DOUBLE);
  EXPECT_DOUBLE_EQ(scaled[hip0], 7 * 2.5);
  const auto incidence = read_all<double>(group, "incidence_per_100k", H5T_NATIVE_DOUBLE);
  EXPECT_DOUBLE_EQ(incidence[hip0], 7.0 / 995.0 * 1e5);
  EXPECT_TRUE(std::isnan(incidence[Tallies::index(0, Sex::male, kEntryBand, Site::hip)]));
  const hid_t dataset = H5Dopen2(group, "incidence_per_100k", H5P_DEFAULT);
  EXPECT_TRUE(std::isnan(numeric_attribute<double>(dataset, "_FillValue", H5T_NATIVE_DOUBLE)));
  H5Dclose(dataset);
  H5Gclose(group);
}

TEST_F(OutputTest, IdenticalTalliesGiveIdenticalDatasets) {
  write_results(file("a.h5"), cohort_result(), false);
  write_results(file("b.h5"), cohort_result(), false);
  File a(file("a.h5"));
  File b(file("b.h5"));
  for (const char* name : {"fractures_scaled", "incidence_per_100k", "person_years"}) {
    const std::string path = std::string("strategies/no-screening/") + name;
    const auto va = read_all<double>(a.id, path.c_str(), H5T_NATIVE_DOUBLE);
    const auto vb = read_all<double>(b.id, path.c_str(), H5T_NATIVE_DOUBLE);
    ASSERT_EQ(va.size(), vb.size());
    EXPECT_EQ(std::memcmp(va.data(), vb.data(), va.size() * sizeof(double)), 0) << name;
  }
}

TEST_F(OutputTest, ExistingFileIsKeptWithoutForceAndReplacedWithForce) {
  std::ofstream(file("out.h5")) << "precious";
  try {
    write_results(file("out.h5"), cohort_result(), false);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "output file '" + file("out.h5") + "' exists; use --force to overwrite");
  }
  EXPECT_EQ(slurp(file("out.h5")), "precious");
  EXPECT_THROW(check_output_path(file("out.h5"), false), InputError);
  EXPECT_NO_THROW(check_output_path(file("out.h5"), true));

  write_results(file("out.h5"), cohort_result(), true);
  File f(file("out.h5"));
  EXPECT_EQ(string_attribute(f.id, "format"), "osteosim-results");
  EXPECT_EQ(entries(), std::vector<std::string>{"out.h5"});  // no temporary left behind
}

TEST_F(OutputTest, MissingDirectoryIsAnInputErrorNamingIt) {
  const std::string missing = file("no-such-dir");
  try {
    check_output_path(missing + "/out.h5", false);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "output directory '" + missing + "' does not exist");
  }
  EXPECT_THROW(check_output_path(dir_.string(), true), InputError);  // a directory
}

TEST_F(OutputTest, FailureMidWriteLeavesNoFile) {
  RunResult r = cohort_result();
  r.info.input_files = {file("vanished.yaml")};  // checksum fails after the file is created
  EXPECT_THROW(write_results(file("out.h5"), r, false), IoError);
  EXPECT_TRUE(entries().empty());

  r = cohort_result();
  r.strategies.push_back(r.strategies.front());  // duplicate group name: HDF5 refuses
  EXPECT_THROW(write_results(file("out.h5"), r, false), IoError);
  EXPECT_TRUE(entries().empty());
}

}  // namespace
}  // namespace osteosim::output

namespace osteosim::output {
namespace {

TEST_F(OutputTest, SummaryNumbersOfAHandComputableCohort) {
  write_results(file("out.h5"), cohort_result(), false);
  const SummaryNumbers n = read_summary_numbers(file("out.h5"));
  EXPECT_EQ(n.header.scenario, "test-cohort");
  EXPECT_EQ(n.header.population_kind, "cohort");
  EXPECT_EQ(n.header.seed, 4000000000);
  ASSERT_EQ(n.strategies.size(), 2u);
  EXPECT_EQ(n.strategies[0].name, "no-screening");  // file order is creation order
  EXPECT_EQ(n.strategies[1].name, "screen-65");

  const StrategySummary& s = n.strategies[0];
  const int f = static_cast<int>(Sex::female);
  const int m = static_cast<int>(Sex::male);
  const auto hip = static_cast<int>(Site::hip);
  EXPECT_DOUBLE_EQ(s.initial_population[f], 1000);
  EXPECT_EQ(s.entry_age_bands, "50-54");
  // 30 + 30 + 40 first hip fractures among 1000 entrants.
  EXPECT_DOUBLE_EQ(s.first_fracture_risk_percent[f][hip], 10.0);
  EXPECT_DOUBLE_EQ(s.first_fracture_risk_percent[f][static_cast<int>(Site::wrist)], 3.0);
  EXPECT_DOUBLE_EQ(s.any_clinical_risk_percent[f], 13.6);
  EXPECT_DOUBLE_EQ(
      s.process_risk_upper_bound_percent[static_cast<int>(model::FractureProcess::vertebral)][f],
      3.9);
  EXPECT_DOUBLE_EQ(s.fractures[f][hip], 106);
  EXPECT_DOUBLE_EQ(s.fractures_scaled[f][hip], 265);
  EXPECT_DOUBLE_EQ(s.deaths[f], 45);
  EXPECT_DOUBLE_EQ(s.deaths_after_fracture[f], 3);
  EXPECT_DOUBLE_EQ(s.survivors[f], 955);
  EXPECT_DOUBLE_EQ(s.person_years[f], 995 + 982.5 + 965);
  EXPECT_DOUBLE_EQ(s.life_expectancy_years[f], (995 + 982.5 + 965) / 1000.0);
  EXPECT_DOUBLE_EQ(s.incidence_per_100k[f][hip], 106 / (995 + 982.5 + 965) * 1e5);
  EXPECT_DOUBLE_EQ(s.incidence_first_year_per_100k[f][hip], 32 / 995.0 * 1e5);
  EXPECT_TRUE(std::isnan(s.first_fracture_risk_percent[m][hip]));  // no men in the cohort
  EXPECT_TRUE(std::isnan(s.life_expectancy_years[m]));
}

TEST_F(OutputTest, PrintedSummaryIsReadable) {
  write_results(file("out.h5"), cohort_result(), false);
  std::ostringstream text;
  print_summary(file("out.h5"), text);
  const std::string s = text.str();
  for (const char* expected :
       {"test-cohort", "Strategy 'no-screening'", "Strategy 'screen-65'", "hip", "10.0%",
        "any clinical fracture", "13.6%", "<= 3.9%", "upper bound", "2.9 years",
        "truncated follow-up", "95.5% of women", "(ages 50-54)"}) {
    EXPECT_NE(s.find(expected), std::string::npos) << expected << "\n" << s;
  }
  EXPECT_EQ(s.find("male  "), std::string::npos) << "no male column for a women's cohort\n" << s;
}

TEST_F(OutputTest, SummaryOfACrossSectionShowsIncidence) {
  RunResult r = cohort_result();
  r.info.population_kind = "cross_section";
  write_results(file("out.h5"), r, false);
  std::ostringstream text;
  print_summary(file("out.h5"), text);
  EXPECT_NE(text.str().find("Incidence per 100,000 person-years"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("3216.1"), std::string::npos) << text.str();  // 32 / 995 * 1e5
  EXPECT_EQ(text.str().find("lifetime"), std::string::npos) << text.str();
}

void expect_input_error(const std::string& path, const std::string& message_part) {
  try {
    std::ostringstream out;
    print_summary(path, out);
    ADD_FAILURE() << "expected InputError for " << path;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(message_part), std::string::npos) << e.what();
  }
}

TEST_F(OutputTest, SummaryRefusesFilesThatAreNotResults) {
  expect_input_error(file("missing.h5"), "does not exist");

  std::ofstream(file("text.h5")) << "this is not HDF5\n";
  expect_input_error(file("text.h5"), "is not an osteosim result file");

  write_results(file("out.h5"), cohort_result(), false);
  const std::string bytes = slurp(file("out.h5"));
  for (std::size_t keep : {bytes.size() / 2, bytes.size() - 100, std::size_t{600}}) {
    std::ofstream(file("truncated.h5"), std::ios::binary | std::ios::trunc)
        << bytes.substr(0, keep);
    expect_input_error(file("truncated.h5"), "truncated.h5");
  }

  // HDF5, but somebody else's.
  const hid_t other = H5Fcreate(file("other.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  H5Fclose(other);
  expect_input_error(file("other.h5"), "'" + file("other.h5") + "' is not an osteosim result file");
}

/// Opens a written result read-write, lets `edit` change it, and seals it again: a file
/// whose seal is valid but whose contents osteosim could not have written.
template <class Edit>
void edit_and_reseal(const std::string& path, Edit edit) {
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  edit(f);
  ASSERT_GE(H5Fclose(f), 0);
  seal_file(path);
}

template <class T>
void overwrite_attribute(hid_t object, const char* name, hid_t type, T value) {
  const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  ASSERT_GE(attribute, 0) << name;
  ASSERT_GE(H5Awrite(attribute, type, &value), 0) << name;
  H5Aclose(attribute);
}

TEST_F(OutputTest, SummaryRefusesAnUnknownFormatVersion) {
  write_results(file("out.h5"), cohort_result(), false);
  edit_and_reseal(file("out.h5"),
                  [](hid_t f) { overwrite_attribute(f, "format_version", H5T_NATIVE_INT, 2); });
  expect_input_error(file("out.h5"), "format_version 2 is not supported");
}

TEST_F(OutputTest, EveryChangedByteBreaksTheSeal) {
  write_results(file("out.h5"), cohort_result(), false);
  const std::string bytes = slurp(file("out.h5"));
  ASSERT_EQ(bytes.compare(0, 16, "osteosim-seal 1\n"), 0);
  // The seal's text, its zero padding, HDF5's superblock, the middle, the last byte.
  for (std::size_t at :
       {std::size_t{20}, std::size_t{400}, kSealBytes + 9, bytes.size() / 2, bytes.size() - 1}) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
    std::ofstream(file("flipped.h5"), std::ios::binary | std::ios::trunc) << damaged;
    expect_input_error(file("flipped.h5"), "flipped.h5' is damaged");
  }
  std::ofstream(file("longer.h5"), std::ios::binary | std::ios::trunc) << bytes << "x";
  expect_input_error(file("longer.h5"), "was changed after osteosim wrote it");
  std::ofstream(file("shorter.h5"), std::ios::binary | std::ios::trunc)
      << bytes.substr(0, bytes.size() - 1);
  expect_input_error(file("shorter.h5"), "is truncated");
}

TEST_F(OutputTest, EditedNumbersAreRefusedEvenUnderAValidSeal) {
  struct Case {
    const char* name;
    std::function<void(hid_t)> edit;
    const char* message;
  };
  const auto edit_dataset = [](hid_t f, const char* path, std::int64_t value) {
    const hid_t dataset = H5Dopen2(f, path, H5P_DEFAULT);
    ASSERT_GE(dataset, 0) << path;
    std::vector<std::int64_t> values(
        static_cast<std::size_t>(H5Sget_simple_extent_npoints(H5Dget_space(dataset))));
    ASSERT_GE(H5Dread(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
    values.back() = value;
    ASSERT_GE(H5Dwrite(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
    H5Dclose(dataset);
  };
  const std::vector<Case> cases = {
      {"negative-count", [&](hid_t f) { edit_dataset(f, "strategies/no-screening/fractures", -5); },
       "'fractures' of strategy 'no-screening' holds the count -5"},
      {"huge-count",
       [&](hid_t f) { edit_dataset(f, "strategies/no-screening/deaths", std::int64_t{1} << 50); },
       "'deaths' of strategy 'no-screening' holds the count"},
      {"nan-persons",
       [](hid_t f) {
         overwrite_attribute(f, "persons_per_agent", H5T_NATIVE_DOUBLE, std::nan(""));
       },
       "'persons_per_agent' is nan"},
      {"zero-agents",
       [](hid_t f) { overwrite_attribute(f, "agents", H5T_NATIVE_INT64, std::int64_t{0}); },
       "'agents' is 0"},
      {"years", [](hid_t f) { overwrite_attribute(f, "years", H5T_NATIVE_INT32, 1 << 30); },
       "'years' is 1073741824"},
      {"missing", [](hid_t f) { H5Ldelete(f, "strategies/no-screening/falls", H5P_DEFAULT); },
       "variable 'falls' of strategy 'no-screening' is missing"},
      {"huge-declared",
       [](hid_t f) {
         // 2^40 values declared, none stored: a reader must not allocate 8 TB for it.
         ASSERT_GE(H5Ldelete(f, "strategies/no-screening/falls", H5P_DEFAULT), 0);
         const hsize_t dims[1] = {hsize_t{1} << 40};
         const hsize_t chunk[1] = {1024};
         const hid_t space = H5Screate_simple(1, dims, nullptr);
         const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
         H5Pset_chunk(dcpl, 1, chunk);
         const hid_t d = H5Dcreate2(f, "strategies/no-screening/falls", H5T_NATIVE_INT64, space,
                                    H5P_DEFAULT, dcpl, H5P_DEFAULT);
         ASSERT_GE(d, 0);
         H5Dclose(d);
         H5Pclose(dcpl);
         H5Sclose(space);
       },
       "declares 1099511627776 values but stores only"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = file(std::string(c.name) + ".h5");
    write_results(path, cohort_result(), false);
    edit_and_reseal(path, c.edit);
    expect_input_error(path, c.message);
  }
}

TEST_F(OutputTest, ReadOnlyDirectoryIsRefusedBeforeWriting) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  fs::create_directories(dir_ / "ro");
  fs::permissions(dir_ / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(write_results(file("ro/out.h5"), cohort_result(), false), InputError);
  EXPECT_TRUE(fs::is_empty(dir_ / "ro"));
  fs::permissions(dir_ / "ro", fs::perms::owner_all);
}

}  // namespace
}  // namespace osteosim::output
