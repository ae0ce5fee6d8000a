#include "engine/tallies.hpp"

#include <stdexcept>

namespace osteosim::engine {

namespace {
void add_into(std::vector<std::int64_t>& into, const std::vector<std::int64_t>& from) {
  for (std::size_t i = 0; i < into.size(); ++i) into[i] += from[i];
}
}  // namespace

void Tallies::merge(const Tallies& other) {
  if (other.years != years) throw std::logic_error("Tallies::merge: different number of years");
  add_into(fractures, other.fractures);
  add_into(first_fractures, other.first_fractures);
  add_into(first_any_fracture, other.first_any_fracture);
  add_into(deaths, other.deaths);
  add_into(deaths_after_fracture, other.deaths_after_fracture);
  add_into(population, other.population);
  add_into(falls, other.falls);
  add_into(person_time_ticks, other.person_time_ticks);
}

}  // namespace osteosim::engine
