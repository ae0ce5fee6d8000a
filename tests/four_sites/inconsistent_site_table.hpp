#pragma once
/// TEST ONLY: a site table the registry must reject at compile time (tests/CMakeLists.txt,
/// four_sites.inconsistent_table_rejected): a test process "humerus" with no site at all.
#include "model/site_table.hpp"

#undef OSTEOSIM_PROCESSES
#define OSTEOSIM_PROCESSES(X) OSTEOSIM_SHIPPED_PROCESSES(X) X(humerus, true, all_fractures)
