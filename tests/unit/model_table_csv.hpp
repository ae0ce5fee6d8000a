#pragma once
// A model's CSV table read without the loader: '#' comment lines, a header, then
// key,female,male[,source...] rows. Tests compare what the loader or the engine made of a
// table with the file itself, so they must not read it through the code they check.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/age_table.hpp"

namespace osteosim::testing {

struct ModelTableCsv {
  std::string comments;  ///< the '#' header, for the checks it states
  std::vector<double> keys, female, male;
};

inline ModelTableCsv read_model_table_csv(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  ModelTableCsv rows;
  bool header = true;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with('#')) {
      rows.comments += line + '\n';
    } else if (header) {
      header = false;
    } else if (!line.empty()) {
      std::istringstream fields(line);
      std::string key, female, male;
      std::getline(fields, key, ',');
      std::getline(fields, female, ',');
      std::getline(fields, male, ',');
      rows.keys.push_back(std::stod(key));
      rows.female.push_back(std::stod(female));
      rows.male.push_back(std::stod(male));
    }
  }
  return rows;
}

/// Remaining life expectancy at `age` from single-year qx with deaths at mid-year
/// (a(x) = 0.5) to the table's last age: the method the models' life tables state.
inline double life_expectancy(const model::AgeTable& qx, model::Sex sex, int age) {
  double alive = 1, years = 0;
  for (int x = age; x <= static_cast<int>(qx.keys.back()); ++x) {
    const double next = alive * (1 - qx.at(sex, x));
    years += (alive + next) / 2;
    alive = next;
  }
  return years;
}

}  // namespace osteosim::testing
