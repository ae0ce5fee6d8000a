#include "common/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "common/error.hpp"

namespace osteosim {

namespace {

/// What a path that is not a regular file is, for the message.
const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a file";
}

std::string not_regular(mode_t mode) {
  return std::string("is not a regular file (") + kind_of(mode) +
         "); osteosim reads only regular files";
}

/// An open regular file (closed on destruction), or why `path` cannot be read.
class RegularFile {
 public:
  explicit RegularFile(const std::string& path);
  ~RegularFile();
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;

  explicit operator bool() const { return fd_ >= 0; }
  const std::string& problem() const { return problem_; }
  /// Reads up to `count` bytes into `buffer`; returns how many (0 at the end), -1 on error.
  long read(char* buffer, std::size_t count);

 private:
  int fd_ = -1;
  std::string problem_;
};

RegularFile::RegularFile(const std::string& path) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd_ < 0) {
    const int error = errno;
    problem_ = error == ENOENT || error == ENOTDIR
                   ? "file not found"
                   : "cannot be opened for reading (" + std::string(std::strerror(error)) + ")";
    return;
  }
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    problem_ = "cannot be examined (" + std::string(std::strerror(errno)) + ")";
  } else if (S_ISDIR(info.st_mode)) {
    problem_ = "is a directory, not a regular file";
  } else if (!S_ISREG(info.st_mode)) {
    problem_ = not_regular(info.st_mode);
  }
  if (!problem_.empty()) {
    ::close(fd_);
    fd_ = -1;
  }
}

RegularFile::~RegularFile() {
  if (fd_ >= 0) ::close(fd_);
}

long RegularFile::read(char* buffer, std::size_t count) {
  for (;;) {
    const ssize_t got = ::read(fd_, buffer, count);
    if (got >= 0 || errno != EINTR) return static_cast<long>(got);
  }
}

}  // namespace

std::optional<std::string> read_regular_file(const std::string& path, std::size_t max_bytes,
                                             std::string& problem) {
  RegularFile file(path);
  if (!file) {
    problem = file.problem();
    return std::nullopt;
  }
  // Read in chunks up to one byte past the limit: enough to know the file is too big,
  // without a buffer of the limit's size for every small file.
  std::string text;
  std::array<char, 1 << 16> chunk{};
  while (text.size() <= max_bytes) {
    const long got = file.read(chunk.data(), chunk.size());
    if (got < 0) {
      problem = "cannot be read (" + std::string(std::strerror(errno)) + ")";
      return std::nullopt;
    }
    if (got == 0) break;
    text.append(chunk.data(), static_cast<std::size_t>(got));
  }
  if (text.size() > max_bytes) {
    problem = "file is larger than " + std::to_string(max_bytes) + " bytes";
    return std::nullopt;
  }
  return text;
}

void refuse_special_file(const std::string& path, const std::string& what) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode)) {
    throw InputError(what + " '" + path + "' " + not_regular(info.st_mode));
  }
}

}  // namespace osteosim
