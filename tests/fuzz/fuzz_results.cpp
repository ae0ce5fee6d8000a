// Fuzzing of result files (issue 19): the readers - `summary`, `describe` and `export` -
// must refuse every damaged or edited file with InputError (exit 2) naming it, and never
// crash, hang or print a table from it. From real result files written by `osteosim run`
// (--base, one per kind of run), each case makes one damaged copy:
//   flip     1-64 flipped bits anywhere (the seal, HDF5's metadata, the data);
//   overwrite  up to 4 KB of zeros, 0xff or random bytes at a random place;
//   truncate / extend  the file cut short, or bytes appended;
//   edit     a value changed through HDF5 and the file sealed again, as a program that
//            knows the seal would: negative or impossible counts, NaN or absurd run
//            attributes, a missing variable, a dataset declaring 2^40 values.
// Each case runs every reader in-process (ASan+UBSan in CI); every --binary-every'th case
// also runs the executable's three commands and checks exit code 2 and its message.
// --resealed-damage adds a sixth kind, flipped bits sealed again (HDF5's own checksums and
// our invariants against damage the seal cannot see): no crash or hang, any exit allowed.
//
// Usage: osteosim_fuzz_results --base OUT.h5 [--base OUT2.h5...] [--cases N] [--seed S]
//            [--binary OSTEOSIM --binary-every K] [--timeout SECONDS] [--resealed-damage 1]
#if __has_include(<hdf5.h>)
#include <hdf5.h>
#else
#include <hdf5/serial/hdf5.h>
#endif
#include <unistd.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include "common/error.hpp"
#include "fuzz_support.hpp"
#include "output/describe.hpp"
#include "output/export_csv.hpp"
#include "output/export_events.hpp"
#include "output/file_seal.hpp"
#include "output/summary.hpp"

namespace {

using namespace osteosim::fuzz;
namespace output = osteosim::output;

struct Options : CaseOptions {
  std::vector<std::string> bases;
  bool resealed_damage = false;
};

enum class Kind { flip, overwrite, truncate, extend, edit, resealed_damage };
const char* const kKindNames[] = {"flip",   "overwrite", "truncate",
                                  "extend", "edit",      "resealed-damage"};

/// Bits flipped at random places at or after byte `first`; returns what was done.
std::string flip_bits(std::string& bytes, std::size_t first, Random& rng) {
  const std::size_t span = bytes.size() - first;
  const std::size_t flips = 1 + rng.below(64);
  const std::size_t at = rng.below(span);
  for (std::size_t i = 0; i < flips; ++i) {
    // Half the cases cluster their flips, as a bad sector or cable would.
    const std::size_t where =
        first + (rng.chance(50) ? (at + rng.below(4096)) % span : rng.below(span));
    bytes[where] = static_cast<char>(bytes[where] ^ (1 << rng.below(8)));
  }
  return std::to_string(flips) + " bits flipped near byte " + std::to_string(first + at);
}

std::string overwrite(std::string& bytes, Random& rng) {
  const std::size_t at = rng.below(bytes.size());
  const std::size_t length = std::min(1 + rng.below(4096), bytes.size() - at);
  const int pattern = static_cast<int>(rng.below(3));
  for (std::size_t i = at; i < at + length; ++i) {
    bytes[i] = pattern == 0 ? '\0' : pattern == 1 ? '\xff' : static_cast<char>(rng.below(256));
  }
  return std::to_string(length) + " bytes overwritten at " + std::to_string(at);
}

/// `bytes` becomes a copy of `pristine` damaged byte-wise as `kind` says, and different
/// from it (zeros written over zeros change nothing); returns how. One buffer serves every
/// case: a fresh copy per case costs page faults that dominate the run under ASan.
std::string damage(Kind kind, const std::string& pristine, Random& rng, std::string& bytes) {
  std::string what;
  bytes.assign(pristine);
  while (bytes == pristine) {
    switch (kind) {
      case Kind::flip:
        what = flip_bits(bytes, 0, rng);
        break;
      case Kind::overwrite:
        what = overwrite(bytes, rng);
        break;
      case Kind::truncate: {
        const std::size_t keep = rng.below(bytes.size());
        bytes.resize(keep);
        what = "truncated to " + std::to_string(keep) + " bytes";
        break;
      }
      case Kind::extend: {
        const std::size_t extra = 1 + rng.below(4096);
        for (std::size_t i = 0; i < extra; ++i) bytes += static_cast<char>(rng.below(256));
        what = "extended by " + std::to_string(extra) + " bytes";
        break;
      }
      case Kind::resealed_damage:
        what = flip_bits(bytes, output::kSealBytes, rng) + " after the seal (sealed again)";
        break;
      case Kind::edit:
        throw std::logic_error("edits go through HDF5");
    }
  }
  return bytes;
}

// --- edits through HDF5, sealed again -----------------------------------------------------

template <class T>
bool set_attribute(hid_t object, const char* name, hid_t type, T value) {
  const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  if (attribute < 0) return false;
  const bool ok = H5Awrite(attribute, type, &value) >= 0;
  H5Aclose(attribute);
  return ok;
}

/// Names of the strategy groups of an open file.
std::vector<std::string> strategy_names(hid_t file) {
  std::vector<std::string> names;
  const hid_t group = H5Gopen2(file, "strategies", H5P_DEFAULT);
  if (group < 0) return names;
  H5G_info_t info;
  H5Gget_info(group, &info);
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    char name[256] = "";
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT);
    names.emplace_back(name);
  }
  H5Gclose(group);
  return names;
}

/// Sets one random element of a numeric dataset to `value` (converted by HDF5).
bool set_element(hid_t file, const std::string& path, double value, Random& rng) {
  const hid_t dataset = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (dataset < 0) return false;
  const hid_t space = H5Dget_space(dataset);
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  std::vector<double> values(n);
  bool ok = n > 0 &&
            H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0;
  if (ok) {
    values[rng.below(n)] = value;
    ok = H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0;
  }
  H5Sclose(space);
  H5Dclose(dataset);
  return ok;
}

/// Replaces the dataset at `path` with an empty chunked one declaring 2^40 values.
bool declare_huge(hid_t file, const std::string& path) {
  if (H5Ldelete(file, path.c_str(), H5P_DEFAULT) < 0) return false;
  const hsize_t dims[1] = {hsize_t{1} << 40};
  const hsize_t chunk[1] = {4096};
  const hid_t space = H5Screate_simple(1, dims, nullptr);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 1, chunk);
  const hid_t dataset =
      H5Dcreate2(file, path.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  const bool ok = dataset >= 0;
  if (ok) H5Dclose(dataset);
  H5Pclose(dcpl);
  H5Sclose(space);
  return ok;
}

/// Replaces a dataset with one of the right type and a wrong shape.
bool reshape(hid_t file, const std::string& path) {
  if (H5Ldelete(file, path.c_str(), H5P_DEFAULT) < 0) return false;
  const hsize_t dims[2] = {3, 5};
  const std::vector<std::int64_t> values(15, 1);
  const hid_t space = H5Screate_simple(2, dims, nullptr);
  const hid_t dataset = H5Dcreate2(file, path.c_str(), H5T_NATIVE_INT64, space, H5P_DEFAULT,
                                   H5P_DEFAULT, H5P_DEFAULT);
  const bool ok = dataset >= 0 && H5Dwrite(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                           values.data()) >= 0;
  if (dataset >= 0) H5Dclose(dataset);
  H5Sclose(space);
  return ok;
}

const std::vector<std::string> kCounts{"fractures", "first_fractures",       "first_any_fracture",
                                       "deaths",    "deaths_after_fracture", "population",
                                       "falls"};

/// One edit no osteosim run can produce; returns what was done ("" if it did not apply).
std::string edit(hid_t file, Random& rng) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const auto strategies = strategy_names(file);
  if (strategies.empty()) return "";
  const std::string group = "strategies/" + rng.pick(strategies) + "/";
  switch (rng.below(10)) {
    case 0: {
      const double value = rng.pick(std::vector<double>{-1, -1e9, 1e15});
      const std::string name = rng.pick(kCounts);
      return set_element(file, group + name, value, rng) ? name + " = " + std::to_string(value)
                                                         : "";
    }
    case 1: {
      const double value = rng.pick(std::vector<double>{nan, inf, -1, 0, 1e300});
      return set_attribute(file, "persons_per_agent", H5T_NATIVE_DOUBLE, value)
                 ? "persons_per_agent = " + std::to_string(value)
                 : "";
    }
    case 2: {
      const auto value = rng.pick(std::vector<std::int64_t>{0, -1, std::int64_t{1} << 62});
      return set_attribute(file, "agents", H5T_NATIVE_INT64, value)
                 ? "agents = " + std::to_string(value)
                 : "";
    }
    case 3: {
      const auto value = rng.pick(std::vector<std::int32_t>{0, -3, 121, 1 << 30});
      return set_attribute(file, "years", H5T_NATIVE_INT32, value)
                 ? "years = " + std::to_string(value)
                 : "";
    }
    case 4: {
      const auto value = rng.pick(std::vector<std::int32_t>{0, 5, 13, -12});
      return set_attribute(file, "time_step_months", H5T_NATIVE_INT32, value)
                 ? "time_step_months = " + std::to_string(value)
                 : "";
    }
    case 5: {
      const auto value = rng.pick(std::vector<std::int64_t>{-1, std::int64_t{1} << 40});
      return set_attribute(file, "seed", H5T_NATIVE_INT64, value)
                 ? "seed = " + std::to_string(value)
                 : "";
    }
    case 6: {
      const double value = rng.pick(std::vector<double>{nan, -inf, -5});
      return set_element(file, group + "person_years", value, rng)
                 ? "person_years = " + std::to_string(value)
                 : "";
    }
    case 7: {
      const std::string name = rng.pick(kCounts);
      return H5Ldelete(file, (group + name).c_str(), H5P_DEFAULT) >= 0 ? name + " deleted" : "";
    }
    case 8: {
      const std::string path = rng.pick(std::vector<std::string>{
          group + rng.pick(kCounts), group + "person_years", group + "events/time_years",
          "analysis/cea/cost", "config/input_sha256"});
      return declare_huge(file, path) ? path + " declares 2^40 values" : "";
    }
    default: {
      const std::string name = rng.pick(kCounts);
      return reshape(file, group + name) ? name + " reshaped to 3x5" : "";
    }
  }
}

/// Applies edits until one applies (some need a group a base may lack), then seals.
std::string edit_and_seal(const std::string& path, Random& rng) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    if (file < 0) throw std::runtime_error("cannot open the fuzz copy " + path);
    const std::string what = edit(file, rng);
    H5Fclose(file);
    if (!what.empty()) {
      output::seal_file(path);
      return what + " (sealed again)";
    }
  }
  throw std::runtime_error("no edit applied to " + path);
}

// --- the readers --------------------------------------------------------------------------

/// Runs one reader in-process: "" if it refused the file as it should, else the problem.
std::string refusal_problem(const std::function<void()>& reader, const std::string& path,
                            bool must_refuse) {
  try {
    reader();
    return must_refuse ? "accepted the file (would exit 0)" : "";
  } catch (const osteosim::InputError& e) {
    const std::string message = e.what();
    if (message.find(path) == std::string::npos)
      return "message does not name the file: " + message;
    return "";
  } catch (const std::exception& e) {
    return std::string("not an InputError (would exit 1): ") + e.what();
  }
}

/// The problem of a run of the executable on a damaged file, or "".
std::string binary_problem(const Options& options, const std::vector<std::string>& command,
                           const fs::path& work, bool must_refuse) {
  std::vector<std::string> args{options.binary};
  args.insert(args.end(), command.begin(), command.end());
  std::string err;
  const int status = run_process(args, options.timeout_seconds, work / "stderr.txt", err);
  if (status == 2 && err.find("osteosim: error: ") != std::string::npos) return "";
  if (!must_refuse && (status == 0 || status == 2)) return "";
  return "`osteosim " + command.front() + "` exited " + std::to_string(status) +
         (status == -1 ? " (timeout)" : "") + ": " + err.substr(0, 400);
}

Options parse(int argc, char** argv) {
  Options o;
  parse_options(argc, argv, o, [&o](const std::string& key, const std::string& value) {
    if (key == "--base")
      o.bases.push_back(value);
    else if (key == "--resealed-damage")
      o.resealed_damage = value != "0";
    else
      return false;
    return true;
  });
  if (o.bases.empty()) throw std::invalid_argument("--base OUT.h5 is required");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // the edits' own failed lookups are expected
  const fs::path work =
      fs::temp_directory_path() / ("osteosim-fuzz-results-" + std::to_string(getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  std::vector<std::string> pristine;
  for (const std::string& base : options.bases) {
    pristine.push_back(read_file(base));
    output::verify_seal(base);  // a damaged base would make every case meaningless
  }
  Random rng(options.seed);
  Watchdog watchdog(options.timeout_seconds);
  const std::string path = (work / "case.h5").string();
  const std::string csv = (work / "out.csv").string();
  const std::string dir = (work / "csv").string();
  std::map<std::string, int> kinds;
  int failures = 0, through_binary = 0;
  std::string bytes;
  for (int c = 0; c < options.cases; ++c) {
    const std::size_t base = rng.below(pristine.size());
    const int kind_count = options.resealed_damage ? 6 : 5;
    const auto kind = static_cast<Kind>(rng.below(static_cast<std::size_t>(kind_count)));
    std::string what;
    if (kind == Kind::edit) {
      bytes.assign(pristine[base]);
    } else {
      what = damage(kind, pristine[base], rng, bytes);
    }
    write_file(path, bytes);
    if (kind == Kind::edit) what = edit_and_seal(path, rng);
    if (kind == Kind::resealed_damage) output::seal_file(path);
    const bool must_refuse = kind != Kind::resealed_damage;
    ++kinds[kKindNames[static_cast<int>(kind)]];
    const std::string label =
        "case " + std::to_string(c) + " (base " + options.bases[base] + "): " + what;
    watchdog.start(label);
    std::ostringstream sink;
    const std::vector<std::pair<const char*, std::function<void()>>> readers{
        {"summary", [&] { output::print_summary(path, sink); }},
        {"describe", [&] { output::describe_file(path, sink); }},
        {"export --csv", [&] { output::export_csv(path, csv, true); }},
        {"export --csv-dir", [&] { output::export_csv_directory(path, dir, true); }},
        {"export --events", [&] { output::export_events_csv(path, csv, true); }},
    };
    for (const auto& [name, reader] : readers) {
      const std::string problem = refusal_problem(reader, path, must_refuse);
      if (!problem.empty()) {
        std::cout << "FAIL " << label << "\n  " << name << ": " << problem << "\n";
        ++failures;
      }
    }
    if (!options.binary.empty() && options.binary_every > 0 && c % options.binary_every == 0) {
      ++through_binary;
      for (const auto& command : std::vector<std::vector<std::string>>{
               {"summary", path}, {"describe", path}, {"export", path, "--csv", csv, "--force"}}) {
        const std::string problem = binary_problem(options, command, work, must_refuse);
        if (!problem.empty()) {
          std::cout << "FAIL " << label << "\n  " << problem << "\n";
          ++failures;
        }
      }
    }
  }
  fs::remove_all(work);
  std::cout << options.cases << " damaged result files (";
  for (const auto& [kind, count] : kinds) std::cout << kind << ' ' << count << ", ";
  std::cout << through_binary << " also through the executable): " << failures << " failures\n";
  return failures == 0 ? 0 : 1;
}
