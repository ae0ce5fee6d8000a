#pragma once
/// TEST ONLY: the shipped site table plus a fourth fracture process, "humerus" (a clinical
/// site with a one-off aftermath like the wrist). The osteosim_four_sites build
/// (tests/CMakeLists.txt) compiles every source of osteosim with this table
/// (-DOSTEOSIM_SITE_TABLE) to show that a site is one registry entry plus model data;
/// tests/cli/four_sites.sh runs it end to end on a model with placeholder humerus numbers.
#include "model/site_table.hpp"

#undef OSTEOSIM_PROCESSES
#undef OSTEOSIM_SITES
#define OSTEOSIM_PROCESSES(X) OSTEOSIM_SHIPPED_PROCESSES(X) X(humerus, true, all_fractures)
#define OSTEOSIM_SITES(X)   \
  OSTEOSIM_SHIPPED_SITES(X) \
  X(humerus, humerus, clinical, "humerus", "humerus_first_year", one_off, true, "humerus")
