#pragma once
/// A thin RAII layer over the HDF5 C API, the only place that talks to it directly:
/// every identifier is closed on every path, and every failure becomes an IoError that
/// names the object and carries HDF5's own innermost message.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace osteosim::output::h5 {

/// Owns one HDF5 identifier and closes it with the matching H5*close when destroyed.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);

  Handle() = default;
  /// Takes ownership of `id`; throws IoError naming `what` if `id` reports a failure.
  Handle(hid_t id, Closer closer, const std::string& what);
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  /// The raw identifier, for HDF5 calls.
  hid_t get() const { return id_; }
  /// Closes now and reports a failure (e.g. a file whose final flush fails) as IoError.
  void close(const std::string& what);

 private:
  void reset() noexcept;
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Throws IoError "<what>: <HDF5 message>" when `status` is negative.
void check(herr_t status, const std::string& what);

/// Bytes of the user block at the start of every file we create (HDF5's smallest),
/// kept free for the seal of output/file_seal.hpp.
inline constexpr hsize_t kUserBlockBytes = 512;

/// Creates (truncating) a file laid out for netCDF-4 readers: creation order of links
/// and attributes tracked, in the newest file format (HDF5 1.10 and later read it), with a user
/// block of kUserBlockBytes.
Handle create_file(const std::string& path);
/// Opens an existing file read-only; throws IoError if HDF5 cannot open it.
Handle open_file_read_only(const std::string& path);
/// True if `path` starts with an HDF5 signature (says nothing of truncation).
bool is_hdf5(const std::string& path);

/// Creates a group (creation order tracked, as netCDF-4 does).
Handle create_group(hid_t parent, const std::string& name);
Handle open_group(hid_t parent, const std::string& name);
Handle open_dataset(hid_t parent, const std::string& name);
/// Names of the groups directly under `group`, in creation order.
std::vector<std::string> child_groups(hid_t group);
/// Names of the datasets directly under `group`, in creation order.
std::vector<std::string> child_datasets(hid_t group);
bool has_link(hid_t parent, const std::string& name);
bool has_attribute(hid_t object, const std::string& name);

/// The HDF5 native type of an arithmetic C++ type.
template <class T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, std::int32_t>)
    return H5T_NATIVE_INT32;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return H5T_NATIVE_INT64;
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    return H5T_NATIVE_UINT32;
  else if constexpr (std::is_same_v<T, double>)
    return H5T_NATIVE_DOUBLE;
  else
    static_assert(!sizeof(T), "no HDF5 native type mapped for this C++ type");
}

/// A variable-length UTF-8 string type (what h5py and h5netcdf read as `str`).
Handle utf8_string_type();

/// Writes a scalar variable-length UTF-8 string attribute.
void write_attribute(hid_t object, const std::string& name, std::string_view value);
/// Writes a scalar numeric attribute of the given native type.
void write_numeric_attribute(hid_t object, const std::string& name, hid_t type, const void* value);
template <class T>
requires std::is_arithmetic_v<T>
void write_attribute(hid_t object, const std::string& name, T value) {
  write_numeric_attribute(object, name, native_type<T>(), &value);
}

/// Reads a scalar string attribute (variable- or fixed-length).
std::string read_string_attribute(hid_t object, const std::string& name);
/// Reads a scalar numeric attribute, converted by HDF5 to `type`.
void read_numeric_attribute(hid_t object, const std::string& name, hid_t type, void* value);
template <class T>
T read_attribute(hid_t object, const std::string& name) {
  T value{};
  read_numeric_attribute(object, name, native_type<T>(), &value);
  return value;
}

/// How a new dataset is stored.
struct DatasetOptions {
  bool compress = false;               ///< chunked by leading-dimension blocks, shuffle + gzip 4
  const double* fill_value = nullptr;  ///< fill value for float64 datasets (e.g. NaN)
};

/// Creates a dataset of `type` and shape `dims` and writes `data` (in memory type `type`).
Handle write_dataset(hid_t parent, const std::string& name, hid_t type,
                     const std::vector<hsize_t>& dims, const void* data,
                     const DatasetOptions& options = {});
/// Creates a 0-d (scalar dataspace) or 1-d UTF-8 string dataset.
Handle write_string_dataset(hid_t parent, const std::string& name,
                            const std::vector<std::string>& values, bool scalar = false);

/// A fixed-length, null-padded UTF-8 string type of `size` bytes: unlike variable-length
/// strings it is stored in the chunks themselves, so gzip compresses long label columns.
Handle fixed_string_type(std::size_t size);

/// Creates an empty 1-d column of `rows` values, extendible (unlimited, like a netCDF
/// record dimension), chunked and compressed, to be filled piecewise with write_rows():
/// the way to write a table too long to hold in memory.
Handle create_column(hid_t parent, const std::string& name, hid_t type, hsize_t rows);
/// Writes `count` values of memory type `type` at rows [offset, offset + count).
void write_rows(hid_t column, hid_t type, hsize_t offset, hsize_t count, const void* data);

/// Shape of a dataset.
std::vector<hsize_t> dataset_dims(hid_t dataset);
/// Throws IoError if `dataset` declares far more than it could hold in the bytes it
/// stores (`elements` of `element_bytes` each): an edited or foreign file, refused before
/// any allocation.
void check_plausible_size(hid_t dataset, hsize_t elements, std::size_t element_bytes);
/// Reads a whole numeric dataset, converted by HDF5 to `type`, into `out` (resized).
template <class T>
std::vector<T> read_dataset(hid_t parent, const std::string& name, std::vector<hsize_t>* dims);
/// Reads a whole 0-d or 1-d string dataset.
std::vector<std::string> read_string_dataset(hid_t parent, const std::string& name);

}  // namespace osteosim::output::h5
