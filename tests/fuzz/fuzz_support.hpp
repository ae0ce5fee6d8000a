#pragma once
// What the fuzzers share: seeded choices, whole-file I/O, a child process with a time
// limit, and a watchdog that turns an in-process hang into a failure.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace osteosim::fuzz {

namespace fs = std::filesystem;

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

/// Small deterministic helpers over one seeded engine (the same cases on every machine).
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(engine_() % n); }
  bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

// The time one case may take before the watchdog calls it a hang. tests/CMakeLists.txt
// sets it for the build: several times longer under a sanitizer, whose instrumentation
// (ASan's shadow memory and quarantine) slows a case several-fold on a loaded CI machine.
#ifndef OSTEOSIM_FUZZ_CASE_SECONDS
#define OSTEOSIM_FUZZ_CASE_SECONDS 20
#endif

/// The options every fuzzer takes: how many cases and their seed, the executable run on
/// every binary_every'th case (0: never), and the time one case may take.
struct CaseOptions {
  std::string binary;
  int cases = 2000;
  int binary_every = 0;
  std::uint64_t seed = 1;
  double timeout_seconds = OSTEOSIM_FUZZ_CASE_SECONDS;
};

/// Parses "--key value" pairs into `options`; a key that is not one of CaseOptions' goes
/// to `own(key, value)`, which returns false if it does not know it either.
template <class Own>
void parse_options(int argc, char** argv, CaseOptions& options, Own own) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--binary") {
      options.binary = value;
    } else if (key == "--cases") {
      options.cases = std::stoi(value);
    } else if (key == "--binary-every") {
      options.binary_every = std::stoi(value);
    } else if (key == "--seed") {
      options.seed = std::stoull(value);
    } else if (key == "--timeout") {
      options.timeout_seconds = std::stod(value);
    } else if (!own(key, value)) {
      throw std::invalid_argument("unknown option " + key);
    }
  }
}

/// Runs `args` (args[0] the program) with stdout discarded and stderr captured, killed
/// after `timeout_seconds`; returns the exit code (-1 on timeout, 128 + signal if killed).
/// posix_spawn, not fork: glibc starts the child without copying the fuzzer's page tables,
/// which ASan's shadow memory and quarantine make large: measured 2026-12-02, starting
/// /bin/true from an ASan process that had churned 300 MB took 42 ms with fork+exec and
/// 5.7 ms with posix_spawn (8.4 and 5.6 ms without ASan).
inline int run_process(const std::vector<std::string>& args, double timeout_seconds,
                       const fs::path& stderr_path, std::string& stderr_text) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  if (error != 0) {
    stderr_text = "cannot start " + args.front() + ": " + std::strerror(error);
    return 127;
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stderr_text = read_file(stderr_path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// Aborts the process if one case runs longer than the timeout: a hang is a failure.
class Watchdog {
 public:
  explicit Watchdog(double seconds) : seconds_(seconds), thread_([this] { watch(); }) {}
  ~Watchdog() {
    {
      const std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  void start(const std::string& what) {
    const std::lock_guard lock(mutex_);
    what_ = what;
    started_ = std::chrono::steady_clock::now();
  }

 private:
  void watch() {
    std::unique_lock lock(mutex_);
    while (!done_) {
      wake_.wait_for(lock, std::chrono::milliseconds(200));
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      if (!done_ && elapsed > seconds_) {
        std::cerr << "FAIL (hang > " << seconds_ << " s): " << what_ << std::endl;
        std::_Exit(3);
      }
    }
  }
  double seconds_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::string what_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::thread thread_;
};

}  // namespace osteosim::fuzz
