// Resource failures end cleanly (issue 19): memory running out inside the engine's OpenMP
// region is an error naming what ran out (not std::terminate, exit 134), and finished work
// that cannot be saved next to the result goes to $TMPDIR, said in the message.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <new>
#include <sstream>

#include "cli/run_checkpoint.hpp"
#include "common/error.hpp"
#include "engine/simulation.hpp"
#include "model_fixture.hpp"
#include "output/stale_files.hpp"

namespace osteosim {
namespace {

namespace fs = std::filesystem;

engine::RunOptions two_threads() {
  engine::RunOptions o;
  o.threads = 2;
  o.block_size = 512;
  return o;
}

TEST(ResourceFailures, MemoryRunningOutInABlockIsAnErrorNamingTheBlockNotAnAbort) {
  auto o = two_threads();
  o.on_block_done = [](std::int64_t b, const std::vector<engine::Tallies>&) {
    if (b >= 2) throw std::bad_alloc();
  };
  try {
    engine::simulate(testing::simple_scenario(5000, 5, 12), o);
    FAIL() << "no exception";
  } catch (const OutOfMemory& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("out of memory while simulating block"), std::string::npos) << message;
    EXPECT_NE(message.find("512 agents x 1 strategies"), std::string::npos) << message;
    EXPECT_NE(message.find("--threads"), std::string::npos) << message;
  }
}

TEST(ResourceFailures, TheFirstFailureOfAnyThreadIsRethrownAfterTheRegion) {
  auto o = two_threads();
  std::atomic<int> calls{0};
  o.on_block_done = [&](std::int64_t, const std::vector<engine::Tallies>&) {
    throw IoError("failure " + std::to_string(++calls));
  };
  try {
    engine::simulate(testing::simple_scenario(5000, 5, 12), o);
    FAIL() << "no exception";
  } catch (const IoError& e) {
    EXPECT_STREQ(e.what(), "failure 1");  // the first kept; hooks are called under a lock
  }
}

/// A run of 5000 agents with blocks 0 and 1 finished, its checkpoint meant for `output`.
struct FinishedWork {
  explicit FinishedWork(const std::string& output)
      : scenario(testing::simple_scenario(5000, 5, 12)),
        options(two_threads()),
        checkpoint(scenario, options, output, false, true, 1e9) {
    checkpoint.attach(options);
    const std::vector<engine::Tallies> tallies(1, engine::Tallies(scenario.years));
    options.on_block_done(0, tallies);
    options.on_block_done(1, tallies);
  }
  config::Scenario scenario;
  engine::RunOptions options;
  cli::RunCheckpoint checkpoint;
};

/// Sets TMPDIR for the test's lifetime.
class TemporaryDirectoryIs {
 public:
  explicit TemporaryDirectoryIs(const std::string& directory) {
    if (const char* old = std::getenv("TMPDIR")) old_ = old;
    ::setenv("TMPDIR", directory.c_str(), 1);
  }
  ~TemporaryDirectoryIs() {
    if (old_.empty())
      ::unsetenv("TMPDIR");
    else
      ::setenv("TMPDIR", old_.c_str(), 1);
  }

 private:
  std::string old_;
};

fs::path scratch(const std::string& name) {
  const fs::path path =
      fs::temp_directory_path() / ("osteosim-resource-" + std::to_string(::getpid()) + "-" + name);
  fs::create_directories(path);
  return path;
}

TEST(ResourceFailures, ACheckpointThatCannotBeSavedNextToTheResultGoesToTmpdir) {
  const fs::path tmpdir = scratch("tmpdir");
  const TemporaryDirectoryIs redirected(tmpdir.string());
  // The result's directory vanished (or is full): the checkpoint cannot be written there.
  FinishedWork work((scratch("gone") / "missing" / "out.h5").string());
  std::ostringstream err;
  cli::keep_finished_work(work.checkpoint, err);
  const fs::path elsewhere = tmpdir / ("out.h5.checkpoint-" + std::to_string(::getpid()));
  EXPECT_TRUE(fs::exists(elsewhere)) << err.str();
  EXPECT_NE(err.str().find("2 of 10 blocks are saved in " + elsewhere.string() + " instead"),
            std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("move it to"), std::string::npos) << err.str();
  fs::remove_all(tmpdir);
}

TEST(ResourceFailures, WhenNoCheckpointCanBeSavedTheMessageSaysTheWorkIsLost) {
  FinishedWork work((scratch("gone2") / "missing" / "out.h5").string());
  const TemporaryDirectoryIs redirected("/nonexistent-osteosim-tmpdir");
  std::ostringstream err;
  cli::keep_finished_work(work.checkpoint, err);
  EXPECT_NE(err.str().find("the finished work is lost"), std::string::npos) << err.str();
}

TEST(ResourceFailures, FilesOfKilledRunsAreRemovedThoseOfRunningOnesKept) {
  const fs::path dir = scratch("stale");
  const std::string out = (dir / "out.h5").string();
  // A child that has exited and been reaped: its PID runs no process (reuse within this
  // test is as unlikely as it is harmless: the file would merely stay).
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  int status = 0;
  ::waitpid(dead, &status, 0);
  const std::string d = std::to_string(dead), alive = std::to_string(::getpid());
  const std::vector<std::string> stale = {out + ".tmp-" + d, out + ".checkpoint.tmp-" + d,
                                          out + ".microdata-" + d + ".events.0"};
  const std::vector<std::string> kept = {out + ".tmp-" + alive, out + ".tmp-x" + d,
                                         out + ".checkpoint", out + ".tmp-" + d + "x"};
  for (const auto& path : stale) std::ofstream(path) << "left by kill -9";
  for (const auto& path : kept) std::ofstream(path) << "not ours to remove";
  const auto removed = output::remove_stale_run_files(out, out + ".checkpoint", true);
  EXPECT_EQ(removed.size(), stale.size());
  for (const auto& path : stale) EXPECT_FALSE(fs::exists(path)) << path;
  for (const auto& path : kept) EXPECT_TRUE(fs::exists(path)) << path;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace osteosim
