#pragma once
/// Generic read-only views of any HDF5 object, for tools that must handle datasets they
/// were not written for (`osteosim describe FILE`, `osteosim export`).
#include <string>
#include <vector>

#include "output/hdf5_file.hpp"

namespace osteosim::output::h5 {

/// Names of the attributes of `object`, in creation order when tracked.
std::vector<std::string> attribute_names(hid_t object);
/// An attribute's value as text: strings as they are, numbers in shortest round-trip form.
std::string attribute_text(hid_t object, const std::string& name);
/// Per axis, the name of the attached dimension scale ("" where none is attached).
std::vector<std::string> dimension_names(hid_t dataset);
/// True if the dataset is itself a dimension scale (a coordinate).
bool is_dimension_scale(hid_t dataset);
/// "int32", "int64", "float64", "string", ... as osteosim's dictionary spells types.
std::string type_name(hid_t dataset);

}  // namespace osteosim::output::h5
