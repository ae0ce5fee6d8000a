#pragma once
/// Risk tools used to select people for DXA or treatment: the OST index and the model's
/// own 10-year probability of a major osteoporotic fracture.
#include <optional>

#include "model/agents.hpp"
#include "model/parameters.hpp"

namespace osteosim::model {

/// Osteoporosis Self-assessment Tool: 0.2 x (weight kg - age years), truncated to an
/// integer as published (Koh 2001 Osteoporos Int 12:699; UW OsteoEd tools page).
int ost_index(double weight_kg, double age_years);

/// 10-year probability of a first clinical fracture at a major site (the registry's clinical
/// sites: hip, clinical vertebral, wrist) for agent i now, with death as a competing risk,
/// from the model's own hazards with the agent's current age, sex, risk factors and
/// fracture history held as they are. `bmd_g_cm2`: a measured BMD (FRAX with BMD); without
/// it the BMD term is averaged over the population (FRAX without BMD). Falls at the
/// population mean rate.
double ten_year_fracture_probability(const ModelParameters& params, const Agents& agents,
                                     Eigen::Index i, double now,
                                     std::optional<double> bmd_g_cm2);

}  // namespace osteosim::model
