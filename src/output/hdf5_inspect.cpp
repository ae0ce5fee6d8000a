#include "output/hdf5_inspect.hpp"

#include <hdf5_hl.h>

#include <charconv>

#include "common/error.hpp"

namespace osteosim::output::h5 {

namespace {

std::string type_name_of(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_STRING: return "string";
    case H5T_FLOAT: return "float" + std::to_string(8 * H5Tget_size(type));
    case H5T_INTEGER:
      return std::string(H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") +
             std::to_string(8 * H5Tget_size(type));
    default: return "other";
  }
}

template <class T>
std::string shortest(T value) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

}  // namespace

std::vector<std::string> attribute_names(hid_t object) {
  struct Visit {
    static herr_t add(hid_t, const char* name, const H5A_info_t*, void* data) {
      static_cast<std::vector<std::string>*>(data)->push_back(name);
      return 0;
    }
  };
  std::vector<std::string> names;
  hsize_t index = 0;
  // Creation order is tracked in our files; others may only have name order.
  if (H5Aiterate2(object, H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, Visit::add, &names) < 0) {
    H5Eclear2(H5E_DEFAULT);
    names.clear();
    index = 0;
    check(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, Visit::add, &names),
          "cannot list attributes");
  }
  return names;
}

std::string attribute_text(hid_t object, const std::string& name) {
  const Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose,
                         "cannot open attribute '" + name + "'");
  const Handle type(H5Aget_type(attribute.get()), H5Tclose, "type of attribute '" + name + "'");
  switch (H5Tget_class(type.get())) {
    case H5T_STRING: return read_string_attribute(object, name);
    case H5T_FLOAT: return shortest(read_attribute<double>(object, name));
    case H5T_INTEGER: return shortest(read_attribute<std::int64_t>(object, name));
    default: return "other type: " + type_name_of(type.get());
  }
}

std::vector<std::string> dimension_names(hid_t dataset) {
  std::vector<std::string> names;
  const std::size_t rank = dataset_dims(dataset).size();
  for (std::size_t axis = 0; axis < rank; ++axis) {
    struct Visit {
      static herr_t name_of(hid_t, unsigned, hid_t scale, void* data) {
        char buffer[256] = "";
        if (H5DSget_scale_name(scale, buffer, sizeof buffer) < 0) return -1;
        *static_cast<std::string*>(data) = buffer;
        return 1;  // the first attached scale names the axis
      }
    };
    std::string name;
    int index = 0;
    if (H5DSget_num_scales(dataset, static_cast<unsigned>(axis)) > 0) {
      check(H5DSiterate_scales(dataset, static_cast<unsigned>(axis), &index, Visit::name_of, &name),
            "cannot read dimension scales");
    }
    names.push_back(name);
  }
  return names;
}

bool is_dimension_scale(hid_t dataset) { return H5DSis_scale(dataset) > 0; }

std::string type_name(hid_t dataset) {
  const Handle type(H5Dget_type(dataset), H5Tclose, "dataset type");
  return type_name_of(type.get());
}

}  // namespace osteosim::output::h5
