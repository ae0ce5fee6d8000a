#include "output/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "common/error.hpp"
#include "common/input_file.hpp"
#include "output/output_path.hpp"
#include "output/sha256.hpp"

namespace osteosim::output {

namespace {

constexpr std::string_view kMagic = "osteosim-checkpoint\n";
constexpr std::uint32_t kVersion = 2;     // 2: finished PSA draws and one-way runs
constexpr std::size_t kDigestChars = 64;  // hex SHA-256 at the end of the file

template <class T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

/// Reads the body of a checkpoint; any inconsistency is a damaged file.
class Reader {
 public:
  Reader(std::string_view data, std::string path) : data_(data), path_(std::move(path)) {}

  template <class T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof value).data(), sizeof value);
    return value;
  }
  std::string_view take(std::size_t n) {
    if (n > data_.size() - pos_) damaged("it ends early");
    const std::string_view part = data_.substr(pos_, n);
    pos_ += n;
    return part;
  }
  bool at_end() const { return pos_ == data_.size(); }
  [[noreturn]] void damaged(const std::string& why) const {
    throw InputError("checkpoint '" + path_ + "' is damaged (" + why +
                     "); delete it and start the run again");
  }

 private:
  std::string_view data_;
  std::string path_;
  std::size_t pos_ = 0;
};

void write_all(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw IoError("cannot create '" + path + "': " + std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : ENOSPC;
      ::close(fd);
      throw IoError("cannot write checkpoint '" + path + "': " + std::strerror(error));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    throw IoError("cannot write checkpoint '" + path + "': " + std::strerror(errno));
  }
}

}  // namespace

std::string checkpoint_path_for(const std::string& result_path) {
  return result_path + ".checkpoint";
}

Checkpoint::Checkpoint(std::string path, std::string fingerprint, std::int64_t blocks,
                       std::size_t strategies, int years)
    : path_(std::move(path)),
      fingerprint_(std::move(fingerprint)),
      done_(static_cast<std::size_t>(blocks), 0),
      totals_(strategies, engine::Tallies(years)) {}

void Checkpoint::add(std::int64_t block, const std::vector<engine::Tallies>& block_tallies) {
  auto& flag = done_.at(static_cast<std::size_t>(block));
  if (flag != 0) throw std::logic_error("Checkpoint::add: block added twice");
  if (block_tallies.size() != totals_.size()) {
    throw std::logic_error("Checkpoint::add: wrong number of strategies");
  }
  for (std::size_t s = 0; s < totals_.size(); ++s) totals_[s].merge(block_tallies[s]);
  flag = 1;
  ++blocks_done_;
}

void Checkpoint::add_run(AnalysisPhase phase, std::int64_t index, std::vector<double> outcome) {
  if (!runs_.try_emplace({phase, index}, std::move(outcome)).second)
    throw std::logic_error("Checkpoint::add_run: run added twice");
}

const std::vector<double>* Checkpoint::run(AnalysisPhase phase, std::int64_t index) const {
  const auto found = runs_.find({phase, index});
  return found == runs_.end() ? nullptr : &found->second;
}

std::int64_t Checkpoint::runs_done(AnalysisPhase phase) const {
  std::int64_t n = 0;
  for (const auto& [key, outcome] : runs_) n += key.first == phase ? 1 : 0;
  return n;
}

std::string Checkpoint::serialize() const {
  std::string out(kMagic);
  put(out, kVersion);
  put(out, static_cast<std::uint64_t>(fingerprint_.size()));
  out += fingerprint_;
  put(out, static_cast<std::int64_t>(done_.size()));
  put(out, static_cast<std::uint64_t>(totals_.size()));
  put(out, static_cast<std::int32_t>(totals_.empty() ? 0 : totals_.front().years));
  out.append(reinterpret_cast<const char*>(done_.data()), done_.size());
  for (const auto& tallies : totals_) {
    for (const auto* column : tallies.columns()) {
      put(out, static_cast<std::uint64_t>(column->size()));
      out.append(reinterpret_cast<const char*>(column->data()),
                 column->size() * sizeof(std::int64_t));
    }
  }
  put(out, static_cast<std::uint64_t>(runs_.size()));
  for (const auto& [key, outcome] : runs_) {
    put(out, key.first);
    put(out, key.second);
    put(out, static_cast<std::uint64_t>(outcome.size()));
    out.append(reinterpret_cast<const char*>(outcome.data()), outcome.size() * sizeof(double));
  }
  out += sha256_hex(out);  // detects a truncated or altered file on load
  return out;
}

void Checkpoint::save_as(const std::string& path) const {
  TemporaryOutput file(path);
  write_all(file.path(), serialize());
  file.commit();
}

void Checkpoint::remove() const {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

Checkpoint Checkpoint::load(const std::string& path, const std::string& fingerprint,
                            std::int64_t blocks, std::size_t strategies, int years) {
  // A FIFO named like the checkpoint would block the run; only a regular file is read.
  std::string problem;
  const auto read = read_regular_file(path, std::numeric_limits<std::size_t>::max(), problem);
  if (!read) throw InputError("cannot read checkpoint '" + path + "': " + problem);
  const std::string& data = *read;

  Reader whole(data, path);
  if (data.size() < kMagic.size() + kDigestChars || data.compare(0, kMagic.size(), kMagic) != 0) {
    whole.damaged("not an osteosim checkpoint, or cut short");
  }
  const std::string_view body(data.data(), data.size() - kDigestChars);
  if (sha256_hex(body) != data.substr(body.size()))
    whole.damaged("checksum mismatch: truncated or altered");

  Reader r(body, path);
  r.take(kMagic.size());
  if (r.get<std::uint32_t>() != kVersion) whole.damaged("written by another checkpoint format");
  const auto fingerprint_size = r.get<std::uint64_t>();
  const bool same_run = r.take(fingerprint_size) == fingerprint &&
                        r.get<std::int64_t>() == blocks && r.get<std::uint64_t>() == strategies &&
                        r.get<std::int32_t>() == years;
  if (!same_run) {
    throw InputError("checkpoint '" + path +
                     "' belongs to a different run (scenario, model files, seed, agents or "
                     "osteosim build differ); rerun the same command to resume, or use --force "
                     "to start over");
  }
  Checkpoint checkpoint(path, fingerprint, blocks, strategies, years);
  const std::string_view flags = r.take(static_cast<std::size_t>(blocks));
  for (std::size_t b = 0; b < flags.size(); ++b) {
    const auto flag = static_cast<std::uint8_t>(flags[b]);
    if (flag > 1) r.damaged("bad block flag");
    checkpoint.done_[b] = flag;
    checkpoint.blocks_done_ += flag;
  }
  for (auto& tallies : checkpoint.totals_) {
    for (auto* column : tallies.columns()) {
      if (r.get<std::uint64_t>() != column->size()) r.damaged("tally of unexpected size");
      const std::string_view bytes = r.take(column->size() * sizeof(std::int64_t));
      std::memcpy(column->data(), bytes.data(), bytes.size());
    }
  }
  const auto runs = r.get<std::uint64_t>();
  for (std::uint64_t i = 0; i < runs; ++i) {
    const auto phase = r.get<AnalysisPhase>();
    if (phase > AnalysisPhase::psa_pilot) r.damaged("bad run phase");
    const auto index = r.get<std::int64_t>();
    const auto size = r.get<std::uint64_t>();
    if (size > data.size() / sizeof(double)) r.damaged("run of impossible size");
    std::vector<double> outcome(static_cast<std::size_t>(size));
    const std::string_view bytes = r.take(outcome.size() * sizeof(double));
    std::memcpy(outcome.data(), bytes.data(), bytes.size());
    if (index < 0 || !checkpoint.runs_.try_emplace({phase, index}, std::move(outcome)).second)
      r.damaged("bad or repeated run index");
  }
  if (!r.at_end()) r.damaged("trailing bytes");
  return checkpoint;
}

}  // namespace osteosim::output
