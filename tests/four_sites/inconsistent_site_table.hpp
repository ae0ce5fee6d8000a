#pragma once
/// TEST ONLY: a site table the registry must reject at compile time (tests/CMakeLists.txt,
/// four_sites.inconsistent_table_rejected): its test process "humerus" has no clinical,
/// calibrated site, and its site has a cost category without an economics key.
#include "model/site_table.hpp"

#undef OSTEOSIM_PROCESSES
#undef OSTEOSIM_SITES
#define OSTEOSIM_PROCESSES(X) OSTEOSIM_SHIPPED_PROCESSES(X) X(humerus, true, all_fractures)
#define OSTEOSIM_SITES(X) \
  OSTEOSIM_SHIPPED_SITES(X) \
  X(humerus, humerus, clinical, "", "humerus_first_year", one_off, false, "humerus")
