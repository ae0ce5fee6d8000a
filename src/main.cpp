// osteosim: agent-based Monte Carlo simulation of osteoporotic fractures.
// Everything lives in the library; this only connects it to the process.
#include <unistd.h>

#include <iostream>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  return osteosim::cli::main(argc, argv, std::cout, std::cerr, isatty(STDERR_FILENO) != 0);
}
