#pragma once
/// What every file osteosim writes satisfies, checked when a reader opens one: the readers
/// print tables from these numbers, so a file that breaks them (edited by hand or by a
/// program, or written by a buggy build) is refused instead of shown as results.
#include <hdf5.h>

namespace osteosim::output {

/// Throws IoError naming the first broken invariant of the open result file:
///  - the run's attributes lie in the ranges the scenario loader accepts (years 1..120,
///    start year 1900..2200, a time step dividing 12 months), the agent count is positive
///    and persons per agent finite, positive and at most 10^10 (no agent stands for more
///    persons than live on Earth);
///  - every entry the dictionary (result_variables.cpp) declares as always written is
///    there, with its declared type class;
///  - no dataset declares more values than it could store (h5::check_plausible_size);
///  - in every strategy group, each variable over (year, ...) has the lengths of the
///    group's coordinates and as many years as the run; its counts are non-negative and
///    at most 1000 per simulated agent; person-years are finite and non-negative.
void check_result_invariants(hid_t file);

}  // namespace osteosim::output
