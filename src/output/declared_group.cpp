#include "output/declared_group.hpp"

#include <hdf5_hl.h>

namespace osteosim::output {

std::string DeclaredGroup::units_of(const ResultEntry& entry) const {
  std::string units = entry.units;
  const auto at = units.find(kCurrencyUnit);
  if (at == std::string::npos) return units;
  if (currency_.empty()) {
    throw std::logic_error("result file: '" + entry.name + "' of " + declared_as_ +
                           " is in a currency, but the group was given none");
  }
  return units.replace(at, kCurrencyUnit.size(), currency_);
}

void DeclaredGroup::set_text_attributes(hid_t object, const ResultEntry& entry) const {
  const std::string units = units_of(entry);
  if (!units.empty()) h5::write_attribute(object, "units", std::string_view(units));
  h5::write_attribute(object, "long_name", std::string_view(entry.long_name));
  if (!entry.description.empty()) {
    h5::write_attribute(object, "description", std::string_view(entry.description));
  }
}

DeclaredGroup::DeclaredGroup(hid_t group, std::string declared_as, std::string currency)
    : group_(group), declared_as_(std::move(declared_as)), currency_(std::move(currency)) {}

const ResultEntry& DeclaredGroup::take(const std::string& name, EntryKind kind, DType dtype) {
  const ResultEntry& entry = declared_entry(declared_as_, name);
  if (entry.kind != kind || entry.dtype != dtype) {
    throw std::logic_error("result file: '" + name + "' is declared as " +
                           std::string(to_string(entry.dtype)) + " " +
                           std::string(to_string(entry.kind)) + " but written as " +
                           std::string(to_string(dtype)) + " " + std::string(to_string(kind)));
  }
  if (!written_.insert(name).second) {
    throw std::logic_error("result file: '" + name + "' written twice in " + declared_as_);
  }
  return entry;
}

std::vector<hsize_t> DeclaredGroup::shape_of(const ResultEntry& entry,
                                             std::size_t value_count) const {
  std::vector<hsize_t> shape;
  hsize_t count = 1;
  for (const std::string& dim : entry.dims) {
    const auto scale = scales_.find(dim);
    if (scale == scales_.end()) {
      throw std::logic_error("result file: coordinate '" + dim + "' must be written before '" +
                             entry.name + "'");
    }
    shape.push_back(h5::dataset_dims(scale->second.get()).at(0));
    count *= shape.back();
  }
  if (count != value_count) {
    throw std::logic_error("result file: '" + entry.name + "' has " + std::to_string(value_count) +
                           " values, its dimensions hold " + std::to_string(count));
  }
  return shape;
}

void DeclaredGroup::add_scale(const ResultEntry& entry, h5::Handle dataset) {
  h5::check(H5DSset_scale(dataset.get(), entry.name.c_str()),
            "cannot make '" + entry.name + "' a dimension scale");
  set_text_attributes(dataset.get(), entry);
  scales_[entry.name] = std::move(dataset);
}

void DeclaredGroup::finish_variable(const ResultEntry& entry, hid_t dataset) const {
  for (std::size_t axis = 0; axis < entry.dims.size(); ++axis) {
    h5::check(
        H5DSattach_scale(dataset, scales_.at(entry.dims[axis]).get(), static_cast<unsigned>(axis)),
        "cannot attach dimension '" + entry.dims[axis] + "' to '" + entry.name + "'");
  }
  set_text_attributes(dataset, entry);
  std::string coordinates;
  for (const std::string& dim : entry.dims) {
    const auto [first, last] = auxiliary_coordinates_.equal_range(dim);
    for (auto it = first; it != last; ++it) {
      if (it->second != entry.name) coordinates += (coordinates.empty() ? "" : " ") + it->second;
    }
  }
  if (!coordinates.empty()) {
    h5::write_attribute(dataset, "coordinates", std::string_view(coordinates));
  }
}

void DeclaredGroup::strings(const std::string& name, const std::vector<std::string>& values) {
  const ResultEntry& entry = take(name, EntryKind::variable, DType::string);
  const bool scalar = entry.dims.empty();
  if (scalar && values.size() != 1) {
    throw std::logic_error("result file: scalar '" + name + "' given " +
                           std::to_string(values.size()) + " values");
  }
  if (!scalar) shape_of(entry, values.size());
  const h5::Handle dataset = h5::write_string_dataset(group_, name, values, scalar);
  finish_variable(entry, dataset.get());
}

hid_t DeclaredGroup::column(const std::string& name, DType dtype, hid_t type, hsize_t rows) {
  const ResultEntry& entry = declared_entry(declared_as_, name);
  const ResultEntry& taken = take(name, entry.kind, dtype);
  if (taken.dims.size() != 1) {
    throw std::logic_error("result file: column '" + name + "' is not declared 1-d");
  }
  h5::Handle dataset = h5::create_column(group_, name, type, rows);
  // xarray decodes fixed-length byte strings to str when told their encoding.
  if (dtype == DType::string) {
    h5::write_attribute(dataset.get(), "_Encoding", std::string_view("utf-8"));
  }
  const hid_t id = dataset.get();
  if (taken.kind == EntryKind::coordinate) {
    add_scale(taken, std::move(dataset));
  } else {
    shape_of(taken, rows);
    finish_variable(taken, id);
    columns_[name] = std::move(dataset);
  }
  return id;
}

void DeclaredGroup::check_complete() const {
  for (const ResultEntry& entry : result_entries()) {
    if (entry.group == declared_as_ && entry.present_when.empty() &&
        !written_.contains(entry.name)) {
      throw std::logic_error("result file: declared entry '" + entry.name + "' of " + declared_as_ +
                             " was not written");
    }
  }
}

}  // namespace osteosim::output
