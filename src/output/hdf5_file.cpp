#include "output/hdf5_file.hpp"

#include <algorithm>
#include <utility>

#include "common/error.hpp"

namespace osteosim::output::h5 {

namespace {

// HDF5 prints its error stack to stderr by default; we report errors as exceptions
// instead, so the stack printing is switched off once, before the first call.
// Also before the first call: no HDF5 atexit handler. After a failed close (disk full)
// HDF5 1.10 keeps the file's ID and its exit handler crashes closing it again; every file
// we open is closed explicitly, so the handler has nothing else to do.
void silence_error_printing() {
  static const bool silenced = [] {
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)silenced;
}

herr_t collect_message(unsigned depth, const H5E_error2_t* error, void* data) {
  auto* messages = static_cast<std::vector<std::string>*>(data);
  if (error->desc != nullptr && *error->desc != '\0') messages->emplace_back(error->desc);
  (void)depth;
  return 0;
}

// The outermost (API) and innermost (cause) messages of HDF5's current error stack,
// e.g. "unable to open file (truncated file: eof = 1000, ...)".
std::string hdf5_error_message() {
  std::vector<std::string> messages;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_message, &messages);
  H5Eclear2(H5E_DEFAULT);
  if (messages.empty()) return "HDF5 error";
  if (messages.size() == 1 || messages.front() == messages.back()) return messages.front();
  return messages.front() + " (" + messages.back() + ")";
}

[[noreturn]] void fail(const std::string& what) {
  throw IoError(what + ": " + hdf5_error_message());
}

std::string object_name(hid_t object) {
  const ssize_t n = H5Iget_name(object, nullptr, 0);
  if (n <= 0) return "?";
  std::string name(static_cast<std::size_t>(n), '\0');
  H5Iget_name(object, name.data(), name.size() + 1);
  return name;
}

std::string attribute_what(hid_t object, const std::string& name) {
  return "attribute '" + name + "' of '" + object_name(object) + "'";
}

std::string child_what(hid_t parent, const std::string& name) {
  std::string base = object_name(parent);
  if (base.empty() || base.back() != '/') base += '/';
  return "'" + base + name + "'";
}

// Groups track link and attribute creation order, as netCDF-4 requires of its files.
Handle group_creation_properties() {
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "group creation properties");
  check(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "link creation order");
  check(H5Pset_attr_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "attribute creation order");
  return gcpl;
}

// Converts the strings read with a variable-length memory type and frees HDF5's copies.
std::vector<std::string> take_vlen_strings(std::vector<char*>& raw, hid_t mem_type, hid_t space) {
  std::vector<std::string> out;
  out.reserve(raw.size());
  for (char* s : raw) out.emplace_back(s != nullptr ? s : "");
  H5Dvlen_reclaim(mem_type, space, H5P_DEFAULT, raw.data());
  return out;
}

std::string trim_fixed(std::vector<char>& buffer) {
  std::string s(buffer.begin(), buffer.end());
  s.erase(std::find(s.begin(), s.end(), '\0'), s.end());
  return s;
}

}  // namespace

Handle::Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
  if (id_ < 0) fail(what);
}

Handle::Handle(Handle&& other) noexcept
    : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    closer_ = other.closer_;
  }
  return *this;
}

void Handle::reset() noexcept {
  if (id_ >= 0 && closer_ != nullptr) closer_(id_);
  id_ = H5I_INVALID_HID;
}

void Handle::close(const std::string& what) {
  const hid_t id = std::exchange(id_, H5I_INVALID_HID);
  if (id >= 0 && closer_ != nullptr) check(closer_(id), "closing " + what);
}

void check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

Handle create_file(const std::string& path) {
  silence_error_printing();
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "file creation properties");
  check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "link creation order");
  check(H5Pset_attr_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "attribute creation order");
  // Room for the seal (output/file_seal.hpp), written after the file is closed.
  check(H5Pset_userblock(fcpl.get(), kUserBlockBytes), "user block");
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
  // The newest file format this HDF5 writes (1.10's): checksums on the superblock, object
  // headers, group and chunk indices, which HDF5 verifies as it reads, and files half the
  // size of the 1.8 format's for our many small chunked variables. Readers need HDF5 1.10
  // or later (Debian 10+, h5py and R's hdf5r as packaged since 2018). A strong close so
  // that the file is complete on disk when close() returns.
  check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST), "library bounds");
  check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "close degree");
  return Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), H5Fclose,
                "cannot create HDF5 file '" + path + "'");
}

Handle open_file_read_only(const std::string& path) {
  silence_error_printing();
  return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                "cannot open HDF5 file '" + path + "'");
}

bool is_hdf5(const std::string& path) {
  silence_error_printing();
  const htri_t result = H5Fis_hdf5(path.c_str());
  H5Eclear2(H5E_DEFAULT);
  return result > 0;
}

Handle create_group(hid_t parent, const std::string& name) {
  const Handle gcpl = group_creation_properties();
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose,
                "cannot create group " + child_what(parent, name));
}

Handle open_group(hid_t parent, const std::string& name) {
  return Handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose,
                "cannot open group " + child_what(parent, name));
}

Handle open_dataset(hid_t parent, const std::string& name) {
  return Handle(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose,
                "cannot open dataset " + child_what(parent, name));
}

std::vector<std::string> children(hid_t group, H5O_type_t type) {
  struct Visit {
    H5O_type_t type;
    std::vector<std::string> names;
    static herr_t add(hid_t parent, const char* name, const H5L_info_t*, void* data) {
      auto* visit = static_cast<Visit*>(data);
      H5O_info_t info;
      if (H5Oget_info_by_name(parent, name, &info, H5P_DEFAULT) < 0) return -1;
      if (info.type == visit->type) visit->names.push_back(name);
      return 0;
    }
  };
  Visit visit{type, {}};
  // Files we did not write may lack a creation-order index: fall back to name order.
  hsize_t index = 0;
  if (H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, Visit::add, &visit) < 0) {
    H5Eclear2(H5E_DEFAULT);
    visit.names.clear();
    index = 0;
    check(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &index, Visit::add, &visit),
          "cannot list the contents of '" + object_name(group) + "'");
  }
  return visit.names;
}

std::vector<std::string> child_groups(hid_t group) { return children(group, H5O_TYPE_GROUP); }

std::vector<std::string> child_datasets(hid_t group) { return children(group, H5O_TYPE_DATASET); }

bool has_link(hid_t parent, const std::string& name) {
  const htri_t exists = H5Lexists(parent, name.c_str(), H5P_DEFAULT);
  if (exists < 0) fail("cannot look up " + child_what(parent, name));
  return exists > 0;
}

bool has_attribute(hid_t object, const std::string& name) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail("cannot look up " + attribute_what(object, name));
  return exists > 0;
}

Handle utf8_string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "string type size");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string type character set");
  return type;
}

void write_attribute(hid_t object, const std::string& name, std::string_view value) {
  const std::string what = attribute_what(object, name);
  const Handle type = utf8_string_type();
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose, what);
  const Handle attribute(
      H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
      "cannot create " + what);
  const std::string text(value);
  const char* pointer = text.c_str();
  check(H5Awrite(attribute.get(), type.get(), &pointer), "cannot write " + what);
}

void write_numeric_attribute(hid_t object, const std::string& name, hid_t type, const void* value) {
  const std::string what = attribute_what(object, name);
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose, what);
  const Handle attribute(
      H5Acreate2(object, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
      "cannot create " + what);
  check(H5Awrite(attribute.get(), type, value), "cannot write " + what);
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  const std::string what = attribute_what(object, name);
  const Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose,
                         "cannot open " + what);
  const Handle file_type(H5Aget_type(attribute.get()), H5Tclose, what);
  if (H5Tget_class(file_type.get()) != H5T_STRING) throw IoError(what + " is not a string");
  const Handle space(H5Aget_space(attribute.get()), H5Sclose, what);
  if (H5Sget_simple_extent_npoints(space.get()) != 1) throw IoError(what + " is not a scalar");
  if (H5Tis_variable_str(file_type.get()) > 0) {
    const Handle mem_type = utf8_string_type();
    std::vector<char*> raw(1, nullptr);
    check(H5Aread(attribute.get(), mem_type.get(), raw.data()), "cannot read " + what);
    return take_vlen_strings(raw, mem_type.get(), space.get()).front();
  }
  std::vector<char> buffer(H5Tget_size(file_type.get()));
  check(H5Aread(attribute.get(), file_type.get(), buffer.data()), "cannot read " + what);
  return trim_fixed(buffer);
}

void read_numeric_attribute(hid_t object, const std::string& name, hid_t type, void* value) {
  const std::string what = attribute_what(object, name);
  const Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose,
                         "cannot open " + what);
  const Handle space(H5Aget_space(attribute.get()), H5Sclose, what);
  if (H5Sget_simple_extent_npoints(space.get()) != 1) throw IoError(what + " is not a scalar");
  check(H5Aread(attribute.get(), type, value), "cannot read " + what);
}

Handle write_dataset(hid_t parent, const std::string& name, hid_t type,
                     const std::vector<hsize_t>& dims, const void* data,
                     const DatasetOptions& options) {
  const std::string what = "dataset " + child_what(parent, name);
  const Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                     H5Sclose, what);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, what);
  // netCDF-4 tracks attribute creation order on variables too.
  check(H5Pset_attr_creation_order(dcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        what);
  const bool empty = std::find(dims.begin(), dims.end(), hsize_t{0}) != dims.end();
  if (options.compress && !dims.empty() && !empty) {
    // Chunks of up to 16 leading-dimension slices (years) keep a chunk near 10 kB for the
    // 4-d tallies; shuffle groups bytes of similar magnitude so gzip does better.
    std::vector<hsize_t> chunk = dims;
    chunk.front() = std::min<hsize_t>(dims.front(), 16);
    check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), what);
    check(H5Pset_shuffle(dcpl.get()), what);
    check(H5Pset_deflate(dcpl.get(), 4), what);
    check(H5Pset_fletcher32(dcpl.get()), what);  // a checksum per chunk, checked on read
  }
  if (options.fill_value != nullptr) {
    check(H5Pset_fill_value(dcpl.get(), H5T_NATIVE_DOUBLE, options.fill_value), what);
  }
  Handle dataset(
      H5Dcreate2(parent, name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
      H5Dclose, "cannot create " + what);
  if (!empty) {
    check(H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
          "cannot write " + what);
  }
  return dataset;
}

Handle fixed_string_type(std::size_t size) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  check(H5Tset_size(type.get(), size), "string type size");
  check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "string type padding");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string type character set");
  return type;
}

Handle create_column(hid_t parent, const std::string& name, hid_t type, hsize_t rows) {
  const std::string what = "dataset " + child_what(parent, name);
  const hsize_t unlimited = H5S_UNLIMITED;
  const Handle space(H5Screate_simple(1, &rows, &unlimited), H5Sclose, what);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, what);
  check(H5Pset_attr_creation_order(dcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        what);
  // 64 Ki rows per chunk: about 0.5 MB of float64 before compression.
  const hsize_t chunk = 65536;
  check(H5Pset_chunk(dcpl.get(), 1, &chunk), what);
  check(H5Pset_shuffle(dcpl.get()), what);
  check(H5Pset_deflate(dcpl.get(), 4), what);
  check(H5Pset_fletcher32(dcpl.get()), what);
  return Handle(
      H5Dcreate2(parent, name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
      H5Dclose, "cannot create " + what);
}

void write_rows(hid_t column, hid_t type, hsize_t offset, hsize_t count, const void* data) {
  if (count == 0) return;
  const Handle file_space(H5Dget_space(column), H5Sclose, "column space");
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &offset, nullptr, &count, nullptr),
        "column rows");
  const Handle memory_space(H5Screate_simple(1, &count, nullptr), H5Sclose, "column rows");
  check(H5Dwrite(column, type, memory_space.get(), file_space.get(), H5P_DEFAULT, data),
        "cannot write rows of a column");
}

Handle write_string_dataset(hid_t parent, const std::string& name,
                            const std::vector<std::string>& values, bool scalar) {
  const std::string what = "dataset " + child_what(parent, name);
  if (scalar && values.size() != 1) throw IoError(what + ": a scalar needs exactly one string");
  const Handle type = utf8_string_type();
  const hsize_t n = values.size();
  const Handle space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose,
                     what);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, what);
  check(H5Pset_attr_creation_order(dcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        what);
  Handle dataset(H5Dcreate2(parent, name.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(),
                            H5P_DEFAULT),
                 H5Dclose, "cannot create " + what);
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const std::string& value : values) pointers.push_back(value.c_str());
  if (!pointers.empty()) {
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "cannot write " + what);
  }
  return dataset;
}

std::vector<hsize_t> dataset_dims(hid_t dataset) {
  const Handle space(H5Dget_space(dataset), H5Sclose,
                     "dataspace of '" + object_name(dataset) + "'");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail("dataspace of '" + object_name(dataset) + "'");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

void check_plausible_size(hid_t dataset, hsize_t elements, std::size_t element_bytes) {
  // Deflate packs at most ~1032 bytes into one: a dataset declaring more than that over its
  // stored bytes was not written by us (an edited file declaring 2^40 elements would
  // otherwise allocate terabytes before the read fails).
  constexpr double kMaxExpansion = 1100;
  constexpr double kSlackBytes = 1 << 16;
  const double declared = static_cast<double>(elements) * static_cast<double>(element_bytes);
  const double stored = static_cast<double>(H5Dget_storage_size(dataset));
  if (declared > kMaxExpansion * stored + kSlackBytes) {
    throw IoError("dataset '" + object_name(dataset) + "' declares " + std::to_string(elements) +
                  " values but stores only " + std::to_string(static_cast<long long>(stored)) +
                  " bytes");
  }
}

template <class T>
std::vector<T> read_dataset(hid_t parent, const std::string& name, std::vector<hsize_t>* dims) {
  const Handle dataset = open_dataset(parent, name);
  const std::vector<hsize_t> shape = dataset_dims(dataset.get());
  hsize_t count = 1;
  for (hsize_t d : shape) count *= d;
  check_plausible_size(dataset.get(), count, sizeof(T));
  std::vector<T> values(count);
  if (count > 0) {
    check(H5Dread(dataset.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "cannot read dataset " + child_what(parent, name));
  }
  if (dims != nullptr) *dims = shape;
  return values;
}

template std::vector<std::int32_t> read_dataset<std::int32_t>(hid_t, const std::string&,
                                                              std::vector<hsize_t>*);
template std::vector<std::int64_t> read_dataset<std::int64_t>(hid_t, const std::string&,
                                                              std::vector<hsize_t>*);
template std::vector<double> read_dataset<double>(hid_t, const std::string&, std::vector<hsize_t>*);

std::vector<std::string> read_string_dataset(hid_t parent, const std::string& name) {
  const std::string what = "dataset " + child_what(parent, name);
  const Handle dataset = open_dataset(parent, name);
  const Handle file_type(H5Dget_type(dataset.get()), H5Tclose, what);
  if (H5Tget_class(file_type.get()) != H5T_STRING) throw IoError(what + " is not a string");
  const Handle space(H5Dget_space(dataset.get()), H5Sclose, what);
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0) fail("dataspace of " + what);
  const auto count = static_cast<std::size_t>(points);
  if (count == 0) return {};
  check_plausible_size(dataset.get(), count, H5Tget_size(file_type.get()));
  if (H5Tis_variable_str(file_type.get()) > 0) {
    const Handle mem_type = utf8_string_type();
    std::vector<char*> raw(count, nullptr);
    check(H5Dread(dataset.get(), mem_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()),
          "cannot read " + what);
    return take_vlen_strings(raw, mem_type.get(), space.get());
  }
  const std::size_t size = H5Tget_size(file_type.get());
  std::vector<char> buffer(size * count);
  check(H5Dread(dataset.get(), file_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
        "cannot read " + what);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<char> one(buffer.begin() + static_cast<std::ptrdiff_t>(i * size),
                          buffer.begin() + static_cast<std::ptrdiff_t>((i + 1) * size));
    out.push_back(trim_fixed(one));
  }
  return out;
}

}  // namespace osteosim::output::h5
