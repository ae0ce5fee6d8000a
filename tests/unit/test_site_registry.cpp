// The site registry (model/site_table.hpp): what the shipped table derives. These names are
// part of the result format and the model files, so a change to them must be deliberate.
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "engine/calibration.hpp"
#include "engine/tallies.hpp"
#include "model/economics.hpp"
#include "model/types.hpp"

namespace osteosim {
namespace {

using model::Site;
using Names = std::vector<std::string_view>;

template <class Array>
Names names(const Array& a) {
  return {a.begin(), a.end()};
}

TEST(SiteRegistry, ShippedSitesAndProcesses) {
  EXPECT_EQ(names(model::kSiteNames),
            (Names{"hip", "clinical_vertebral", "silent_vertebral", "wrist"}));
  EXPECT_EQ(names(model::kFractureProcessNames), (Names{"hip", "vertebral", "wrist"}));
  EXPECT_TRUE(model::is_clinical(Site::hip));
  EXPECT_FALSE(model::is_clinical(Site::silent_vertebral));
}

TEST(SiteRegistry, FractureOfAProcessIsTalliedAtItsSite) {
  const int vertebral = static_cast<int>(model::FractureProcess::vertebral);
  EXPECT_EQ(model::site_of_fracture(vertebral, true), Site::clinical_vertebral);
  EXPECT_EQ(model::site_of_fracture(vertebral, false), Site::silent_vertebral);
  EXPECT_EQ(model::site_of_fracture(static_cast<int>(model::FractureProcess::wrist), true),
            Site::wrist);
  EXPECT_TRUE(model::counts_clinical_only(vertebral));
  EXPECT_EQ(model::site_named("silent_vertebral"), Site::silent_vertebral);
  EXPECT_FALSE(model::site_named("vertebral").has_value());
  EXPECT_FALSE(model::counts_clinical_only(static_cast<int>(model::FractureProcess::hip)));
}

TEST(SiteRegistry, DerivedOutcomesCostsAndCalibratedQuantities) {
  EXPECT_EQ(names(engine::kOutcomeNames),
            (Names{"hip", "clinical_vertebral", "silent_vertebral", "wrist", "all_clinical"}));
  EXPECT_EQ(
      names(model::kCostCategoryNames),
      (Names{"hip_first_year", "vertebral_first_year", "wrist_first_year", "fracture_later_years",
             "long_term_care", "drugs", "monitoring", "dxa", "prescreening", "fall_programmes",
             "adverse_events", "productivity_and_caregiving"}));
  EXPECT_EQ(static_cast<int>(model::first_year_cost_category(Site::wrist)), 2);
  EXPECT_EQ(model::first_year_cost_row(Site::silent_vertebral), -1);
  EXPECT_EQ(names(engine::kCalibratedQuantityNames),
            (Names{"hip", "clinical_vertebral", "wrist", "mortality"}));
}

}  // namespace
}  // namespace osteosim
