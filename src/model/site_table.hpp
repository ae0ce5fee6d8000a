#pragma once
/// The fracture processes and tallied sites of the shipped models: the table of the site
/// registry (model/site_registry.hpp makes the Site and FractureProcess enums and every
/// site list, size and key from it, and checks it at compile time). Adding a site = one
/// row here, plus its model data (model.yaml keys and tables; drugs.yaml, interventions.yaml
/// and economics.yaml rows). The order is part of the result format (the `site` coordinate,
/// cost categories): append only.
///
/// The rows are X-macros so that one row makes both the enumerator and the table entry; a
/// test build extends them (tests/four_sites/site_table.hpp, named by -DOSTEOSIM_SITE_TABLE).

/// Fracture processes, one hazard each (after a fall and without) in the event loop:
/// X(name = key in model files, fall_related, incidence table counts: all_fractures |
///   clinical_only)
#define OSTEOSIM_SHIPPED_PROCESSES(X) \
  X(hip, true, all_fractures)         \
  X(vertebral, true, clinical_only)   \
  X(wrist, true, all_fractures)

/// Tallied sites. A vertebral fracture is drawn once (a new morphometric deformity) and is
/// either clinically recognised or silent, so all morphometric vertebral fractures =
/// clinical_vertebral + silent_vertebral (silent ones are not diagnosed: no cost).
/// X(name = `site` label, process, clinical | morphometric, economics key, first-year cost
///   category, aftermath: tracked | one_off | none, calibrated, label for people)
#define OSTEOSIM_SHIPPED_SITES(X)                                                                \
  X(hip, hip, clinical, "hip", "hip_first_year", tracked, true, "hip")                           \
  X(clinical_vertebral, vertebral, clinical, "vertebral", "vertebral_first_year", tracked, true, \
    "clinical vertebral")                                                                        \
  X(silent_vertebral, vertebral, morphometric, "", "", none, false, "silent vertebral")          \
  X(wrist, wrist, clinical, "wrist", "wrist_first_year", one_off, true, "wrist")

#define OSTEOSIM_PROCESSES(X) OSTEOSIM_SHIPPED_PROCESSES(X)
#define OSTEOSIM_SITES(X) OSTEOSIM_SHIPPED_SITES(X)
