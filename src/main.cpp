// osteosim: agent-based Monte Carlo simulation of osteoporotic fractures.
// Everything lives in the library; this only connects it to the process.
#include <unistd.h>

#include <csignal>
#include <iostream>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  // Past a file-size limit (ulimit -f) write() then fails with EFBIG, which the writers
  // report and recover from (the checkpoint is kept); SIGXFSZ's default would kill the
  // process at once, leaving temporary files and losing the finished work.
  std::signal(SIGXFSZ, SIG_IGN);
  return osteosim::cli::main(argc, argv, std::cout, std::cerr, isatty(STDERR_FILENO) != 0);
}
