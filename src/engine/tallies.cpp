#include "engine/tallies.hpp"

#include <algorithm>
#include <stdexcept>

namespace osteosim::engine {

namespace {
void add_into(std::vector<std::int64_t>& into, const std::vector<std::int64_t>& from) {
  for (std::size_t i = 0; i < into.size(); ++i) into[i] += from[i];
}
}  // namespace

void Tallies::clear() {
  for (auto* column : columns()) std::fill(column->begin(), column->end(), 0);
}

void Tallies::merge(const Tallies& other) {
  if (other.years != years) throw std::logic_error("Tallies::merge: different number of years");
  const auto into = columns();
  const auto from = other.columns();
  for (std::size_t c = 0; c < into.size(); ++c) add_into(*into[c], *from[c]);
}

}  // namespace osteosim::engine
