#include "output/microdata_spool.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.hpp"

namespace osteosim::output {

namespace {

std::FILE* open_for_writing(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    throw IoError("cannot create temporary file '" + path + "': " + std::strerror(errno));
  }
  return file;
}

template <class Row>
void write_all(std::FILE* file, const std::vector<Row>& rows, const std::string& path) {
  if (rows.empty()) return;
  if (std::fwrite(rows.data(), sizeof(Row), rows.size(), file) != rows.size()) {
    throw IoError("cannot write temporary file '" + path + "': " + std::strerror(errno));
  }
}

void close_all(std::vector<std::FILE*>& files, const std::string& what) {
  bool failed = false;
  for (std::FILE*& file : files) {
    if (file != nullptr && std::fclose(file) != 0) failed = true;
    file = nullptr;
  }
  if (failed) throw IoError("cannot finish temporary file " + what + ": " + std::strerror(errno));
}

}  // namespace

std::string MicrodataSpool::events_path(const std::string& base, std::size_t strategy) {
  return base + ".events." + std::to_string(strategy);
}

std::string MicrodataSpool::baseline_path(const std::string& base, std::size_t strategy) {
  return base + ".baseline." + std::to_string(strategy);
}

MicrodataSpool::MicrodataSpool(std::string base, std::size_t strategies)
    : base_(std::move(base)), events_(strategies, nullptr), baseline_(strategies, nullptr) {
  try {
    for (std::size_t s = 0; s < strategies; ++s) {
      events_[s] = open_for_writing(events_path(base_, s));
      baseline_[s] = open_for_writing(baseline_path(base_, s));
    }
  } catch (...) {
    remove_files();  // the destructor does not run for a throwing constructor
    throw;
  }
}

MicrodataSpool::~MicrodataSpool() { remove_files(); }

void MicrodataSpool::remove_files() noexcept {
  for (std::size_t s = 0; s < events_.size(); ++s) {
    if (events_[s] != nullptr) std::fclose(events_[s]);
    if (baseline_[s] != nullptr) std::fclose(baseline_[s]);
    events_[s] = baseline_[s] = nullptr;
    std::error_code ignored;
    std::filesystem::remove(events_path(base_, s), ignored);
    std::filesystem::remove(baseline_path(base_, s), ignored);
  }
}

void MicrodataSpool::append(const std::vector<engine::Microdata>& per_strategy) {
  for (std::size_t s = 0; s < per_strategy.size() && s < events_.size(); ++s) {
    write_all(events_[s], per_strategy[s].events, events_path(base_, s));
    write_all(baseline_[s], per_strategy[s].baseline, baseline_path(base_, s));
  }
}

void MicrodataSpool::finish() {
  close_all(events_, "'" + base_ + ".events.*'");
  close_all(baseline_, "'" + base_ + ".baseline.*'");
}

}  // namespace osteosim::output
