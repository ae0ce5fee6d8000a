// Unit tests of the path checks that guard hostile inputs and outputs (issue 19): only
// regular files are read, and never blocking on a FIFO; an output that is an input is
// refused; an output the filesystem refuses is found by creating it up front.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.hpp"
#include "common/input_file.hpp"
#include "output/output_path.hpp"

namespace osteosim {
namespace {

namespace fs = std::filesystem;

class InputPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           (std::string("osteosim_paths_") + info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string file(const std::string& name, const std::string& text) const {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  std::string fifo(const std::string& name) const {
    const fs::path path = dir_ / name;
    EXPECT_EQ(::mkfifo(path.c_str(), 0600), 0);
    return path.string();
  }

  fs::path dir_;
};

#define EXPECT_CONTAINS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

TEST_F(InputPathsTest, ReadsARegularFileWithinItsLimit) {
  std::string problem;
  const auto text = read_regular_file(file("a.yaml", "abc"), 3, problem);
  ASSERT_TRUE(text) << problem;
  EXPECT_EQ(*text, "abc");
  EXPECT_FALSE(read_regular_file(file("b.yaml", "abcd"), 3, problem));
  EXPECT_EQ(problem, "file is larger than 3 bytes");
}

TEST_F(InputPathsTest, RefusesWhatIsNotARegularFileWithoutBlocking) {
  std::string problem;
  // A FIFO without a writer: open() would wait for ever without O_NONBLOCK.
  EXPECT_FALSE(read_regular_file(fifo("f.csv"), 100, problem));
  EXPECT_EQ(problem, "is not a regular file (a FIFO); osteosim reads only regular files");
  EXPECT_FALSE(read_regular_file("/dev/zero", 100, problem));
  EXPECT_CONTAINS(problem, "(a character device)");
  EXPECT_FALSE(read_regular_file(dir_.string(), 100, problem));
  EXPECT_EQ(problem, "is a directory, not a regular file");
  EXPECT_FALSE(read_regular_file((dir_ / "none.csv").string(), 100, problem));
  EXPECT_EQ(problem, "file not found");
}

TEST_F(InputPathsTest, SpecialResultFilesAreRefusedOthersLeftToTheReader) {
  const std::string f = fifo("r.h5");
  try {
    refuse_special_file(f, "result file");
    ADD_FAILURE() << "a FIFO passed";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "result file '" + f +
                                         "' is not a regular file (a FIFO); osteosim reads "
                                         "only regular files");
  }
  EXPECT_NO_THROW(refuse_special_file(file("ok.h5", "x"), "result file"));
  EXPECT_NO_THROW(refuse_special_file((dir_ / "missing.h5").string(), "result file"));
}

TEST_F(InputPathsTest, AnOutputThatIsAnInputIsRefused) {
  const std::string scenario = file("s.yaml", "schema_version: 1\n");
  const auto refused = [&](const std::string& output) {
    try {
      output::check_not_an_input({{output, "result file"}}, {scenario});
    } catch (const InputError& e) {
      EXPECT_CONTAINS(std::string(e.what()), "is the input file '" + scenario + "'");
      return true;
    }
    return false;
  };
  EXPECT_TRUE(refused(scenario));
  EXPECT_TRUE(refused((dir_ / "sub/../s.yaml").string()));  // same path, not normalised
  fs::create_symlink(scenario, dir_ / "link.h5");
  EXPECT_TRUE(refused((dir_ / "link.h5").string()));  // same file through a link
  fs::create_hard_link(scenario, dir_ / "hard.h5");
  EXPECT_TRUE(refused((dir_ / "hard.h5").string()));  // same file, other name
  EXPECT_FALSE(refused((dir_ / "out.h5").string()));
}

TEST_F(InputPathsTest, TryCreateFindsRefusedNamesAndLeavesNothing) {
  const std::string good = (dir_ / "out.h5").string();
  const std::string existing = file("old.h5", "kept");
  EXPECT_NO_THROW(output::try_create({{good, "result file"}, {existing, "result file"}}));
  EXPECT_FALSE(fs::exists(good));
  EXPECT_EQ(fs::file_size(existing), 4u);  // an existing file is neither removed nor emptied
  const std::string too_long = (dir_ / (std::string(300, 'x') + ".h5")).string();
  try {
    output::try_create({{good, "result file"}, {too_long, "checkpoint"}});
    ADD_FAILURE() << "a 300-byte name passed";
  } catch (const InputError& e) {
    EXPECT_CONTAINS(std::string(e.what()), "cannot create the checkpoint '" + too_long + "': ");
  }
  EXPECT_FALSE(fs::exists(good));
}

}  // namespace
}  // namespace osteosim
