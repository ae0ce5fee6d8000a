#include "output/microdata_writer.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "common/error.hpp"
#include "engine/microdata.hpp"
#include "model/parameters.hpp"
#include "output/declared_group.hpp"
#include "output/hdf5_file.hpp"
#include "output/microdata_spool.hpp"

namespace osteosim::output {

namespace {

/// Rows copied per chunk (the columns' chunk size too).
constexpr std::size_t kChunkRows = 65536;
/// Width of the label columns: the longest label ("death_after_fracture") fits.
constexpr std::size_t kLabelBytes = 24;

/// Reads the raw rows of `path` a chunk at a time and hands each chunk and its first row
/// index to `write`.
template <class Row, class Write>
void for_each_chunk(const std::string& path, std::uint64_t rows, Write write) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) throw IoError("cannot read temporary file '" + path + "': " + std::strerror(errno));
  std::vector<Row> chunk;
  for (std::uint64_t offset = 0; offset < rows; offset += chunk.size()) {
    chunk.resize(std::min<std::uint64_t>(kChunkRows, rows - offset));
    if (std::fread(chunk.data(), sizeof(Row), chunk.size(), file.get()) != chunk.size()) {
      throw IoError("temporary file '" + path + "' is shorter than expected");
    }
    write(std::span<const Row>(chunk), static_cast<hsize_t>(offset));
  }
}

template <class Row>
std::uint64_t row_count(const std::string& path) {
  return std::filesystem::file_size(path) / sizeof(Row);
}

/// Fixed-width labels of a chunk (null-padded, as the column's type).
template <class Row, class Label>
std::vector<char> labels(std::span<const Row> rows, Label label_of) {
  std::vector<char> out(rows.size() * kLabelBytes, '\0');
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string_view label = label_of(rows[i]);
    // An empty label (no site) may have no storage at all: memcpy from null is undefined.
    if (label.empty()) continue;
    std::memcpy(&out[i * kLabelBytes], label.data(), std::min(label.size(), kLabelBytes));
  }
  return out;
}

/// One numeric column of a chunk.
template <class Row, class Field>
auto numbers(std::span<const Row> rows, Field field) {
  std::vector<decltype(field(rows.front()))> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(field(row));
  return out;
}

template <class T>
void write_numbers(hid_t column, hsize_t offset, const std::vector<T>& values) {
  h5::write_rows(column, h5::native_type<T>(), offset, values.size(), values.data());
}

void write_events(hid_t strategy_group, const std::string& path) {
  using engine::EventRow;
  const std::uint64_t rows = row_count<EventRow>(path);
  const h5::Handle handle = h5::create_group(strategy_group, "events");
  DeclaredGroup group(handle.get(), std::string(kEventsGroupPattern));
  const h5::Handle label = h5::fixed_string_type(kLabelBytes);
  using enum DType;
  const hid_t row = group.column("row", int64, H5T_STD_I64LE, rows);
  const hid_t agent = group.column("agent", int64, H5T_STD_I64LE, rows);
  const hid_t time = group.column("time_years", float64, H5T_IEEE_F64LE, rows);
  const hid_t age = group.column("age_years", float64, H5T_IEEE_F64LE, rows);
  const hid_t event = group.column("event", string, label.get(), rows);
  const hid_t site = group.column("site", string, label.get(), rows);
  const hid_t value = group.column("value", float64, H5T_IEEE_F64LE, rows);
  for_each_chunk<EventRow>(path, rows, [&](std::span<const EventRow> chunk, hsize_t offset) {
    std::vector<std::int64_t> index(chunk.size());
    for (std::size_t i = 0; i < index.size(); ++i) index[i] = static_cast<std::int64_t>(offset + i);
    write_numbers(row, offset, index);
    write_numbers(agent, offset, numbers(chunk, [](const EventRow& r) { return r.agent; }));
    write_numbers(time, offset, numbers(chunk, [](const EventRow& r) { return r.time_years; }));
    write_numbers(age, offset, numbers(chunk, [](const EventRow& r) { return r.age_years; }));
    write_numbers(value, offset, numbers(chunk, [](const EventRow& r) { return r.value; }));
    h5::write_rows(event, label.get(), offset, chunk.size(),
                   labels(chunk, [](const EventRow& r) {
                     return engine::kEventKindNames[static_cast<std::size_t>(r.event)];
                   }).data());
    h5::write_rows(site, label.get(), offset, chunk.size(),
                   labels(chunk, [](const EventRow& r) {
                     return r.site == engine::kNoSite
                                ? std::string_view()
                                : model::kSiteNames[static_cast<std::size_t>(r.site)];
                   }).data());
  });
  group.check_complete();
}

void write_baseline(hid_t strategy_group, const std::string& path) {
  using engine::BaselineRow;
  const std::uint64_t rows = row_count<BaselineRow>(path);
  const h5::Handle handle = h5::create_group(strategy_group, "baseline");
  DeclaredGroup group(handle.get(), std::string(kBaselineGroupPattern));
  const h5::Handle label = h5::fixed_string_type(kLabelBytes);
  using enum DType;
  const hid_t agent = group.column("agent", int64, H5T_STD_I64LE, rows);
  const hid_t entry = group.column("entry_time_years", float64, H5T_IEEE_F64LE, rows);
  const hid_t sex = group.column("sex", string, label.get(), rows);
  const hid_t age = group.column("age_years", float64, H5T_IEEE_F64LE, rows);
  const hid_t bmd = group.column("bmd_g_cm2", float64, H5T_IEEE_F64LE, rows);
  const hid_t t_score = group.column("t_score", float64, H5T_IEEE_F64LE, rows);
  const hid_t weight = group.column("weight_kg", float64, H5T_IEEE_F64LE, rows);
  std::vector<hid_t> factors;
  for (std::string_view name : model::kRiskFactorNames) {
    factors.push_back(group.column(std::string(name), int32, H5T_STD_I32LE, rows));
  }
  for_each_chunk<BaselineRow>(path, rows, [&](std::span<const BaselineRow> chunk,
                                              hsize_t offset) {
    write_numbers(agent, offset, numbers(chunk, [](const BaselineRow& r) { return r.agent; }));
    write_numbers(entry, offset,
                  numbers(chunk, [](const BaselineRow& r) { return r.entry_time_years; }));
    write_numbers(age, offset, numbers(chunk, [](const BaselineRow& r) { return r.age_years; }));
    write_numbers(bmd, offset, numbers(chunk, [](const BaselineRow& r) { return r.bmd_g_cm2; }));
    write_numbers(t_score, offset, numbers(chunk, [](const BaselineRow& r) { return r.t_score; }));
    write_numbers(weight, offset, numbers(chunk, [](const BaselineRow& r) { return r.weight_kg; }));
    h5::write_rows(sex, label.get(), offset, chunk.size(),
                   labels(chunk, [](const BaselineRow& r) {
                     return model::kSexNames[r.sex];
                   }).data());
    for (std::size_t k = 0; k < factors.size(); ++k) {
      write_numbers(factors[k], offset, numbers(chunk, [k](const BaselineRow& r) {
                      return static_cast<std::int32_t>((r.risk_factors >> k) & 1u);
                    }));
    }
  });
  group.check_complete();
}

}  // namespace

void write_microdata(hid_t strategy_group, const std::string& spool_base, std::size_t strategy) {
  write_events(strategy_group, MicrodataSpool::events_path(spool_base, strategy));
  write_baseline(strategy_group, MicrodataSpool::baseline_path(spool_base, strategy));
}

}  // namespace osteosim::output
