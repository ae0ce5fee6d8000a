#pragma once
/// Writes the entries of one group of a result file strictly as result_variables.cpp
/// declares them: dimensions, type, units, long_name and description come from the
/// declaration, so the file and `osteosim describe` cannot disagree.
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "output/hdf5_file.hpp"
#include "output/result_variables.hpp"

namespace osteosim::output {

/// The declared type of a C++ value type.
template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, std::int32_t>)
    return DType::int32;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return DType::int64;
  else if constexpr (std::is_same_v<T, double>)
    return DType::float64;
  else if constexpr (std::is_convertible_v<T, std::string_view>)
    return DType::string;
  else
    static_assert(!sizeof(T), "no declared type for this C++ type");
}

class DeclaredGroup {
 public:
  /// `group` is open for writing; `declared_as` is its group in result_entries().
  /// `currency` (an ISO 4217 code) replaces kCurrencyUnit in declared units: a group with
  /// costs must be given one.
  DeclaredGroup(hid_t group, std::string declared_as, std::string currency = {});

  /// Writes a scalar attribute of the group.
  template <class T>
  void attribute(const std::string& name, const T& value) {
    take(name, EntryKind::attribute, dtype_of<T>());
    if constexpr (dtype_of<T>() == DType::string) {
      h5::write_attribute(group_, name, std::string_view(value));
    } else {
      h5::write_attribute(group_, name, value);
    }
  }

  /// Writes a 1-d coordinate (dimension scale named like its dimension).
  template <class T>
  void coordinate(const std::string& name, const std::vector<T>& values) {
    const ResultEntry& entry = take(name, EntryKind::coordinate, dtype_of<T>());
    h5::Handle dataset;
    if constexpr (dtype_of<T>() == DType::string) {
      dataset = h5::write_string_dataset(group_, name, values);
    } else {
      dataset =
          h5::write_dataset(group_, name, h5::native_type<T>(), {values.size()}, values.data());
    }
    add_scale(entry, std::move(dataset));
  }

  /// Writes a numeric variable over its declared dimensions; `fill_value` also becomes
  /// the _FillValue attribute (e.g. NaN where a rate has no denominator).
  template <class T>
  void variable(const std::string& name, const std::vector<T>& values,
                const double* fill_value = nullptr) {
    const ResultEntry& entry = take(name, EntryKind::variable, dtype_of<T>());
    const h5::Handle dataset =
        h5::write_dataset(group_, name, h5::native_type<T>(), shape_of(entry, values.size()),
                          values.data(), {.compress = true, .fill_value = fill_value});
    finish_variable(entry, dataset.get());
    if (fill_value != nullptr) h5::write_attribute(dataset.get(), "_FillValue", *fill_value);
  }

  /// Writes a 1-d numeric variable that readers should take as a second coordinate of
  /// its dimension: every variable written after it over that dimension names it in its
  /// CF `coordinates` attribute (xarray then attaches it, e.g. a numeric age beside the
  /// age_band labels, which plots need).
  template <class T>
  void auxiliary_coordinate(const std::string& name, const std::vector<T>& values) {
    variable(name, values);
    auxiliary_coordinates_.emplace(declared_entry(declared_as_, name).dims.at(0), name);
  }

  /// Writes a string variable: scalar when declared without dimensions, else 1-d.
  void strings(const std::string& name, const std::vector<std::string>& values);

  /// Creates a 1-d column of `rows` values of file type `type` as declared (a coordinate
  /// becomes the dimension scale of its own name), to be filled with h5::write_rows; the
  /// group keeps it open. Tables too long for memory (event histories) are written so.
  hid_t column(const std::string& name, DType dtype, hid_t type, hsize_t rows);

  /// Throws std::logic_error naming any always-present declared entry not written.
  void check_complete() const;

 private:
  const ResultEntry& take(const std::string& name, EntryKind kind, DType dtype);
  std::vector<hsize_t> shape_of(const ResultEntry& entry, std::size_t value_count) const;
  void add_scale(const ResultEntry& entry, h5::Handle dataset);
  void finish_variable(const ResultEntry& entry, hid_t dataset) const;

  /// The units of `entry` as written: kCurrencyUnit replaced by the currency.
  std::string units_of(const ResultEntry& entry) const;
  void set_text_attributes(hid_t object, const ResultEntry& entry) const;

  hid_t group_;
  std::string declared_as_;
  std::string currency_;
  std::map<std::string, h5::Handle> scales_;
  std::map<std::string, h5::Handle> columns_;  ///< open columns that are not scales
  std::set<std::string> written_;
  /// dimension -> auxiliary coordinate over it (auxiliary_coordinate)
  std::multimap<std::string, std::string> auxiliary_coordinates_;
};

}  // namespace osteosim::output
